"""Comparison: the melody models side by side on the held-out WJazzD solos.

Two tables (``psc-looper train improv --compare``, the model card's figures):

- likelihood: each RNN on magenta's own encoding of the held-out solos (the jazz and
  folk MelodyRNNs share the melody records, the ImprovRNN reads the lead-sheet records
  with the true chords), each beside order-2/3 Markov models over the same records;
- generation: from held-out 4-bar primers, 4 bars generated over the solo's own chords
  (no snapping) by every contender, beside what the soloist played there: the share of
  notes that are chord tones, of intervals over a fifth, the pitch range and density.

Contenders are plain callables, so the Markov baseline and the soloist stand in the
same table as the bundles.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from psc_looper.harmony.chords import Chord, chord_from_figure
from psc_looper.models.notes import STEPS_PER_BAR, Note
from psc_looper.training.evaluation import piece_notes
from psc_looper.training.markov import MarkovModel
from psc_looper.training.metrics import mean_metrics, pitch_range
from psc_looper.training.pieces import Piece

STEPS_PER_QUARTER = 4
FIFTH = 7
NO_EVENT, NOTE_OFF, FIRST_PITCH = 0, 1, 2  # melody events: a step's class
MELODY_CLASSES = FIRST_PITCH + 128

# (primer, primer_steps, num_steps, chords per step from primer step 0, seed) -> the
# continuation's notes, their steps counted from the continuation's start
Generate = Callable[[list[Note], int, int, list["Chord | None"], int], list[Note]]


@dataclass(frozen=True)
class Window:
    """A held-out primer, what the soloist played next and the chords under both."""

    piece_id: str
    primer: list[Note]
    reference: list[Note]  # steps from the primer's step 0, like a continuation
    chords: list[Chord | None]  # one per step, primer and continuation


def step_chords(piece: Piece, first: int, count: int) -> list[Chord | None]:
    """The piece's chord at each of ``count`` steps from step ``first``."""
    changes = [(round(q * STEPS_PER_QUARTER), chord_from_figure(f)) for q, f in piece.chords]
    chords: list[Chord | None] = []
    current, k = None, 0
    for step in range(first, first + count):
        while k < len(changes) and changes[k][0] <= step:
            current, k = changes[k][1], k + 1
        chords.append(current)
    return chords


