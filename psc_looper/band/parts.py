"""Parts: one loop's band notes (bass and drums) from a chart, as loop notes.

The loop's steps map to the chart from its origin (the absolute step of its bar 1), so
a loop shorter than the chart plays the next bars of the form each time round, and one
longer repeats the chart; the walker carries its last note from loop to loop.
``chorus`` is one loop of both, pure: the same plan gives the same notes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from psc_looper.band.drummer import Drummer
from psc_looper.band.learned import new_bass
from psc_looper.band.walker import Walker
from psc_looper.harmony.chart import Chart
from psc_looper.harmony.chords import Chord
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.osc.protocol import Instrument
from psc_looper.timing.meter import LoopStructure

TWO_FEEL = ("two", "ballad", "bossa")  # styles whose bass plays half notes
FIRST_PITCH = 36  # C2: where the first chorus walks from


def beat_chords(chart: Chart, first_beat: int, count: int,
                beats_per_bar: int) -> list[Chord | None]:
    """The chart's chord on ``count`` beats from chart beat ``first_beat`` (wrapping)."""
    return [chart.chord_at(first_beat + k, beats_per_bar) for k in range(count)]


def bass_part(walker: Walker, chart: Chart, origin: int, loop_start: int,
              structure: LoopStructure) -> list[LoopNote]:
    """The walking bass of the loop starting at absolute step ``loop_start``."""
    meter = structure.meter
    spb, per_bar = meter.steps_per_beat, meter.numerator
    first = (loop_start - origin) // spb
    count = structure.steps // spb
    chords = beat_chords(chart, first, count, per_bar)
    before = chart.chord_at(first - 1, per_bar)
    following = chart.chord_at(first + count, per_bar)
    notes = walker.walk(chords, following, before)
    return [LoopNote(n.beat * spb, Track.BASS, Instrument.BASS, n.pitch,
                     96 if n.beat % per_bar == 0 else 84, max(1, n.beats * spb - 1))
            for n in notes]  # a 16th short of the next note: each one plucked


def drums_part(drummer: Drummer, chart: Chart, origin: int, loop_start: int,
               structure: LoopStructure) -> list[LoopNote]:
    """The drums of that loop: a crash on the form's first bar, a fill on its last."""
    per_bar = structure.meter.steps_per_bar
    form = len(chart.bars)
    first_bar = (loop_start - origin) // per_bar
    notes: list[LoopNote] = []
    for bar in range(structure.bars):
        in_form = (first_bar + bar) % form
        for hit in drummer.bar(in_form == 0, in_form == form - 1, in_form):
            if hit.step < per_bar:
                notes.append(LoopNote(bar * per_bar + hit.step, Track.DRUMS, hit.instrument,
                                      hit.pitch, hit.velocity))
    return notes


@dataclass(frozen=True)
class Plan:
    """What one chorus (a loop of the band) is made from."""

    chart: Chart
    origin: int  # the absolute step of the chart's bar 1
    loop_start: int  # the absolute step the chorus starts on
    structure: LoopStructure
    style: str
    seed: int  # the chorus's own: the run's seed and the chorus number
    start: int  # the pitch the bass walks on from (the last chorus's last note)
    bass_volume: float = 1.0
    drums_volume: float = 1.0
    bass_line: str = "walker"  # who walks: one of ``learned.KINDS``


@dataclass(frozen=True)
class Chorus:
    plan: Plan
    bass: tuple[LoopNote, ...]
    drums: tuple[LoopNote, ...]
    last: int  # the bass's last pitch (where the next chorus walks on from)


def chorus_seed(seed: int, number: int) -> int:
    """Chorus ``number``'s own seed (1 is the first) from the run's ``seed``."""
    return seed * 1000 + number


def choruses(chart: Chart, structure: LoopStructure, style: str, seed: int,
             count: int, start: int = FIRST_PITCH) -> list[Chorus]:
    """``count`` choruses one after another from the chart's bar 1, as the band plays
    them unheld: each from its own seed, the bass walking on from the last."""
    out: list[Chorus] = []
    for number in range(1, count + 1):
        plan = Plan(chart, 0, (number - 1) * structure.steps, structure, style,
                    chorus_seed(seed, number), out[-1].last if out else start)
        out.append(chorus(plan))
    return out


def chorus(plan: Plan) -> Chorus:
    """One loop of bass and drums from ``plan`` (pure)."""
    walker = new_bass(plan.bass_line, plan.structure.meter.numerator,
                      two_feel=plan.style in TWO_FEEL, seed=plan.seed)
    walker.last = plan.start
    bass = bass_part(walker, plan.chart, plan.origin, plan.loop_start, plan.structure)
    drums = drums_part(Drummer(plan.style, seed=plan.seed), plan.chart, plan.origin,
                       plan.loop_start, plan.structure)
    return Chorus(plan, _louder(bass, plan.bass_volume), _louder(drums, plan.drums_volume),
                  walker.last)


def _louder(notes: list[LoopNote], volume: float) -> tuple[LoopNote, ...]:
    """Velocities times ``volume`` (at least 1: a band volume of 0 is the track's mute)."""
    if volume == 1.0:
        return tuple(notes)
    return tuple(replace(n, velocity=max(1, min(127, round(n.velocity * volume))))
                 for n in notes)
