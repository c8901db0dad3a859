"""The transport: plays each step at its absolute time, in a thread or on demand.

With a ``RealClock`` the thread wakes ``lookahead`` seconds before each step and
calls ``Looper.tick``, which sends the step time-tagged with its exact time. The
schedule is absolute (see ``timing.schedule``), so a late wake-up never delays the
steps after it. With a ``VirtualClock``, ``run_until`` plays every step due up to
a time, synchronously, as fast as the machine allows.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

from psc_looper.looper.engine import Looper

log = logging.getLogger(__name__)

IDLE_POLL_SECONDS = 0.02  # how often a stopped transport looks for "play"
# The loop thread asks for real-time (SCHED_FIFO) scheduling, as audio threads do,
# so a busy machine delays its wake-ups less; refused without the privilege (then
# it runs as a normal thread). Kernel RT throttling keeps the rest of the system alive.
REALTIME_PRIORITY = 10


# CPython lets a thread keep the GIL for 5 ms before handing it over; a step due
# meanwhile waits. The backend process uses a shorter interval (process-wide).
GIL_SWITCH_SECONDS = 0.0005


def _ask_realtime() -> bool:
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(REALTIME_PRIORITY))
    except (AttributeError, OSError) as exc:
        log.info("loop thread runs without real-time priority (%s)", exc)
        return False
    return True


class Transport:
    """Owns the loop thread; reads the Looper only through its locked methods."""

    def __init__(self, looper: Looper, realtime: bool = True) -> None:
        self.looper = looper
        self.realtime = realtime
        self._quit = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.realtime:
            sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_SECONDS))
        self._thread = threading.Thread(target=self._run, name="loop", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._quit.set()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def run_until(self, t: float) -> int:
        """Play every step whose send time (step time - lookahead) is <= ``t``; return count."""
        played = 0
        while (due := self.looper.next_due()) is not None:
            step, at = due
            if at - self.looper.lookahead > t:
                break
            self.looper.clock.sleep_until(max(self.looper.clock.now(), at - self.looper.lookahead))
            played += self.looper.tick(step)
        return played

    def _run(self) -> None:
        if self.realtime:
            _ask_realtime()
        clock = self.looper.clock
        while not self._quit.is_set():
            due = self.looper.next_due()
            if due is None:
                self.looper.started.wait(IDLE_POLL_SECONDS)  # play wakes it at once
                self.looper.started.clear()
                continue
            step, at = due
            if not clock.sleep_until(at - self.looper.lookahead, self._quit):
                return
            try:
                self.looper.tick(step)
            except Exception:  # the loop must outlive any bug in one step
                log.exception("step %d failed; the loop goes on", step)
                self.looper.warn(f"step {step} failed (see log)")
