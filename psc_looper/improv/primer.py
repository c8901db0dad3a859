"""Primer: the pianist's notes collected in improv mode, and the melody they make for MelodyRNN.

The primer keeps the pianist's rhythm: onsets are quantized to 16ths relative to
the first note (placed at that note's step within its bar), durations come from the
note-offs. Not locked: the improv feature owns a ``PrimerBuffer`` under its lock.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from psc_looper.looper.recording import quantize
from psc_looper.models.notes import Note

MAX_PRIMER_NOTES = 64  # the buffer keeps the newest notes (e.g. while the machine is held)
MAX_NOTE_STEPS = 32  # a note still held (or never released) counts this long at most
MIN_GENERATE_STEPS = 16
DENSITY_MARGIN = 1.5  # ask for this many more steps than the primer's density suggests


@dataclass
class PlayedNote:
    """A key the pianist played: fractional absolute steps; ``end`` None while held."""

    onset: float
    pitch: int
    end: float | None = None


class PrimerBuffer:
    """The newest ``capacity`` notes the pianist played while the machine listened."""

    def __init__(self, capacity: int = MAX_PRIMER_NOTES) -> None:
        self._notes: deque[PlayedNote] = deque(maxlen=capacity)

    def add(self, pitch: int, position: float) -> None:
        self._notes.append(PlayedNote(position, pitch))

    def release(self, pitch: int, position: float) -> None:
        """The oldest held note of ``pitch`` ends at ``position`` (nothing if none is held)."""
        for note in self._notes:
            if note.pitch == pitch and note.end is None and position >= note.onset:
                note.end = position
                return

    def take(self) -> list[PlayedNote]:
        """Hand over the notes and start afresh."""
        notes = list(self._notes)
        self._notes.clear()
        return notes

    def __len__(self) -> int:
        return len(self._notes)


def build_primer(
    played: Sequence[PlayedNote], now: float, bar_offset: int = 0
) -> tuple[list[Note], int]:
    """A monophonic primer melody and its length in steps.

    Step 0 is the start of the first note's bar (``bar_offset`` = its step in the bar).
    Notes starting on the same step keep the highest (the melody's top voice); each
    note ends at its note-off (or ``now`` while held), at least one step after its
    onset and no later than the next onset.
    """
    if not played:
        return [], 0
    first = min(n.onset for n in played)
    by_step: dict[int, PlayedNote] = {}
    for note in played:
        step = quantize(note.onset - first) + bar_offset
        if step not in by_step or note.pitch > by_step[step].pitch:
            by_step[step] = note
    starts = sorted(by_step)
    melody = []
    for i, start in enumerate(starts):
        note = by_step[start]
        ended = note.end if note.end is not None else now
        end = min(quantize(ended - first) + bar_offset, start + MAX_NOTE_STEPS)
        end = max(end, start + 1)
        if i + 1 < len(starts):
            end = min(end, starts[i + 1])
        melody.append(Note(start, end, note.pitch))
    return melody, melody[-1].end_step


def steps_to_generate(primer: Sequence[Note], primer_steps: int, wanted: int, cap: int) -> int:
    """Steps to ask for so that ~``wanted`` notes come back at the primer's note density."""
    if not primer or primer_steps <= 0:
        return cap
    density = len(primer) / primer_steps  # notes per step
    steps = math.ceil(wanted / density * DENSITY_MARGIN)
    return min(cap, max(MIN_GENERATE_STEPS, steps))
