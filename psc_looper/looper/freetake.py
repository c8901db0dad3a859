"""The free-length first take, as on a loop pedal: record from stop, press again to close.

The first press (stopped) starts the clock on the take; keys sound as usual and are kept
with their times; the second press closes it and the loop plays it at once. Its length
sets the loop, one of two ways (``Fit``): ``BARS`` rounds the length to whole bars at the
tempo (the tempo stays), ``TEMPO`` keeps the number of bars and derives the tempo that
makes the take exactly that long. The notes then go through a ``Take`` on the new grid
(swung if the loop swings), keeping their feel. Pure data; the Looper owns one while it
records, under its lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from psc_looper.looper.notes import LoopNote, Track
from psc_looper.looper.recording import Take
from psc_looper.timing.meter import MAX_BARS, MIN_BARS, LoopStructure
from psc_looper.timing.schedule import StepSchedule
from psc_looper.timing.tempo import check_qpm


class Fit(StrEnum):
    BARS = "bars"  # the length rounds to whole bars at the tempo
    TEMPO = "tempo"  # the tempo makes the take the loop's number of bars


@dataclass
class FreeTake:
    track: Track
    fit: Fit
    started: float  # clock time of the first press: the loop's step 0
    _events: list[tuple[int, int, float, float | None]] = field(default_factory=list)

    def note_on(self, pitch: int, velocity: int, t: float) -> None:
        self._events.append((pitch, velocity, t, None))

    def note_off(self, pitch: int, t: float) -> None:
        for k, (p, velocity, began, ended) in enumerate(self._events):
            if p == pitch and ended is None:
                self._events[k] = (p, velocity, began, t)
                return

    def close(self, t: float, structure: LoopStructure, qpm: float,
              swing: float) -> tuple[LoopStructure, float, list[LoopNote]]:
        """The loop the take makes when closed at ``t``: its structure, tempo and notes.
        ``MeterError``/``TempoError`` (one line) if the length makes no loop."""
        length = t - self.started
        quarters_per_bar = structure.meter.steps_per_bar / 4
        if self.fit is Fit.BARS:
            bar_seconds = quarters_per_bar * 60.0 / qpm
            bars = min(MAX_BARS, max(MIN_BARS, round(length / bar_seconds)))
            structure = LoopStructure(structure.meter, bars)
        else:
            qpm = check_qpm(round(structure.bars * quarters_per_bar * 60.0 / length, 3))
        schedule = StepSchedule(0, self.started, qpm, swing)
        steps = structure.steps
        take = Take(self.track, 0, steps, 0, steps)
        for key, (pitch, velocity, began, ended) in enumerate(self._events):
            if take.note_on(key, pitch, velocity, schedule.step_at(began)):
                take.note_off(key, schedule.step_at(t if ended is None else ended))
        return structure, qpm, take.finish()
