"""The golden text form of a session's output: one line per note, on the step grid.

Compact and diff-friendly: ``start length pitch velocity track``, start and length in
16th steps of the file's tempo map (two decimals), sorted by start, track, pitch.
"""

from __future__ import annotations

from collections.abc import Iterable

from psc_looper.sessions.reader import SessionFile
from psc_looper.timing.meter import STEPS_PER_QUARTER


def golden_text(session: SessionFile, header: Iterable[str] = ()) -> str:
    per_step = session.ticks_per_beat / STEPS_PER_QUARTER
    lines = [f"# {line}" for line in header]
    lines.append("# start length pitch velocity track  (steps of the file's grid)")
    for note in session.notes:
        lines.append(f"{note.start / per_step:.2f} {(note.end - note.start) / per_step:.2f} "
                     f"{note.pitch} {note.velocity} {note.track}")
    return "\n".join(lines) + "\n"
