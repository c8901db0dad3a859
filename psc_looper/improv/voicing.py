"""Voicing: where the machine's pitches sound — register, keyboard range, chord and scale
fitting, chords that follow the melody. Pure functions."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence

from psc_looper.improv.held import held_per_step
from psc_looper.improv.options import KEY_HIGH, KEY_LOW, Fit
from psc_looper.looper.notes import LoopNote

MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)
PitchClasses = frozenset[int]


def fold_into_range(pitch: int, low: int = KEY_LOW, high: int = KEY_HIGH) -> int:
    """Move ``pitch`` by octaves into ``low..high``."""
    while pitch < low:
        pitch += 12
    while pitch > high:
        pitch -= 12
    return pitch


def reference_pitch(recent: Sequence[int]) -> int | None:
    """Where the pianist's hands are: the median of their recent notes (None if none)."""
    return round(statistics.median(recent)) if recent else None


def place_line(pitches: Sequence[int], reference: int | None) -> list[int]:
    """Shift a line by whole octaves so its first pitch is within a tritone of
    ``reference`` (unshifted if None), then fold each pitch into the keyboard."""
    shift = 0
    if pitches and reference is not None:
        shift = 12 * round((reference - pitches[0]) / 12)
    return [fold_into_range(p + shift) for p in pitches]


def within_leap(pitch: int, previous: int | None, max_leap: int) -> int:
    """``pitch`` moved by octaves to the nearest of ``previous`` when it leaps further
    than ``max_leap`` semitones from it (a ninth becomes a step; the pitch class stays)."""
    if previous is None or abs(pitch - previous) <= max_leap:
        return pitch
    return fold_into_range(pitch - 12 * round((pitch - previous) / 12))


def nearest_in(pitch: int, classes: Iterable[int]) -> int:
    """The nearest pitch whose pitch class is in ``classes`` (the lower one on a tie)."""
    allowed = set(classes)
    if not allowed:
        return pitch
    for distance in range(7):
        for candidate in (pitch - distance, pitch + distance):
            if candidate % 12 in allowed:
                return candidate
    return pitch  # unreachable: any class is within a tritone


def chord_map(chords: Sequence[LoopNote], loop_steps: int) -> list[PitchClasses]:
    """The pitch classes sounding at each step of the loop; a step where none sound
    keeps the chord that sounded last (wrapping around). Empty when there are no chords."""
    return held_per_step(chords, loop_steps, lambda pitches: frozenset(p % 12 for p in pitches))


def loop_scale(chords: Sequence[LoopNote]) -> PitchClasses:
    """The major scale (of the twelve) covering the most chord-note duration; ties go to
    the lowest tonic. Empty when there are no chords."""
    if not chords:
        return frozenset()
    weight = [0] * 12
    for note in chords:
        weight[note.pitch % 12] += note.duration

    def coverage(tonic: int) -> int:
        return sum(weight[(tonic + i) % 12] for i in MAJOR_SCALE)

    tonic = max(range(12), key=lambda t: (coverage(t), -t))
    return frozenset((tonic + i) % 12 for i in MAJOR_SCALE)


def fit_pitch(pitch: int, chord: PitchClasses, scale: PitchClasses, fit: Fit) -> int:
    """Fit a generated pitch to the harmony: the nearest chord tone, or the nearest tone
    of the scale plus the chord; unchanged with ``Fit.OFF`` or no chord."""
    if fit is Fit.OFF or not chord:
        return pitch
    allowed = chord if fit is Fit.CHORD else chord | scale
    return fold_into_range(nearest_in(pitch, allowed))


def follow(anchor_key: int, anchor_pitch: int, key: int) -> int:
    """A chord key while the machine leads: it keeps its interval to the chord's first key."""
    return fold_into_range(anchor_pitch + key - anchor_key)
