"""Sequences: conversion between our step-grid notes and magenta's NoteSequence protos.

Magenta's MelodyRNN and DrumsRNN work in steps; a tempo only converts steps to seconds
and back. These conversions always use 120 qpm, where a 16th note lasts exactly
0.125 s, so every step survives the round trip through seconds without rounding.

Magenta quantizes note ends to the nearest step (half up) and the start of a generate
section up to the next step, even from an exact step time (``quantize_to_step`` with
cutoff 0: step 16 becomes 17). So ends and section starts are given half a step
early (:func:`before`): both quantize back to the intended step, and a primer note
may end exactly where generation starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from psc_looper.models.notes import STEPS_PER_QUARTER, DrumHit, Note
from psc_looper.models.noteseq import import_note_seq

QPM = 120.0
SECONDS_PER_STEP = 60.0 / QPM / STEPS_PER_QUARTER
VELOCITY = 100
DRUM_INSTRUMENT = 9  # MIDI channel 10


def seconds(step: int) -> float:
    return step * SECONDS_PER_STEP


def before(step: int) -> float:
    """Half a step before ``step``: magenta quantizes it to ``step`` (see above)."""
    return (step - 0.5) * SECONDS_PER_STEP


def step_of(time: float) -> int:
    return round(time / SECONDS_PER_STEP)


def _empty_sequence(total_steps: int) -> Any:
    note_seq = import_note_seq()

    sequence = note_seq.NoteSequence()
    sequence.tempos.add(qpm=QPM)
    sequence.time_signatures.add(numerator=4, denominator=4)
    sequence.ticks_per_quarter = note_seq.STANDARD_PPQ
    sequence.total_time = seconds(total_steps)
    return sequence


def melody_sequence(notes: Iterable[Note], total_steps: int | None = None) -> Any:
    """A NoteSequence of ``notes``, ``total_steps`` long (default: up to the last end)."""
    notes = list(notes)
    end = max((n.end_step for n in notes), default=0)
    sequence = _empty_sequence(end if total_steps is None else max(end, total_steps))
    for n in notes:
        sequence.notes.add(
            pitch=n.pitch,
            velocity=VELOCITY,
            start_time=seconds(n.start_step),
            end_time=before(n.end_step),
        )
    return sequence


def drums_sequence(hits: Iterable[DrumHit], total_steps: int) -> Any:
    """A drum NoteSequence of ``hits`` (one step each), ``total_steps`` long."""
    sequence = _empty_sequence(total_steps)
    for h in hits:
        sequence.notes.add(
            pitch=h.pitch,
            velocity=VELOCITY,
            start_time=seconds(h.step),
            end_time=before(h.step + 1),
            instrument=DRUM_INSTRUMENT,
            is_drum=True,
        )
    return sequence


def notes_from(sequence: Any, first_step: int, last_step: int, shift: int) -> list[Note]:
    """Notes starting in ``first_step..last_step - 1``, cut at last_step, minus ``shift``."""
    result = []
    for n in sequence.notes:
        start = step_of(n.start_time)
        if first_step <= start < last_step:
            end = min(step_of(n.end_time), last_step)
            result.append(Note(start - shift, end - shift, n.pitch))
    return sorted(result)


def hits_from(sequence: Any, first_step: int, last_step: int, shift: int) -> list[DrumHit]:
    """Hits in ``first_step..last_step - 1``, minus ``shift``."""
    steps = ((step_of(n.start_time), n.pitch) for n in sequence.notes)
    return sorted({DrumHit(s - shift, p) for s, p in steps if first_step <= s < last_step})