def windows(pieces: Sequence[Piece], primer_steps: int, num_steps: int,
            per_piece: int = 2) -> list[Window]:
    """Up to ``per_piece`` windows of each piece, from its first note's bar and from the
    bar in its middle, each with notes in both the primer and the continuation."""
    found = []
    for piece in pieces:
        notes = piece_notes(piece)
        if not notes:
            continue
        first_bar = notes[0].start_step // STEPS_PER_BAR
        last_bar = notes[-1].start_step // STEPS_PER_BAR
        for bar in sorted({first_bar, (first_bar + last_bar) // 2})[:per_piece]:
            start = bar * STEPS_PER_BAR
            end = start + primer_steps + num_steps
            inside = [Note(n.start_step - start, min(n.end_step, end) - start, n.pitch)
                      for n in notes if start <= n.start_step < end]
            primer = [Note(n.start_step, min(n.end_step, primer_steps), n.pitch)
                      for n in inside if n.start_step < primer_steps]
            reference = [Note(n.start_step - primer_steps, n.end_step - primer_steps, n.pitch)
                         for n in inside if n.start_step >= primer_steps]
            if primer and reference:
                found.append(Window(piece.id, primer, reference,
                                    step_chords(piece, start, primer_steps + num_steps)))
    return found


def chord_tone_share(notes: Sequence[Note], chords: Sequence[Chord | None]) -> float | None:
    """The share of notes (under a chord) whose pitch class is in the chord at their
    onset; None if no note sounds under a chord."""
    under = [(n, chord) for n in notes if 0 <= n.start_step < len(chords)
             and (chord := chords[n.start_step]) is not None]
    if not under:
        return None
    return sum(n.pitch % 12 in c.pitch_classes for n, c in under) / len(under)


def leap_share(notes: Sequence[Note]) -> float | None:
    """The share of consecutive intervals wider than a fifth; None under two notes."""
    ordered = sorted(notes)
    if len(ordered) < 2:
        return None
    return sum(abs(b.pitch - a.pitch) > FIFTH for a, b in itertools.pairwise(ordered)) / (
        len(ordered) - 1)


def line_metrics(notes: Sequence[Note], chords: Sequence[Chord | None], num_steps: int,
                 ) -> dict[str, float]:
    """Chord tones, leaps, range and notes per bar of a continuation ({} if empty)."""
    if not notes:
        return {}
    metrics = {"chord tones": chord_tone_share(notes, chords), "leaps over a fifth":
               leap_share(notes), "pitch range": float(pitch_range(notes)),
               "notes per bar": len(notes) * STEPS_PER_BAR / num_steps}
    return {k: v for k, v in metrics.items() if v is not None}


def generation_columns(contenders: dict[str, Generate], found: Sequence[Window],
                       primer_steps: int, num_steps: int, seed: int = 0,
                       ) -> dict[str, dict[str, float]]:
    """Mean line metrics of each contender's continuations and of the soloists' own."""
    rows: dict[str, list[dict[str, float]]] = {"soloists": []}
    for index, w in enumerate(found):
        after = w.chords[primer_steps:]
        rows["soloists"].append(line_metrics(w.reference, after, num_steps))
        for name, generate in contenders.items():
            notes = generate(w.primer, primer_steps, num_steps, w.chords, seed + index)
            rows.setdefault(name, []).append(line_metrics(notes, after, num_steps))
    return {name: mean_metrics(r) for name, r in rows.items()}


def model_contender(model: Any) -> Generate:
    """A melody bundle as a contender: an ImprovRNN hears the chords, a MelodyRNN not."""
    from psc_looper.models import takes_chords

    conditioned = takes_chords(model)

    def generate(primer: list[Note], primer_steps: int, num_steps: int,
                 chords: list[Chord | None], seed: int) -> list[Note]:
        harmony = {"chords": chords} if conditioned else {}
        notes = model.generate(primer, num_steps, primer_steps=primer_steps, seed=seed,
                               **harmony)
        return [Note(n.start_step - primer_steps, n.end_step - primer_steps, n.pitch)
                for n in notes]

    return generate


# ---------------------------------------------------------------- the Markov contender
def melody_events(notes: Sequence[Note], steps: int) -> list[int]:
    """One class per step: a note's onset (FIRST_PITCH + pitch), NOTE_OFF or NO_EVENT."""
    events = [NO_EVENT] * steps
    for n in sorted(notes):
        if 0 <= n.end_step < steps and events[n.end_step] == NO_EVENT:
            events[n.end_step] = NOTE_OFF
    for n in notes:
        if 0 <= n.start_step < steps:
            events[n.start_step] = FIRST_PITCH + n.pitch
    return events


def notes_from_events(events: Sequence[int], offset: int = 0) -> list[Note]:
    """The notes of a class sequence (each lasts until the next onset or NOTE_OFF)."""
    notes: list[Note] = []
    start, pitch = 0, None
    for step, event in enumerate([*events, NOTE_OFF]):
        if event != NO_EVENT and pitch is not None:
            notes.append(Note(start + offset, step + offset, pitch))
            pitch = None
        if event >= FIRST_PITCH:
            start, pitch = step, event - FIRST_PITCH
    return notes


def markov_contender(order: int, training: Sequence[Piece]) -> Generate:
    """An order-``order`` Markov model over melody events, fitted on ``training``,
    sampling a continuation of the primer's events (it never sees the chords)."""
    sequences = []
    for piece in training:
        notes = piece_notes(piece)
        if notes:
            sequences.append(melody_events(notes, max(n.end_step for n in notes) + 1))
    model = MarkovModel(order, MELODY_CLASSES).fit(sequences)

    def generate(primer: list[Note], primer_steps: int, num_steps: int,
                 chords: list[Chord | None], seed: int) -> list[Note]:
        rng = random.Random(seed)
        history = melody_events(primer, primer_steps)
        for _ in range(num_steps):
            p = model.distribution(tuple(history[len(history) - order:]))
            history.append(rng.choices(range(MELODY_CLASSES), weights=p.tolist())[0])
        return notes_from_events(history[primer_steps:])

    return generate
