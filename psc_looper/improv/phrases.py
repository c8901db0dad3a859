"""Phrases: the machine's own phrase, drawn step by step from a stepped model (its own
rhythm, pitches and durations) over the chords of the steps it will sound over, primed
with the pianist's phrase as played (so its register continues from it); velocities
follow the metric accents. Pure but for the stepper it is given (its owner's).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from psc_looper.harmony.chords import Chord
from psc_looper.improv.follower import primer_events
from psc_looper.inference.stepper import NO_EVENT, NOTE_OFF, Stepper
from psc_looper.looper.machine import PhraseNote

MAX_PRIMER_STEPS = 64
ACCENTS = {0: 100, 8: 92}  # step in the bar (16ths of 4/4) -> velocity; beats 84, else 70
BEAT, OFFBEAT = 84, 70


def velocity_at(step: int, steps_per_beat: int = 4) -> int:
    """The metric accent of absolute ``step`` (bars of four beats of 16ths)."""
    in_bar = step % (4 * steps_per_beat)
    if in_bar in ACCENTS:
        return ACCENTS[in_bar]
    return BEAT if step % steps_per_beat == 0 else OFFBEAT


def primer_for(played: Sequence[tuple[float, float, int]], first: int) -> tuple[int, list[int]]:
    """The primer steps before ``first``: (its first step, its events) from the notes
    (onset, end, pitch) heard; at least one step (a rest when nothing was played)."""
    if not played:
        return first - 1, [NO_EVENT]
    start = max(int(min(onset for onset, _, _ in played)), first - MAX_PRIMER_STEPS)
    start = min(start, first - 1)
    return start, primer_events(played, start, first - 1)


def draw_phrase(stepper: Stepper, played: Sequence[tuple[float, float, int]],
                chords: Sequence[Chord | None], first: int, steps: int,
                rng: np.random.Generator, chord_weight: float = 1.0) -> list[PhraseNote]:
    """The phrase of ``steps`` steps from absolute step ``first``: ``chords`` holds one chord
    per step from the primer's first step to the phrase's end (``primer_for``'s start)."""
    start, events = primer_for(played, first)
    assert len(chords) == first - start + steps, "one chord per primer and phrase step"
    stepper.start(events, list(chords[: len(events)]))
    drawn: list[int] = []
    for i in range(steps):
        chord = chords[len(events) + i]
        p = pitch_weighted(stepper, chord, chord_weight)
        event = stepper.events()[int(rng.choice(len(p), p=p))]
        stepper.advance(event, chord)
        drawn.append(event)
    return notes_of(drawn, first)


def pitch_weighted(stepper: Stepper, chord: Chord | None, chord_weight: float) -> np.ndarray:
    """The next step's distribution with ``chord``'s tones weighted among the note-ons
    only: the chance of a note-on at all stays the model's (its rhythm), the weight
    chooses which pitch."""
    p = stepper.distribution(chord)
    if chord is None or chord_weight == 1.0:
        same: np.ndarray = p / p.sum()
        return same
    events = np.array(stepper.events())
    onsets = events >= 0
    tones = onsets & np.isin(events % 12, list(chord.pitch_classes))
    q = np.where(tones, p * chord_weight, p)
    mass = q[onsets].sum()
    if mass > 0:
        q[onsets] *= p[onsets].sum() / mass
    result: np.ndarray = q / q.sum()
    return result


def notes_of(events: Sequence[int], first: int) -> list[PhraseNote]:
    """Melody events from ``first`` as notes: a pitch starts one, NOTE_OFF or the next pitch
    ends it, NO_EVENT holds; the last ends with the events."""
    notes: list[PhraseNote] = []
    onset: tuple[int, int] | None = None  # (step, pitch) of the note sounding

    def close(at: int) -> None:
        if onset is not None:
            step, pitch = onset
            notes.append(PhraseNote(step, pitch, velocity_at(step), at - step))

    for i, event in enumerate(events):
        if event >= 0 or event == NOTE_OFF:
            close(first + i)
            onset = (first + i, event) if event >= 0 else None
    close(first + len(events))
    return notes
