"""The count-in: one bar of click before the loop when recording starts from stop.

With the count-in on and a recording mode armed, ``play`` starts one bar early
(``first_step``): steps ``-steps_per_bar..-1`` play the click of the loop's first bar
(even if the click track is muted, since it is the count), then the loop starts at
step 0 as usual. Keys played during the count sound but are not recorded
(``counting``; a note just before step 0 still rounds onto it). The Looper owns one
``CountIn`` under its lock; it holds one flag and knows nothing else of the Looper.
"""

from __future__ import annotations

from collections.abc import Iterable

from sortedcontainers import SortedKeyList

from psc_looper.looper.notes import LoopNote, Track


class CountIn:
    def __init__(self) -> None:
        self.on = False

    def toggle(self) -> bool:
        """Switch the count-in on or off; returns the new setting."""
        self.on = not self.on
        return self.on

    def first_step(self, recording: bool, steps_per_bar: int) -> int:
        """The step ``play`` starts from: a bar early when counting in a recording."""
        return -steps_per_bar if self.on and recording else 0

    @staticmethod
    def notes_at(notes: SortedKeyList, position: int, steps_per_bar: int) -> Iterable[LoopNote]:
        """The loop notes at ``position``; before step 0, the count (first bar's click)."""
        if position >= 0:
            at: Iterable[LoopNote] = notes.irange_key(position, position)
            return at
        step = position + steps_per_bar
        return [n for n in notes.irange_key(step, step) if n.track is Track.CLICK]

    @staticmethod
    def counting(position: float) -> bool:
        """A key at fractional absolute step ``position`` falls in the count-in."""
        return position < -0.5
