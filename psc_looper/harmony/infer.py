"""Infer: the chord a set of sounding pitches makes (root, quality, tensions).

For a recorded chord loop: each candidate root among the pitch classes is scored by
how well the others read as its third, fifth and seventh, the lowest pitch favoured
(a slash chord otherwise); the chord keeps every pitch class it was given.
"""

from __future__ import annotations

from collections.abc import Iterable

from psc_looper.harmony.chords import Chord

# interval above the root -> (scale degree, alteration); the third decides 3 and 4
_DEGREE = {0: (1, 0), 1: (9, -1), 2: (9, 0), 3: (3, -1), 4: (3, 0), 5: (11, 0), 6: (5, -1),
           7: (5, 0), 8: (13, -1), 9: (13, 0), 10: (7, -1), 11: (7, 0)}
BASS_BONUS = 1.5  # the lowest note is the root unless another reads clearly better
_SCORES = {4: 3.0, 3: 3.0, 7: 2.0, 10: 1.0, 11: 1.0, 6: 0.5, 8: 0.5, 9: 0.5}


def _score(intervals: set[int]) -> float:
    score = sum(_SCORES.get(i, -0.5) for i in intervals if i)
    if 3 in intervals and 4 in intervals:
        score -= 2.0  # a minor and a major third: the root is likely elsewhere
    return score


def _degrees(intervals: set[int]) -> dict[int, int]:
    degrees = dict(_DEGREE[i] for i in sorted(intervals) if i not in (3, 4))
    if 4 in intervals:
        degrees[3] = 0
        if 3 in intervals:
            degrees[2] = 1  # a #9 beside the major third
    elif 3 in intervals:
        degrees[3] = -1
    if 5 in intervals and 3 not in degrees:
        degrees[4] = degrees.pop(11)  # no third: a suspended fourth
    if 9 in intervals and 7 not in degrees:
        degrees[6] = degrees.pop(13)  # a sixth chord
    if 6 in intervals and 7 not in intervals and degrees.get(3) == 0:
        degrees[11] = 1  # b5 beside a major third reads #11
        del degrees[5]
    return degrees


def chord_of(pitches: Iterable[int]) -> Chord | None:
    """The chord of ``pitches`` (MIDI numbers; at least two pitch classes), else None."""
    pitches = list(pitches)
    classes = {p % 12 for p in pitches}
    if len(classes) < 2:
        return None
    bass = min(pitches) % 12
    root = max(sorted(classes), key=lambda r: _score({(c - r) % 12 for c in classes})
               + (BASS_BONUS if r == bass else 0.0))
    degrees = _degrees({(c - root) % 12 for c in classes})
    return Chord(root, tuple(sorted(degrees.items())), None if bass == root else bass)
