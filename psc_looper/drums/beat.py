"""Beat: the deterministic drum part built from the bass line (Castro's three rules).

A kick on the first beat of every bar, a snare on each bass-note onset, a closed
hi-hat on every 8th note (every 2 steps). Pure function of the loop structure and the
bass notes; velocities come from ``velocity.accent_velocity``.
"""

from __future__ import annotations

from collections.abc import Iterable

from psc_looper.drums.kit import drum_note
from psc_looper.looper.notes import LoopNote
from psc_looper.osc.protocol import Instrument
from psc_looper.timing.meter import LoopStructure


def build_beat(structure: LoopStructure, bass: Iterable[LoopNote]) -> list[LoopNote]:
    """The deterministic beat of ``structure`` over the ``bass`` notes, sorted by onset.

    Bass onsets outside the loop (a longer loop's notes after a structure change) are
    ignored; several bass notes on one step make one snare hit.
    """
    snares = {n.onset for n in bass if n.onset < structure.steps}
    hits = [
        *((Instrument.KICK, s) for s in structure.bar_starts()),
        *((Instrument.SNARE, s) for s in snares),
        *((Instrument.CLOSED_HAT, s) for s in structure.eighth_steps()),
    ]
    return sorted(drum_note(instrument, step, structure) for instrument, step in hits)
