"""A Markov baseline bass: the next interval, and the chord-tone class it lands on, given
the last ``order`` intervals, whether the chord changes and whether it is beat 1.

A pitch's probability is P(interval) * P(class) / (pitch classes of the chord in that
class): the class 'not in the chord' holds about eight pitch classes, the root one.

Trained by counting on bass lines (``metrics.BassBeat``); it backs off to shorter
contexts (interpolated, add-``alpha`` smoothed) and samples among the pitches of the
bass register, so it gives a likelihood of a held-out line too.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from psc_looper.band.metrics import BassBeat, tone_class
from psc_looper.band.walker import HIGH, LOW, place
from psc_looper.harmony.chords import Chord

MAX_LEAP = 12
Key = tuple[object, ...]


class MarkovBass:
    def __init__(self, order: int = 1, alpha: float = 0.1, mix: float = 0.7) -> None:
        self.order, self.alpha, self.mix = order, alpha, mix
        self.intervals: dict[Key, Counter[int]] = defaultdict(Counter)
        self.classes: dict[Key, Counter[int]] = defaultdict(Counter)

    def _contexts(self, intervals: Sequence[int], change: bool, downbeat: bool) -> list[Key]:
        """The contexts from the longest to none (the order-0 one still sees the beat)."""
        tail = tuple(intervals[-self.order:]) if self.order else ()
        return [(len(tail) - k, tail[k:], change, downbeat) for k in range(len(tail) + 1)]

    def train(self, lines: Iterable[Sequence[BassBeat]]) -> MarkovBass:
        for line in lines:
            intervals: list[int] = []
            last: int | None = None
            for b in line:
                if b.pitch is None or b.chord is None or last is None:
                    intervals, last = [], b.pitch
                    continue
                interval = b.pitch - last
                if abs(interval) <= MAX_LEAP:
                    for key in self._contexts(intervals, b.change, b.in_bar == 0):
                        self.intervals[key][interval] += 1
                        self.classes[key][tone_class(b.pitch, b.chord)] += 1
                intervals, last = [*intervals, max(-MAX_LEAP, min(MAX_LEAP, interval))], b.pitch
        return self

    def _probability(self, table: dict[Key, Counter[int]], event: int, keys: list[Key],
                     outcomes: int) -> float:
        """Interpolated: mix * the longest context's + (1 - mix) * the next shorter's ..."""
        p = 1.0 / outcomes
        for key in reversed(keys):  # shortest first
            counts = table.get(key)
            if counts:
                total = sum(counts.values())
                own = (counts[event] + self.alpha * p) / (total + self.alpha)
                p = self.mix * own + (1 - self.mix) * p
        return p

    def _weights(self, last: int, chord: Chord, keys: list[Key]) -> list[tuple[int, float]]:
        sizes = Counter(tone_class(pc, chord) for pc in range(12))
        weights = []
        for p in range(max(LOW, last - MAX_LEAP), min(HIGH, last + MAX_LEAP) + 1):
            kind = tone_class(p, chord)
            weights.append((p, self._probability(self.intervals, p - last, keys, 2 * MAX_LEAP + 1)
                            * self._probability(self.classes, kind, keys, 6) / sizes[kind]))
        return weights

    def generate(self, line: Sequence[BassBeat], seed: int = 0) -> list[int | None]:
        """A pitch for each beat of ``line`` (its chords and positions; its pitches unused)."""
        rng = random.Random(seed)
        out: list[int | None] = []
        last: int | None = None
        intervals: list[int] = []
        for b in line:
            if b.chord is None:
                out.append(None)
                last, intervals = None, []
                continue
            if last is None:
                pitch = place(b.chord.root, 36)
            else:
                weights = self._weights(last, b.chord,
                                        self._contexts(intervals, b.change, b.in_bar == 0))
                pitch = rng.choices([p for p, _ in weights], [w for _, w in weights])[0]
                intervals.append(pitch - last)
            out.append(pitch)
            last = pitch
        return out

    def bits_per_beat(self, lines: Iterable[Sequence[BassBeat]]) -> float:
        """The mean of ``beat_bits``."""
        bits = self.beat_bits(lines)
        return sum(bits) / len(bits) if bits else float("nan")

    def beat_bits(self, lines: Iterable[Sequence[BassBeat]]) -> list[float]:
        """The -log2 probability of each pitch of held-out ``lines`` in the register
        within a leap of the last (beats after a gap or a longer leap are not counted)."""
        bits = []
        for line in lines:
            last: int | None = None
            intervals: list[int] = []
            for b in line:
                if b.pitch is None or b.chord is None or last is None \
                        or abs(b.pitch - last) > MAX_LEAP or not LOW <= b.pitch <= HIGH:
                    last, intervals = b.pitch, []
                    continue
                weights = dict(self._weights(last, b.chord,
                                             self._contexts(intervals, b.change, b.in_bar == 0)))
                bits.append(-math.log2(weights[b.pitch] / sum(weights.values())))
                intervals.append(b.pitch - last)
                last = b.pitch
        return bits
