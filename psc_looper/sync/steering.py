"""``Follower``: keeps the loop on a leader's grid, one step at a time.

After each step the loop sends (transport thread), it compares where the next unsent
step sounds with where the leader is then, and sets the tempo of the steps to come
(``Looper.set_qpm`` re-anchors at the next unsent step: nothing sent moves, the grid
bends without a jump). The first comparison after a (re)start picks the offset in
whole bars, so a bar start meets a bar start (and again when the loop is more than
half a bar off: a leader that jumped). Owns its offset and the last phase
error under its own lock (the status view reads them).
"""

from __future__ import annotations

import threading

from psc_looper.looper.engine import Looper
from psc_looper.sync.follow import Leader, Steering, bar_offset
from psc_looper.timing.meter import step_seconds


class Follower:
    def __init__(self, looper: Looper) -> None:
        self._looper = looper
        self._lock = threading.Lock()
        self._offset: int | None = None
        self._phase: float | None = None  # seconds, loop ahead positive
        self._steering = Steering()
        self._set: float | None = None  # the tempo it last gave the loop

    def realign(self) -> None:
        """Pick the offset again at the next step (a start, a leader back)."""
        with self._lock:
            self._offset = None
            self._phase = None
            self._steering.reset()

    @property
    def last_set(self) -> float | None:
        """The tempo this follower last gave the loop (another one was set by hand)."""
        with self._lock:
            return self._set

    @property
    def phase_error(self) -> float | None:
        """The loop's lead over the leader at the last step, in seconds."""
        with self._lock:
            return self._phase

    def on_step(self, leader: Leader, step: int) -> None:
        looper = self._looper
        nxt = step + 1
        at = looper.schedule.time_of(nxt)
        lead, qpm = leader.step_at(at), leader.qpm
        if lead is None or qpm is None:
            return
        with self._lock:
            bar = looper.structure.meter.steps_per_bar
            if self._offset is None or abs(nxt - (lead + self._offset)) > bar / 2:
                self._offset = bar_offset(nxt, lead, bar)  # (again: the nearest bar start)
                self._steering.reset()
            error = nxt - (lead + self._offset)
            self._phase = error * step_seconds(qpm)
            steered = self._set = self._steering.qpm(qpm, error)
        looper.set_qpm(steered)
