"""Drift-free mapping between absolute step numbers and clock time.

Step ``k`` sounds at ``anchor_time + (warp(k) - warp(anchor_step)) * step_seconds``:
times are computed from one anchor, never accumulated, so no error builds up however
many loops are played. ``warp`` is the swing (``timing.swing``; the identity when
straight), so everything the loop plays swings and ``step_at`` reads a played time
back in the swung frame. A tempo or swing change re-anchors at a step that keeps its
old time, so the grid bends without a jump.
"""

from __future__ import annotations

from dataclasses import dataclass

from psc_looper.timing.meter import step_seconds
from psc_looper.timing.swing import STRAIGHT, unwarp, warp


@dataclass(frozen=True)
class StepSchedule:
    anchor_step: int
    anchor_time: float
    qpm: float
    swing: float = STRAIGHT

    @property
    def step_seconds(self) -> float:
        return step_seconds(self.qpm)

    def time_of(self, step: int | float) -> float:
        if self.swing == STRAIGHT:
            return self.anchor_time + (step - self.anchor_step) * self.step_seconds
        played = warp(step, self.swing) - warp(self.anchor_step, self.swing)
        return self.anchor_time + played * self.step_seconds

    def step_at(self, t: float) -> float:
        """The (fractional) absolute step sounding at time ``t`` (in the swung frame)."""
        if self.swing == STRAIGHT:
            return self.anchor_step + (t - self.anchor_time) / self.step_seconds
        played = warp(self.anchor_step, self.swing) + (t - self.anchor_time) / self.step_seconds
        return unwarp(played, self.swing)

    def with_tempo(self, qpm: float, from_step: int) -> StepSchedule:
        """The same grid up to ``from_step``, then steps of the new tempo."""
        return StepSchedule(from_step, self.time_of(from_step), qpm, self.swing)

    def with_swing(self, swing: float, from_step: int) -> StepSchedule:
        """The same grid up to ``from_step``, then swung by ``swing``."""
        return StepSchedule(from_step, self.time_of(from_step), self.qpm, swing)
