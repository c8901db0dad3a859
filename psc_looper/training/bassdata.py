"""Bass data: the learned bass's training set from the WJazzD bass lines.

The lines (``basslines.bass_lines``) are estimates from the recordings, so a solo is
kept only if its line looks like a bass walking the chart (``BassFilter``: a metre of 3
or 4 beats, few repeated notes, chord tones on most first beats). A kept line becomes
segments of consecutive beats with a pitch and a chord, cut where either is missing,
at a leap beyond an octave or outside the register (the beats the Markov baseline's
likelihood counts, so the two are scored on the same beats); each beat is one event
with the chord of the beat and of the next beat (``bassnet.Beat``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from psc_looper.band.bassnet import INPUT_SIZE, MAX_LEAP, BassNet, Beat, allowed, encode
from psc_looper.band.metrics import BassBeat, measure
from psc_looper.band.walker import HIGH, LOW


@dataclass(frozen=True)
class BassFilter:
    """Which solos' lines to learn from (``max_repeats`` 1 and ``min_beat1`` 0: all)."""

    max_repeats: float = 0.3  # share of beats repeating the last pitch
    min_beat1: float = 0.5  # share of first beats on a chord tone (chance is about 1/3)
    meters: tuple[int, ...] = (3, 4)

    def keeps(self, numerator: int, line: Sequence[BassBeat]) -> bool:
        if numerator not in self.meters:
            return False
        m = measure([line])
        return m["repeated note"] <= self.max_repeats and m["chord tone, beat 1"] >= self.min_beat1


NO_FILTER = BassFilter(1.0, 0.0, (3, 4))


@dataclass(frozen=True)
class Segment:
    """A run of beats: ``first`` is the pitch before them, ``pitches`` the ones played."""

    first: int
    beats: tuple[Beat, ...]
    pitches: tuple[int, ...]


def segments(line: Sequence[BassBeat]) -> list[Segment]:
    """The line's runs of countable beats (see the module's docstring)."""
    out: list[Segment] = []
    last: int | None = None
    first: int | None = None
    beats: list[Beat] = []
    pitches: list[int] = []

    def close() -> None:
        if first is not None and pitches:
            out.append(Segment(first, tuple(beats), tuple(pitches)))

    for k, b in enumerate(line):
        if b.pitch is None or b.chord is None or last is None \
                or abs(b.pitch - last) > MAX_LEAP or not LOW <= b.pitch <= HIGH:
            close()
            first, beats, pitches, last = b.pitch, [], [], b.pitch
            continue
        after = line[k + 1].chord if k + 1 < len(line) else None
        beats.append(Beat(b.chord, after or b.chord, b.in_bar, b.change))
        pitches.append(b.pitch)
        last = b.pitch
    close()
    return out


def transposed(segment: Segment, shift: int) -> Segment | None:
    """``segment`` moved by ``shift`` semitones, or None if it leaves the register."""
    pitches = [segment.first, *segment.pitches]
    if min(pitches) + shift < LOW or max(pitches) + shift > HIGH:
        return None
    beats = tuple(Beat(b.chord.transpose(shift), b.following.transpose(shift), b.in_bar,
                       b.change) for b in segment.beats)
    return Segment(segment.first + shift, beats, tuple(p + shift for p in segment.pitches))


def encoded(segment: Segment) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (beats, INPUT_SIZE) and interval classes (beats,) of ``segment``."""
    xs = np.zeros((len(segment.pitches), INPUT_SIZE), np.float32)
    ys = np.zeros(len(segment.pitches), np.int32)
    last, interval = segment.first, None
    for k, (beat, pitch) in enumerate(zip(segment.beats, segment.pitches, strict=True)):
        xs[k] = encode(beat, last, interval)
        interval = pitch - last
        ys[k] = interval + MAX_LEAP
        last = pitch
    return xs, ys


def windows(segs: Iterable[Segment], length: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inputs, targets and a mask (windows, length, ...) of ``length`` beats each; a
    segment longer than a window goes on in the next one (the state starts afresh)."""
    xs, ys, ms = [], [], []
    for segment in segs:
        x, y = encoded(segment)
        for start in range(0, len(y), length):
            n = min(length, len(y) - start)
            pad = length - n
            xs.append(np.pad(x[start:start + n], ((0, pad), (0, 0))))
            ys.append(np.pad(y[start:start + n], (0, pad)))
            ms.append(np.pad(np.ones(n, np.float32), (0, pad)))
    if not xs:
        return (np.zeros((0, length, INPUT_SIZE), np.float32), np.zeros((0, length), np.int32),
                np.zeros((0, length), np.float32))
    return np.stack(xs), np.stack(ys), np.stack(ms)


def bits_per_beat(net: BassNet, segs: list[Segment]) -> float:
    """The mean of ``beat_bits``."""
    bits = beat_bits(net, segs)
    return sum(bits) / len(bits) if bits else float("nan")


def beat_bits(net: BassNet, segs: list[Segment]) -> list[float]:
    """-log2 probability of each beat's pitch (among the register's pitches within an
    octave of the last: the Markov baseline's support), on the NumPy engine."""
    bits = []
    for segment in segs:
        xs, ys = encoded(segment)
        logits, _ = net.network.run(xs[None], net.network.zero_state(1))
        last = segment.first
        for k, y in enumerate(ys):
            row = np.where(allowed(last), logits[0, k], -np.inf)
            row = row - row.max()
            bits.append(-float(row[y] - math.log(np.exp(row).sum())) / math.log(2))
            last += int(y) - MAX_LEAP
    return bits
