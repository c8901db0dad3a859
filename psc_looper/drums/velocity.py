"""Velocity: the musical default loudness of each drum hit by where it falls in the bar.

Magenta's drum_kit model has no velocity, and the deterministic beat has none either,
so every drum hit gets one from this table: an accent level (bar start, pulse, off the
pulse) per instrument. The pulse is the quarter note in simple meters (4/4, 5/4, 7/8:
every 4 steps from the bar start) and three beats of the denominator in compound
ones (3/8, 6/8, 9/8, 12/8, 12/16: a dotted quarter or a dotted 8th).
"""

from __future__ import annotations

from psc_looper.osc.protocol import Instrument
from psc_looper.timing.meter import Meter

# instrument -> (bar start, on the pulse, off the pulse)
ACCENTS: dict[Instrument, tuple[int, int, int]] = {
    Instrument.KICK: (112, 100, 88),
    Instrument.SNARE: (104, 100, 72),  # off the pulse: ghost notes
    Instrument.CLOSED_HAT: (86, 80, 60),  # soft ghost hats between the pulses
    Instrument.OPEN_HAT: (88, 82, 72),
    Instrument.LOW_TOM: (100, 96, 86),
    Instrument.MID_TOM: (100, 96, 86),
    Instrument.HIGH_TOM: (100, 96, 86),
    Instrument.CRASH: (112, 104, 96),
    Instrument.RIDE: (90, 84, 68),
}
STEPS_PER_QUARTER = 4


def pulse_steps(meter: Meter) -> int:
    """Steps between the felt pulses of a bar of ``meter``."""
    compound = meter.denominator >= 8 and meter.numerator % 3 == 0
    return 3 * meter.steps_per_beat if compound else STEPS_PER_QUARTER


def accent_velocity(instrument: Instrument, step: int, meter: Meter) -> int:
    """The velocity of ``instrument`` hit at loop step ``step`` in ``meter``."""
    in_bar = step % meter.steps_per_bar
    downbeat, pulse, off = ACCENTS[instrument]
    if in_bar == 0:
        return downbeat
    return pulse if in_bar % pulse_steps(meter) == 0 else off
