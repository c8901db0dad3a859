"""Chart: a chord chart such as ``"Dm7 G7 | Cmaj7 | % |"`` parsed into timed chords.

Bars are separated by ``|`` (``||``, ``|:`` and ``:|`` too; empty bars between them
are ignored); the chords of a bar share it equally, ``/`` holds the previous chord
for one more share, ``%`` repeats the previous bar. Section labels (``A1:``) are
skipped and chords written without a space between them (``C-7F7``) are split, so
WJazzD's own form charts read too. Without any bar line each chord
fills one bar. A chart repeats: the chord at a beat past its end wraps around.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from psc_looper.harmony.chords import Chord, ChordError, parse_chord
from psc_looper.tomlfiles import quote

_LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9']*:$")
_RUN_ON = re.compile(r"(?<![/N])(?=[A-G])|(?=NC)")  # WJazzD form charts may run chords together
HOLD, REPEAT_BAR = "/", "%"


class ChartError(ValueError):
    """A chart that cannot be read; the message names the symbol and its place."""


@dataclass(frozen=True)
class Chart:
    """Bars of chords: each bar a tuple of equal shares (a chord or None for N.C.)."""

    bars: tuple[tuple[Chord | None, ...], ...]
    text: str = ""

    def spans(self, beats_per_bar: float) -> list[tuple[float, float, Chord | None]]:
        """(start beat, end beat, chord) of each chord, merged where a chord is held."""
        spans: list[tuple[float, float, Chord | None]] = []
        for index, bar in enumerate(self.bars):
            share = beats_per_bar / len(bar)
            for k, chord in enumerate(bar):
                start = index * beats_per_bar + k * share
                if spans and spans[-1][2] == chord and spans[-1][1] == start:
                    spans[-1] = (spans[-1][0], start + share, chord)
                else:
                    spans.append((start, start + share, chord))
        return spans

    def length_beats(self, beats_per_bar: float) -> float:
        return len(self.bars) * beats_per_bar

    def chord_at(self, beat: float, beats_per_bar: float) -> Chord | None:
        """The chord sounding at ``beat`` (from the chart's start, wrapping around)."""
        position = beat % self.length_beats(beats_per_bar)
        bar = self.bars[int(position // beats_per_bar)]
        share = beats_per_bar / len(bar)
        return bar[min(int((position % beats_per_bar) // share), len(bar) - 1)]


def _bars(text: str) -> list[list[str]]:
    tokens = [t for t in text.replace("|", " | ").split() if not _LABEL.match(t)]
    tokens = [t.strip(":") for t in tokens]
    if "|" not in tokens:
        return [[t] for t in tokens if t]
    bars: list[list[str]] = []
    current: list[str] = []
    for token in tokens:
        if token == "|":
            if current:
                bars.append(current)
            current = []
        elif token:
            current.append(token)
    if current:
        bars.append(current)
    return bars


def _chords(token: str) -> list[Chord | None] | None:
    """The chord ``token`` names, or the chords it runs together; None if not chords."""
    try:
        return [parse_chord(token)]
    except ChordError:
        pass
    parts = [p for p in _RUN_ON.split(token) if p]
    if len(parts) < 2:
        return None
    try:
        return [parse_chord(p) for p in parts]
    except ChordError:
        return None


def parse_chart(text: str) -> Chart:
    """The chart in ``text``; ChartError (one line) names an unknown symbol and where."""
    bars: list[tuple[Chord | None, ...]] = []
    previous: Chord | None = None
    for number, tokens in enumerate(_bars(text), start=1):
        if tokens == [REPEAT_BAR]:
            if not bars:
                raise ChartError(f"bar 1: '{REPEAT_BAR}' repeats nothing")
            bars.append(bars[-1])
            continue
        chords: list[Chord | None] = []
        for position, token in enumerate(tokens, start=1):
            if token == HOLD:
                if not chords and not bars:
                    raise ChartError(f"bar {number}, chord {position}: '/' holds nothing")
                chords.append(previous)
                continue
            parsed = _chords(token)
            if parsed is None:
                raise ChartError(f"unknown chord symbol {quote(token)} at bar {number}, "
                                 f"chord {position}")
            chords.extend(parsed)
            previous = parsed[-1]
        bars.append(tuple(chords))
    if not bars:
        raise ChartError("empty chord chart")
    return Chart(tuple(bars), text.strip())
