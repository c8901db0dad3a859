"""Drummer: a bar of drums from a pattern table, with comping, fills and crashes.

Each style is a table (written here, not taken from any data set) of hits per bar on
the 16th grid: the ride or hi-hat pattern, the hi-hat foot, the (feathered) kick. On
top: snare comping that varies bar to bar (chosen by the seed), at the end of a phrase
(every 4th bar) now and then a set-up into the next (a snare and kick "bomb" on the
last eighth, or a short fill at an 8-bar phrase), a fill in the last bar of the form,
a crash with the kick on its first beat. The bossa's cross-stick is a two-bar figure
that now and then turns around. The loop's swing plays the off-beat eighths late, as
it does every loop note.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from psc_looper.models.notes import drum_kit_pitch
from psc_looper.osc.protocol import Instrument

STYLES = ("swing", "two", "ballad", "waltz", "bossa")


@dataclass(frozen=True)
class Hit:
    step: int  # 16th step in the bar
    sound: str  # a drum_kit class: ride, closed_hat, kick, snare, crash, ...
    velocity: int

    @property
    def instrument(self) -> Instrument:
        return Instrument[self.sound.upper()]

    @property
    def pitch(self) -> int:
        return drum_kit_pitch(self.sound)


@dataclass(frozen=True)
class Pattern:
    numerator: int  # beats per bar
    hits: tuple[tuple[int, str, int], ...]  # (step, sound, velocity)
    comp: tuple[int, ...] = ()  # steps the snare may comp on
    comp_chance: float = 0.0
    fill: bool = True
    setup_chance: float = 0.0  # a set-up at a phrase end (every 4th bar)
    clave: bool = False  # the cross-stick plays the two-bar figure (the bossa)


_SWING_RIDE = ((0, "ride", 84), (4, "ride", 90), (6, "ride", 62), (8, "ride", 84),
               (12, "ride", 90), (14, "ride", 62), (4, "closed_hat", 70), (12, "closed_hat", 70))
PATTERNS: dict[str, Pattern] = {
    "swing": Pattern(4, (*_SWING_RIDE, *((s, "kick", 30) for s in (0, 4, 8, 12))),
                     comp=(2, 6, 10, 14, 12), comp_chance=0.22, setup_chance=0.5),
    "two": Pattern(4, (*_SWING_RIDE, (0, "kick", 40), (8, "kick", 34)),
                   comp=(6, 14), comp_chance=0.12, setup_chance=0.35),
    "ballad": Pattern(4, ((0, "ride", 44), (4, "ride", 48), (8, "ride", 44), (12, "ride", 48),
                          (4, "closed_hat", 40), (12, "closed_hat", 40), (0, "kick", 24)),
                      comp=(6, 14), comp_chance=0.1, fill=False, setup_chance=0.15),
    "waltz": Pattern(3, ((0, "ride", 84), (4, "ride", 88), (6, "ride", 60), (8, "ride", 84),
                         (4, "closed_hat", 68), (8, "closed_hat", 60), (0, "kick", 34)),
                     comp=(6, 10), comp_chance=0.2, setup_chance=0.35),
    "bossa": Pattern(4, (*((s, "closed_hat", 60 + 12 * (s % 4 == 0)) for s in range(0, 16, 2)),
                         (0, "kick", 70), (6, "kick", 50), (8, "kick", 70), (14, "kick", 50)),
                     comp=(2, 14), comp_chance=0.12, fill=False, setup_chance=0.3, clave=True),
}
_CLAVE = ((0, 6, 12), (4, 10))  # the bossa's cross-stick, bar one and bar two
_SETUP = ((14, "snare", 74), (14, "kick", 66))  # the bomb on the last eighth
_SHORT_FILL = ((12, "snare", 64), (13, "snare", 58), (14, "high_tom", 70), (15, "low_tom", 76))
_FILL = ((8, "snare", 70), (10, "snare", 64), (12, "high_tom", 76), (13, "mid_tom", 72),
         (14, "low_tom", 84))


class Drummer:
    """Bars of a style; ``bar`` says where in the form a bar is."""

    def __init__(self, style: str = "swing", seed: int = 0) -> None:
        if style not in PATTERNS:
            raise ValueError(f"unknown band style {style!r} (one of {', '.join(STYLES)})")
        self.pattern = PATTERNS[style]
        self.rng = random.Random(seed)
        self._clave = 0  # the bossa's bar of the two-bar figure

    def bar(self, first_of_form: bool, last_of_form: bool, in_form: int = 1) -> list[Hit]:
        """The hits of one bar: crash on the form's first, fill on its last; ``in_form``
        (0-based bar of the form) places the phrase ends (every 4th bar)."""
        pattern = self.pattern
        hits = [Hit(*h) for h in pattern.hits]
        if pattern.clave:  # the bossa's cross-stick figure
            if first_of_form:
                self._clave = 0
            hits += [Hit(s, "snare", 45) for s in _CLAVE[self._clave]]
            self._clave = 1 - self._clave
        hits += [Hit(s, "snare", self.rng.randint(38, 62)) for s in pattern.comp
                 if self.rng.random() < pattern.comp_chance]
        if not last_of_form and (in_form + 1) % 4 == 0 \
                and self.rng.random() < pattern.setup_chance:
            hits += self._setup(long=(in_form + 1) % 8 == 0 and pattern.fill)
            if pattern.clave:
                self._clave = 1 - self._clave  # the figure turns around
        if first_of_form:
            hits += [Hit(0, "crash", 96), Hit(0, "kick", 80)]
        if last_of_form and pattern.fill and pattern.numerator == 4:
            hits = [h for h in hits if h.step < 8 or h.sound in ("ride", "closed_hat")]
            hits += [Hit(*h) for h in _FILL]
        return sorted(hits, key=lambda h: (h.step, h.sound))

    def _setup(self, long: bool) -> list[Hit]:
        """Into the next phrase: a short fill on beat 4 (``long``) or the bomb."""
        figure = _SHORT_FILL if long and self.pattern.numerator == 4 else _SETUP
        return [Hit(step, sound, velocity) for step, sound, velocity in figure
                if step < 4 * self.pattern.numerator]
