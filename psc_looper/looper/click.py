"""The click track: the paper's three clicks, as a pure function of the loop structure.

- ``click0`` on the first beat of the sequence (so the pianist knows where it starts),
- ``click1`` on the first beat of every other bar,
- ``click2`` on every other beat, at the rate of the denominator
  (4: every 4 steps, 8: every 2, 16: every step).
"""

from __future__ import annotations

from psc_looper.looper.notes import LoopNote, Track
from psc_looper.osc.protocol import Instrument
from psc_looper.timing.meter import LoopStructure

CLICK_PITCH = 60
CLICK_VELOCITY = {Instrument.CLICK_START: 110, Instrument.CLICK_BAR: 95, Instrument.CLICK_BEAT: 80}


def click_track(structure: LoopStructure) -> list[LoopNote]:
    notes = []
    for step in structure.beat_starts():
        if step == 0:
            instrument = Instrument.CLICK_START
        elif structure.is_bar_start(step):
            instrument = Instrument.CLICK_BAR
        else:
            instrument = Instrument.CLICK_BEAT
        notes.append(
            LoopNote(step, Track.CLICK, instrument, CLICK_PITCH, CLICK_VELOCITY[instrument])
        )
    return notes
