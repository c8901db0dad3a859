"""Changes: the chord under every step, for generating the machine's line over it.

Where the harmony comes from, the first that applies: a chord chart (``--changes``,
``[improv] changes`` in the performer config or a song) whose first bar starts on the
loop start where it was set, repeating with its own length; the recorded chord loop,
its chord inferred at each loop step; the chord of what the pianist's accompaniment
(the hand that is not the melody) struck in the last bar, held; otherwise no chord.
Steps are absolute 16th-note steps of the transport, so a tempo change does not move a
chord and the loop and the chart wrap around by themselves.

A ``Changes`` is an immutable snapshot: the improv feature swaps it whole under its lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from psc_looper.harmony.chart import Chart
from psc_looper.harmony.chords import Chord
from psc_looper.harmony.infer import chord_of
from psc_looper.improv.held import held_per_step
from psc_looper.looper.notes import LoopNote
from psc_looper.timing.meter import Meter


@dataclass(frozen=True)
class Changes:
    chart: Chart | None = None
    origin: int = 0  # the absolute step where the chart's first bar starts
    loop: tuple[Chord | None, ...] = ()  # per loop step, from the recorded chord loop
    loop_start: int = 0  # the absolute step of a loop start
    meter: Meter = field(default_factory=Meter)
    live: Chord | None = None  # the accompaniment's last chord, played live

    @property
    def known(self) -> bool:
        return self.chart is not None or any(self.loop) or self.live is not None

    def at(self, step: int) -> Chord | None:
        """The chord sounding at absolute ``step``."""
        if self.chart is not None:
            beat = (step - self.origin) / self.meter.steps_per_beat
            return self.chart.chord_at(beat, self.meter.numerator)
        if any(self.loop):
            return self.loop[(step - self.loop_start) % len(self.loop)]
        return self.live

    def span(self, first: int, count: int) -> list[Chord | None]:
        """The chords at the ``count`` steps from absolute step ``first``."""
        return [self.at(first + k) for k in range(count)]


def live_chord(struck: dict[int, float], now: float, window: float) -> Chord | None:
    """The chord of the accompaniment keys (key -> step struck) struck within ``window``
    steps before ``now``; None if they make no chord."""
    return chord_of(k for k, at in struck.items() if now - window <= at <= now)


def loop_chords(notes: Sequence[LoopNote], loop_steps: int) -> tuple[Chord | None, ...]:
    """The chord at each step of a recorded chord loop: the notes sounding there, or where
    none sound, the chord sounding last (wrapping around). Empty if no chord is found."""
    return tuple(held_per_step(notes, loop_steps, chord_of))
