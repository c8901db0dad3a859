"""Metrics of a bass line against its chords: what a walking bass is measured by.

A line is one ``BassBeat`` per beat: the pitch (None: none heard or played), the chord
(None: N.C.), the beat in its bar (0 = beat 1) and whether the chord changes there.
Shares are over the beats they apply to that have a pitch and a chord. The interval
entropy (of the intervals from beat to beat, pooled) measures variety: a line that
always does the same few moves scores low.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from psc_looper.band.walker import chord_tones
from psc_looper.harmony.chords import Chord


@dataclass(frozen=True)
class BassBeat:
    pitch: int | None
    chord: Chord | None
    in_bar: int
    change: bool


METRICS = ("chord tone, beat 1", "chord tone, all beats", "root on a change",
           "approach into a change", "stepwise (1-2 st)", "repeated note", "range (st, median)",
           "interval entropy (bits)", "median pitch", "below G1", "above B2",
           "longest below G1 (bars)")
G1, B2 = 31, 47


def tone_class(pitch: int, chord: Chord) -> int:
    """0 root, 1 fifth, 2 third, 3 seventh/sixth, 4 another chord note, 5 not in the chord."""
    tones = chord_tones(chord)
    pc = pitch % 12
    if pc in tones:
        return min(tones.index(pc), 3)
    return 4 if pc in chord.pitch_classes else 5


def _share(hits: Sequence[bool]) -> float:
    return sum(hits) / len(hits) if hits else float("nan")


def measure(lines: Iterable[Sequence[BassBeat]]) -> dict[str, float]:
    """The ``METRICS`` over every line (shares 0..1; range in semitones; the median
    pitch over every beat; the longest run of beats below G1 in any line, in bars)."""
    beat1, every, roots, approach, steps, repeats, ranges = [], [], [], [], [], [], []
    intervals: Counter[int] = Counter()
    heard: list[int] = []
    longest_low = 0.0
    for line in lines:
        pitches = [b.pitch for b in line if b.pitch is not None]
        if pitches:
            ranges.append(max(pitches) - min(pitches))
            heard += pitches
            bar = max(b.in_bar for b in line) + 1
            longest_low = max(longest_low, _longest_below(pitches, G1) / bar)
        for k, b in enumerate(line):
            if b.pitch is None or b.chord is None:
                continue
            tone = tone_class(b.pitch, b.chord) <= 3
            every.append(tone)
            if b.in_bar == 0:
                beat1.append(tone)
            if b.change:
                roots.append(b.pitch % 12 == b.chord.root)
            after = line[k + 1] if k + 1 < len(line) else None
            if after is not None and after.change and after.chord is not None:
                distance = (b.pitch - after.chord.root) % 12
                approach.append(min(distance, 12 - distance) in (1, 2))
            if after is not None and after.pitch is not None:
                interval = abs(after.pitch - b.pitch)
                steps.append(interval in (1, 2))
                repeats.append(interval == 0)
                intervals[after.pitch - b.pitch] += 1
    ranges.sort()
    return dict(zip(METRICS, (_share(beat1), _share(every), _share(roots), _share(approach),
                              _share(steps), _share(repeats),
                              float(ranges[len(ranges) // 2]) if ranges else float("nan"),
                              _entropy(intervals),
                              float(sorted(heard)[len(heard) // 2]) if heard else float("nan"),
                              _share([p < G1 for p in heard]), _share([p > B2 for p in heard]),
                              longest_low),
                    strict=True))


def _longest_below(pitches: Sequence[int], limit: int) -> int:
    """The longest run of ``pitches`` in a row below ``limit``."""
    run = longest = 0
    for pitch in pitches:
        run = run + 1 if pitch < limit else 0
        longest = max(longest, run)
    return longest


def _entropy(counts: Counter[int]) -> float:
    total = sum(counts.values())
    return -sum(n / total * math.log2(n / total) for n in counts.values()) if total else \
        float("nan")


def chord_line(chords: Sequence[Chord | None], in_bar: Sequence[int],
               pitches: Sequence[int | None]) -> list[BassBeat]:
    """A line from parallel per-beat chords, beat-in-bar numbers and pitches."""
    return [BassBeat(p, c, b, k == 0 or c != chords[k - 1])
            for k, (c, b, p) in enumerate(zip(chords, in_bar, pitches, strict=True))]
