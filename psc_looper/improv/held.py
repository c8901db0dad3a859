"""The one scan of a recorded chord loop: what its notes make at each loop step, held
over the steps where they make nothing (wrapping around). The pitch classes for fitting
(``voicing.chord_map``) and the chords for the improv model (``changes.loop_chords``)
are both read through it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from psc_looper.looper.notes import LoopNote

T = TypeVar("T")


def held_per_step(notes: Sequence[LoopNote], loop_steps: int,
                  read: Callable[[list[int]], T]) -> list[T]:
    """``read`` of the pitches sounding at each step (in the notes' order); a step read as
    empty (falsy) keeps the value read last, wrapping around. Empty if every step is."""
    sounding: list[list[int]] = [[] for _ in range(loop_steps)]
    for note in notes:
        for step in range(note.onset, min(note.onset + note.duration, loop_steps)):
            sounding[step].append(note.pitch)
    values = [read(pitches) for pitches in sounding]
    if not any(values):
        return []
    last = next(value for value in reversed(values) if value)
    result = []
    for value in values:
        last = value or last
        result.append(last)
    return result
