"""Metrics: what generated melodies and drum parts look like, beside the data's own.

Melody: the share of notes in the primer's key (Krumhansl-Kessler key finding), the
pitch range and the share of repeated notes. Drums: hits per bar of each drum_kit
class and the share of hits on the 8th-note grid. All on the 16th-note step grid.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

import numpy as np

from psc_looper.models.notes import (
    DRUM_KIT_CLASS_NAMES,
    STEPS_PER_BAR,
    DrumHit,
    Note,
    drum_kit_class,
)

# Krumhansl-Kessler key profiles, C major and C minor (tonic first).
MAJOR_PROFILE = (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88)
MINOR_PROFILE = (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17)
MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)
MINOR_SCALE = (0, 2, 3, 5, 7, 8, 10, 11)  # natural minor plus the leading tone


def estimate_key(notes: Sequence[Note]) -> tuple[int, bool]:
    """(tonic pitch class, is_major) best correlated with the notes' duration profile."""
    histogram = np.zeros(12)
    for n in notes:
        histogram[n.pitch % 12] += n.end_step - n.start_step
    if not histogram.any():
        raise ValueError("no notes to find a key from")
    best = None
    for major, profile in ((True, MAJOR_PROFILE), (False, MINOR_PROFILE)):
        for tonic in range(12):
            r = np.corrcoef(histogram, np.roll(profile, tonic))[0, 1]
            if best is None or r > best[0]:
                best = (r, tonic, major)
    assert best is not None
    return best[1], best[2]


def in_key_share(notes: Sequence[Note], key: tuple[int, bool]) -> float:
    """The share of ``notes`` whose pitch class is in ``key``'s scale."""
    tonic, major = key
    scale = {(tonic + d) % 12 for d in (MAJOR_SCALE if major else MINOR_SCALE)}
    return sum(n.pitch % 12 in scale for n in notes) / len(notes)


def pitch_range(notes: Sequence[Note]) -> int:
    return max(n.pitch for n in notes) - min(n.pitch for n in notes)


def repeated_share(notes: Sequence[Note]) -> float:
    """The share of consecutive note pairs that repeat the same pitch (0 if < 2 notes)."""
    ordered = sorted(notes)
    if len(ordered) < 2:
        return 0.0
    return sum(a.pitch == b.pitch for a, b in itertools.pairwise(ordered)) / (
        len(ordered) - 1)


def melody_metrics(primer: Sequence[Note], continuation: Sequence[Note]) -> dict[str, float]:
    """The melody metrics of ``continuation`` (in the key of ``primer``); {} if it is empty."""
    if not continuation:
        return {}
    return {
        "in_key": in_key_share(continuation, estimate_key(primer)),
        "range": float(pitch_range(continuation)),
        "repeated": repeated_share(continuation),
    }


def class_density(hits: Sequence[DrumHit], num_steps: int) -> dict[str, float]:
    """Hits per 4/4 bar of each drum_kit class (unknown pitches are ignored)."""
    counts = Counter(drum_kit_class(h.pitch) for h in hits)
    bars = num_steps / STEPS_PER_BAR
    return {name: counts[name] / bars for name in DRUM_KIT_CLASS_NAMES}


def eighth_grid_share(hits: Sequence[DrumHit]) -> float:
    """The share of hits on an 8th-note step (even 16th steps); 0 if there are none."""
    return sum(h.step % 2 == 0 for h in hits) / len(hits) if hits else 0.0


def drum_metrics(hits: Sequence[DrumHit], num_steps: int) -> dict[str, float]:
    return {**class_density(hits, num_steps), "eighth_grid": eighth_grid_share(hits)}


def mean_metrics(rows: Sequence[dict[str, float]]) -> dict[str, float]:
    """The mean of each metric over the rows that have it."""
    keys = dict.fromkeys(k for row in rows for k in row)
    return {k: float(np.mean([row[k] for row in rows if k in row])) for k in keys}
