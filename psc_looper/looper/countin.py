"""The count-in: one bar of click before the loop when recording starts from stop.

``CountIn`` is a Looper mixin. With the count-in on and a recording mode armed,
``play`` starts one bar early: steps ``-steps_per_bar..-1`` play the click of the
loop's first bar (even if the click track is muted, since it is the count), then
the loop starts at step 0 as usual. Keys played during the count sound but are
not recorded (a note just before step 0 still rounds onto it). Its field
``_count_in`` is guarded by the Looper's lock (``_init_count_in`` makes it).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from psc_looper.looper.notes import RECORDING_MODES, LoopNote, Track
from psc_looper.timing.schedule import StepSchedule


class CountIn:
    def _init_count_in(self) -> None:
        self._count_in = False

    def toggle_count_in(self) -> None:
        with self._lock:
            self._count_in = not self._count_in
            self._warn(f"count-in {'on' if self._count_in else 'off'}", level=logging.INFO)

    @property
    def count_in(self) -> bool:
        with self._lock:
            return self._count_in

    def _begin_count_in(self, start: float) -> None:
        """On play (locked): start a bar early if counting in a recording."""
        if self._count_in and self._mode in RECORDING_MODES:
            bar = self._structure.meter.steps_per_bar
            self._schedule = StepSchedule(-bar, start, self._schedule.qpm)
            self._next_step = self._position = -bar

    def _notes_at(self, position: int) -> Iterable[LoopNote]:
        """The loop notes at ``position``; before step 0, the count (first bar's click)."""
        if position >= 0:
            return self._notes.irange_key(position, position)
        bar = self._structure.meter.steps_per_bar
        return [n for n in self._notes.irange_key(position + bar, position + bar)
                if n.track is Track.CLICK]

    def _counting(self, position: float) -> bool:
        """A key at fractional absolute step ``position`` falls in the count-in."""
        return position < -0.5
