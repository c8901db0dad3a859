"""Meter and loop structure on the 16th-note grid (value objects, pure functions).

A step is one 16th note. A bar of n/d holds ``n * 16 / d`` steps; a beat of the
denominator holds ``16 / d`` steps (4: 4 steps, 8: 2 steps, 16: 1 step).
"""

from __future__ import annotations

from dataclasses import dataclass

STEPS_PER_QUARTER = 4
DENOMINATORS = (4, 8, 16)
MIN_NUMERATOR = 2
MAX_NUMERATOR = 16
MIN_BARS = 1
MAX_BARS = 64  # a whole chorus: 12-bar blues, 32-bar standards, longer forms


class MeterError(ValueError):
    """A time signature or bar count outside what the looper supports."""


@dataclass(frozen=True)
class Meter:
    """A time signature: ``numerator`` beats of 1/``denominator`` notes."""

    numerator: int = 4
    denominator: int = 4

    def __post_init__(self) -> None:
        if self.denominator not in DENOMINATORS:
            raise MeterError(f"denominator must be one of {DENOMINATORS}, not {self.denominator}")
        if not MIN_NUMERATOR <= self.numerator <= MAX_NUMERATOR:
            raise MeterError(
                f"numerator must be {MIN_NUMERATOR}..{MAX_NUMERATOR}, not {self.numerator}"
            )

    @property
    def steps_per_beat(self) -> int:
        return 16 // self.denominator

    @property
    def steps_per_bar(self) -> int:
        return self.numerator * self.steps_per_beat

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


@dataclass(frozen=True)
class LoopStructure:
    """How long the loop is: a meter and a number of bars."""

    meter: Meter = Meter()
    bars: int = 2

    def __post_init__(self) -> None:
        if not MIN_BARS <= self.bars <= MAX_BARS:
            raise MeterError(f"bars must be {MIN_BARS}..{MAX_BARS}, not {self.bars}")

    @property
    def steps(self) -> int:
        """Steps per loop = bars x numerator x 16 / denominator."""
        return self.bars * self.meter.steps_per_bar

    def is_bar_start(self, step: int) -> bool:
        return step % self.meter.steps_per_bar == 0

    def bar_starts(self) -> range:
        return range(0, self.steps, self.meter.steps_per_bar)

    def beat_starts(self) -> range:
        return range(0, self.steps, self.meter.steps_per_beat)

    def eighth_steps(self) -> range:
        return range(0, self.steps, 2)


def step_seconds(qpm: float) -> float:
    """Duration of one 16th-note step at ``qpm`` quarter notes per minute."""
    return 60.0 / (qpm * STEPS_PER_QUARTER)
