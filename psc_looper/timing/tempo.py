"""Tempo: the qpm range, the knob mapping and tap tempo."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

MIN_QPM = 40.0
MAX_QPM = 300.0
DEFAULT_QPM = 120.0
TAP_RESET_SECONDS = 5.0  # a gap longer than this starts a new tap sequence
TAP_WINDOW = 4  # number of recent intervals averaged


class TempoError(ValueError):
    """A tempo outside ``MIN_QPM..MAX_QPM``."""


def check_qpm(qpm: float) -> float:
    if not MIN_QPM <= qpm <= MAX_QPM:
        raise TempoError(f"qpm must be {MIN_QPM:g}..{MAX_QPM:g}, not {qpm:g}")
    return float(qpm)


def qpm_from_knob(value: int) -> float:
    """Map a 0..127 controller value linearly onto ``MIN_QPM..MAX_QPM`` (whole qpm)."""
    value = min(127, max(0, value))
    return float(round(MIN_QPM + (MAX_QPM - MIN_QPM) * value / 127))


@dataclass
class TapTempo:
    """Averages the last ``TAP_WINDOW`` intervals between taps; a long gap resets.

    Not thread-safe by itself: the looper calls it under its state lock.
    """

    _last: float | None = None
    _intervals: deque[float] = field(default_factory=lambda: deque(maxlen=TAP_WINDOW))

    def tap(self, t: float) -> float | None:
        """Register a tap at time ``t``; return the new qpm once two taps are known."""
        last, self._last = self._last, t
        if last is None or t - last > TAP_RESET_SECONDS or t <= last:
            self._intervals.clear()
            return None
        self._intervals.append(t - last)
        qpm = 60.0 / (sum(self._intervals) / len(self._intervals))
        return min(MAX_QPM, max(MIN_QPM, qpm))
