"""Drift-free mapping between absolute step numbers and clock time.

Step ``k`` sounds at ``anchor_time + (k - anchor_step) * step_seconds``: times are
computed from one anchor, never accumulated, so no error builds up however many
loops are played. A tempo change re-anchors at a step that keeps its old time, so
the grid bends without a jump.
"""

from __future__ import annotations

from dataclasses import dataclass

from psc_looper.timing.meter import step_seconds


@dataclass(frozen=True)
class StepSchedule:
    anchor_step: int
    anchor_time: float
    qpm: float

    @property
    def step_seconds(self) -> float:
        return step_seconds(self.qpm)

    def time_of(self, step: int | float) -> float:
        return self.anchor_time + (step - self.anchor_step) * self.step_seconds

    def step_at(self, t: float) -> float:
        """The (fractional) absolute step sounding at time ``t``."""
        return self.anchor_step + (t - self.anchor_time) / self.step_seconds

    def with_tempo(self, qpm: float, from_step: int) -> StepSchedule:
        """The same grid up to ``from_step``, then steps of the new tempo."""
        return StepSchedule(from_step, self.time_of(from_step), qpm)
