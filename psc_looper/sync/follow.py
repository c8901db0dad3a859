"""Following a leader's grid: a pulse fit (tempo and phase from jittery pulses) and
the steering that bends the loop's grid onto the leader's without a jump.

Pure arithmetic, no threads or I/O: ``clockin`` and ``link`` feed it and read it
under their own locks. A leader is anything that says which (fractional) step of its
grid sounds at a clock time (``Leader.step_at``) and at what tempo; the loop's step
``n`` is meant to sound with the leader's step ``n - offset``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Protocol

from psc_looper.timing.meter import STEPS_PER_QUARTER, step_seconds
from psc_looper.timing.tempo import MAX_QPM, MIN_QPM

PULSES_PER_QUARTER = 24  # MIDI clock
PULSES_PER_STEP = PULSES_PER_QUARTER // STEPS_PER_QUARTER
FIT_PULSES = PULSES_PER_QUARTER  # one beat: a tempo change is followed within a beat
HORIZON_STEPS = 4.0  # a phase error is taken out over about a beat...
MAX_BEND = 0.1  # ...bending the tempo by at most 10 %
INTEGRAL_GAIN = 1 / 32  # what stays (a tempo lagging a ramp) is taken out too...
INTEGRATE_BELOW = 0.1  # ...once the error is under half a step (no wind-up at a start)


class Leader(Protocol):
    @property
    def qpm(self) -> float | None: ...

    def step_at(self, t: float) -> float | None:
        """The leader's (fractional) step sounding at clock time ``t``, if known."""
        ...


def clamp_qpm(qpm: float) -> float:
    return min(MAX_QPM, max(MIN_QPM, qpm))


@dataclass
class PulseFit:
    """A least-squares line through the last ``window`` pulses: index -> time.

    Pulse indices count from the first pulse seen; a pulse much too early (a doubled
    byte) is dropped, one late by whole periods counts the missing ones. Three odd
    pulses in a row mean the tempo jumped: the fit starts again from them.
    """

    window: int = FIT_PULSES
    _points: deque[tuple[int, float]] = field(default_factory=deque)
    _odd: int = 0

    def add(self, t: float) -> str | None:
        """Take a pulse received at ``t``; returns why it was dropped, or None."""
        if not self._points:
            self._points.append((0, t))
            return None
        index, last = self._points[-1]
        period = self.period
        dt = t - last
        steps = 1
        if period is not None:
            ratio = dt / period
            if ratio < 0.5 or ratio > 1.5:
                self._odd += 1
                if self._odd >= 3:  # the tempo really changed: start again from here
                    self._odd = 0
                    self._points = deque([(index, last)])
                    self._points.append((index + 1, t))
                    return None
                if ratio < 0.5:
                    return f"a clock pulse {dt * 1000:.1f} ms after the last one (ignored)"
                steps = round(ratio)
            else:
                self._odd = 0
        self._points.append((index + steps, t))
        while len(self._points) > self.window + 1:
            self._points.popleft()
        return None

    def reset(self) -> None:
        self._points.clear()
        self._odd = 0

    @property
    def last(self) -> tuple[int, float] | None:
        return self._points[-1] if self._points else None

    def _line(self) -> tuple[float, float] | None:
        """(time of index 0, seconds per pulse), or None with fewer than 3 pulses."""
        n = len(self._points)
        if n < 3:
            return None
        mi = sum(i for i, _ in self._points) / n
        mt = sum(t for _, t in self._points) / n
        sii = sum((i - mi) ** 2 for i, _ in self._points)
        sit = sum((i - mi) * (t - mt) for i, t in self._points)
        slope = sit / sii
        if slope <= 0:
            return None
        return mt - slope * mi, slope

    @property
    def period(self) -> float | None:
        line = self._line()
        return None if line is None else line[1]

    @property
    def qpm(self) -> float | None:
        """The fitted tempo, unclamped."""
        period = self.period
        return None if period is None else 60.0 / (PULSES_PER_QUARTER * period)

    def index_at(self, t: float) -> float | None:
        line = self._line()
        return None if line is None else (t - line[0]) / line[1]


def _clamp_bend(bend: float) -> float:
    return min(MAX_BEND, max(-MAX_BEND, bend))


@dataclass
class Steering:
    """A proportional-integral bend of the leader's tempo that takes out the phase
    error: the proportional part over ``HORIZON_STEPS`` steps, the integral part what
    a steady lag leaves (the leader's tempo known a little late on a ramp)."""

    integral: float = 0.0

    def reset(self) -> None:
        self.integral = 0.0

    def qpm(self, leader_qpm: float, error_steps: float) -> float:
        """The loop's tempo for its next step; ``error_steps``: the loop's lead."""
        if abs(error_steps) < INTEGRATE_BELOW:
            self.integral = _clamp_bend(self.integral + INTEGRAL_GAIN * error_steps)
        bend = _clamp_bend(error_steps / HORIZON_STEPS + self.integral)
        return clamp_qpm(60.0 / (STEPS_PER_QUARTER * step_seconds(leader_qpm) * (1 + bend)))


def bar_offset(loop_step: float, leader_step: float, steps_per_bar: int) -> int:
    """The whole bars between the loop's step and the leader's at one time: the
    offset that leaves the least phase to take out (a bar start meets a bar start)."""
    return round((loop_step - leader_step) / steps_per_bar) * steps_per_bar
