"""Yields measured in a session file: for each key of the pianist's (an input note-on)
struck while the machine's own notes sound (track ``machine``), the time from the key
to the last note-off of the machine's notes sounding then, and to the last note-off of
its notes that were sent ahead (time-tagged) and start after the key: cut by the yield,
those stop at their onset (a bundle already sent cannot be recalled). Pure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from psc_looper.osc.protocol import NOTE_ON
from psc_looper.sessions.reader import SessionFile

CUT_SECONDS = 0.003  # a machine note this short was cut before it sounded (sent ahead)


@dataclass(frozen=True)
class Yield:
    key: float  # seconds from the file's start
    pitch: int
    sounding: float  # seconds from the key to the last note-off of the notes sounding
    ahead: float | None  # ... of the notes sent ahead and cut (None: there were none)


def yields(session: SessionFile, lookahead: float,
           melody: Callable[[int], bool] = lambda _pitch: True) -> list[Yield]:
    """Each ``melody`` key struck while a machine note sounds, and how soon the machine
    fell silent; ``lookahead``: how far ahead the loop sends (the session's backend)."""
    time_of = session.tempo.time_of
    machine = [(time_of(n.start), time_of(n.end)) for n in session.notes
               if n.track == "machine"]
    out = []
    for event in session.inputs:
        pitch, velocity = int(event.args[0]), int(event.args[1])
        if event.address != NOTE_ON or velocity == 0 or not melody(pitch):
            continue
        key = event.time
        sounding = [end for start, end in machine if start <= key < end]
        if not sounding:
            continue
        ahead = [end for start, end in machine
                 if key < start <= key + lookahead and end - start <= CUT_SECONDS]
        out.append(Yield(key, pitch, max(sounding) - key,
                         max(ahead) - key if ahead else None))
    return out
