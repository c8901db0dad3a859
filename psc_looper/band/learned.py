"""Learned bass: a walking bass sampled from the bass net, beat by beat.

``LearnedBass`` is a ``Walker`` whose note on each beat is drawn from the net
(``bassnet``) given the chord of the beat and of the next one; it keeps the walker's
two-feel and note lengths, and carries the net's state from call to call (a line goes
on across loops). ``fit`` (the hybrid, on by default) keeps the net's distribution but
allows only the root where the chord changes and only chord tones on the other strong
beats (1, and 3 in 4/4). ``new_bass`` picks the walker or the model by name;
``chorus`` walks a whole chart. Pure: the same chords and seed give the same line.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from psc_looper.band.bassnet import MAX_LEAP, BassNet, Beat, encode
from psc_looper.band.metrics import tone_class
from psc_looper.band.walker import BassNote, Walker
from psc_looper.bundles import DEFAULT_BASS_MODEL
from psc_looper.harmony.chart import Chart, parse_chart
from psc_looper.harmony.chords import Chord

KINDS = ("walker", "model", "free model")  # "model": with the chord-tone constraints


@cache
def _shipped(path: Path) -> BassNet:
    return BassNet.load(path)


def check_bass_line(kind: str) -> None:
    """The model the bass line ``kind`` plays loads (``BassNetError``, a ValueError, one
    line naming the file), so a bad one is refused where it is chosen, not at a loop."""
    if kind != "walker":
        _shipped(DEFAULT_BASS_MODEL)


class LearnedBass(Walker):
    """A walking bass from the bass net (``fit``: root on changes, chord tones on the
    strong beats)."""

    def __init__(self, beats_per_bar: int = 4, two_feel: bool = False, seed: int = 0,
                 net: BassNet | None = None, fit: bool = True) -> None:
        super().__init__(beats_per_bar, two_feel, seed, skips=0.0)
        self.net = net or _shipped(DEFAULT_BASS_MODEL)
        self.fit = fit
        self._state = self.net.zero_state()
        self._interval: int | None = None

    def _pitch(self, chord: Chord, upcoming: Chord | None, change: bool, in_bar: int,
               changes_next: bool) -> int:
        beat = Beat(chord, upcoming or chord, in_bar, change)
        logp, self._state = self.net.step(encode(beat, self.last, self._interval),
                                          self._state, self.last)
        if self.fit:
            logp = np.where(self._fits(chord, upcoming, change, in_bar, changes_next,
                                       np.isfinite(logp)), logp, -np.inf)
        p = np.exp(logp - logp.max())
        k = int(np.searchsorted(np.cumsum(p), self.rng.random() * p.sum(), side="right"))
        self._interval = min(k, len(p) - 1) - MAX_LEAP
        return self.last + self._interval

    def _fits(self, chord: Chord, upcoming: Chord | None, change: bool, in_bar: int,
              changes_next: bool, ok: np.ndarray) -> np.ndarray:
        """The intervals the rules allow, each rule kept only if some interval in ``ok``
        still meets it, in order: the root where the chord changes, else a chord tone on
        a strong beat; into a change, a half or whole step from its root or its fifth;
        never the same pitch twice."""
        targets = self.last + np.arange(-MAX_LEAP, MAX_LEAP + 1)
        rules = []
        if change:
            rules.append(targets % 12 == chord.root)
        elif in_bar == 0 or (self.beats_per_bar == 4 and in_bar == 2):
            rules.append(np.array([tone_class(int(t), chord) <= 3 for t in targets]))
        if upcoming is not None and changes_next:
            distance = (targets - upcoming.root) % 12
            rules.append(np.isin(distance, (1, 2, 7, 10, 11)))
        rules.append(targets != self.last)
        for rule in rules:
            if (ok & rule).any():
                ok = ok & rule
        return ok


def new_bass(kind: str = "walker", beats_per_bar: int = 4, two_feel: bool = False,
             seed: int = 0, model: Path | None = None) -> Walker:
    """The bass player named ``kind`` (one of ``KINDS``); ValueError names a bad one."""
    if kind == "walker":
        return Walker(beats_per_bar, two_feel, seed)
    if kind not in KINDS:
        raise ValueError(f"bass must be one of {', '.join(KINDS)}, not {kind!r}")
    net = BassNet.load(model) if model is not None else None
    return LearnedBass(beats_per_bar, two_feel, seed, net, fit=kind == "model")


def chorus(chart: Chart | str, kind: str = "model", beats_per_bar: int = 4,
           seed: int = 0, two_feel: bool = False) -> list[BassNote]:
    """One chorus of ``chart`` (a ``Chart`` or its text: ChartError names a bad symbol)."""
    if isinstance(chart, str):
        chart = parse_chart(chart)
    count = len(chart.bars) * beats_per_bar
    chords: Sequence[Chord | None] = [chart.chord_at(k, beats_per_bar) for k in range(count)]
    return new_bass(kind, beats_per_bar, two_feel, seed).walk(
        chords, following=chart.chord_at(count, beats_per_bar))
