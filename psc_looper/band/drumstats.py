"""Metrics of drum choruses: what a jazz drummer's time is measured by.

A chorus is one loop's drum notes (``LoopNote``s of a ``LoopStructure``). Measured over
choruses: hits per bar; the time-keeping cymbal (ride or closed hi-hat) on the beats
and on the swung skip (the 16th steps 6 and 14 of a 4/4 bar: the "a" of 2 and 4); the
hi-hat on 2 and 4; snare and kick per bar; the cymbal's pattern on the 16th grid; and
how much one chorus differs from the next (1 - the Jaccard overlap of their hits; all
of them, and the comping only: snare and toms).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from psc_looper.looper.notes import LoopNote
from psc_looper.osc.protocol import Instrument
from psc_looper.timing.meter import LoopStructure

CYMBALS = (Instrument.RIDE, Instrument.CLOSED_HAT)
DRUM_METRICS = ("hits per bar", "cymbal on the beat", "swung skip (a of 2, 4)",
                "hat on 2 and 4", "snare per bar", "kick per bar", "change, chorus to next",
                "change, comping only")
COMPING = (Instrument.SNARE, Instrument.LOW_TOM, Instrument.MID_TOM, Instrument.HIGH_TOM)


def _share(hits: int, of: int) -> float:
    return hits / of if of else float("nan")


def measure_drums(choruses: Sequence[Sequence[LoopNote]],
                  structure: LoopStructure) -> dict[str, float]:
    """The ``DRUM_METRICS`` of ``choruses`` (each one loop of ``structure``)."""
    per_bar, per_beat = structure.meter.steps_per_bar, structure.meter.steps_per_beat
    beats_per_bar = structure.meter.numerator
    bars = len(choruses) * structure.bars
    hits = beats = skips = hats = snares = kicks = 0
    for notes in choruses:
        where = {(n.onset, n.instrument) for n in notes}
        hits += len(notes)
        snares += sum(n.instrument is Instrument.SNARE for n in notes)
        kicks += sum(n.instrument is Instrument.KICK for n in notes)
        for bar in range(structure.bars):
            start = bar * per_bar
            beats += sum(any((start + b * per_beat, c) in where for c in CYMBALS)
                         for b in range(beats_per_bar))
            skips += sum(any((start + s, c) in where for c in CYMBALS) for s in (6, 14)
                         if s < per_bar)
            hats += sum((start + b * per_beat, Instrument.CLOSED_HAT) in where
                        for b in (1, 3) if b < beats_per_bar)
    return dict(zip(DRUM_METRICS, (
        _share(hits, bars), _share(beats, bars * beats_per_bar),
        _share(skips, bars * (2 if per_bar > 14 else 1)),
        _share(hats, bars * (2 if beats_per_bar > 3 else 1)),
        _share(snares, bars), _share(kicks, bars), change(choruses),
        change([[n for n in notes if n.instrument in COMPING] for notes in choruses])),
        strict=True))


def change(choruses: Sequence[Sequence[LoopNote]]) -> float:
    """Mean 1 - |A & B| / |A | B| of consecutive choruses' (onset, sound) hits."""
    sets = [{(n.onset, n.instrument) for n in notes} for notes in choruses]
    pairs = [(a, b) for a, b in pairwise(sets) if a | b]
    if not pairs:
        return float("nan")
    return sum(1 - len(a & b) / len(a | b) for a, b in pairs) / len(pairs)


def cymbal_grid(choruses: Sequence[Sequence[LoopNote]], structure: LoopStructure) -> str:
    """The cymbal on the bar's 16th grid: per step X (in 90% of bars or more), x (50%),
    . (some), - (none); beats separated by |."""
    per_bar, per_beat = structure.meter.steps_per_bar, structure.meter.steps_per_beat
    counts = [0] * per_bar
    bars = len(choruses) * structure.bars
    for notes in choruses:
        seen = {n.onset for n in notes if n.instrument in CYMBALS}
        for onset in seen:
            counts[onset % per_bar] += 1
    marks = ["X" if c >= 0.9 * bars else "x" if c >= 0.5 * bars else "." if c else "-"
             for c in counts]
    return "|".join("".join(marks[b:b + per_beat]) for b in range(0, per_bar, per_beat))
