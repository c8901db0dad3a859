"""What a controller value means: a button's "pressed" and the knob curves features use.

MIDI controller values run 0..127. A button, pedal or switch is down from ``PRESSED``
(MIDI's convention for the sustain pedal, CC64). A knob maps onto a range either
exponentially (equal knob travel multiplies the value: the improv temperature, whose
middle is 1.0) or linearly (the drums temperature, rounded to what the status line
shows). Each curve is pinned by tests, and the demos' goldens depend on them.
"""

from __future__ import annotations

KNOB_MAX = 127
PRESSED = 64  # a button, pedal or switch counts as down from this value


def _clamped(value: int) -> int:
    return min(KNOB_MAX, max(0, value))


def exponential_from_knob(value: int, low: float, high: float) -> float:
    """Knob 0..127 onto ``low..high`` exponentially (0 -> low, 127 -> high)."""
    return float(low * (high / low) ** (_clamped(value) / KNOB_MAX))


def linear_from_knob(value: int, low: float, high: float) -> float:
    """Knob 0..127 onto ``low..high`` linearly, rounded to 3 decimals."""
    return round(low + (high - low) * _clamped(value) / KNOB_MAX, 3)
