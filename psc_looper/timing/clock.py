"""Clocks: the one interface the loop engine reads time from.

``RealClock`` follows ``time.perf_counter`` and sleeps for real; ``VirtualClock``
jumps straight to the time asked for, so tests and replays run faster than real
time with identical results. Both map their time to wall-clock seconds for OSC
time tags (``to_wall``).
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

# The last stretch before a deadline is spun rather than slept: ``time.sleep`` on
# Linux overshoots by 50-100 us; spinning 0.5 ms per step costs little CPU.
SPIN_SECONDS = 0.0005


class Clock(Protocol):
    """Monotonic seconds, plus the mapping to wall-clock time for OSC time tags."""

    def now(self) -> float: ...

    def sleep_until(self, deadline: float, stop: threading.Event | None = None) -> bool:
        """Wait until ``deadline``; return False if ``stop`` was set first."""
        ...

    def to_wall(self, t: float) -> float: ...


class RealClock:
    """``perf_counter`` time; ``to_wall`` uses the offset to ``time.time`` taken at start."""

    def __init__(self) -> None:
        self._wall_offset = time.time() - time.perf_counter()

    def now(self) -> float:
        return time.perf_counter()

    def to_wall(self, t: float) -> float:
        return t + self._wall_offset

    def sleep_until(self, deadline: float, stop: threading.Event | None = None) -> bool:
        while True:
            if stop is not None and stop.is_set():
                return False
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return True
            if remaining > SPIN_SECONDS:
                chunk = min(remaining - SPIN_SECONDS, 0.05)
                if stop is not None:
                    if stop.wait(chunk):
                        return False
                else:
                    time.sleep(chunk)
            else:
                time.sleep(0)  # the last half millisecond: spin, but let other threads run


class VirtualClock:
    """A clock that only moves when told to; ``sleep_until`` jumps to the deadline.

    Thread-safe: a replay may feed events from one thread while the transport
    advances time on another.
    """

    def __init__(self, start: float = 0.0, wall_origin: float = 0.0) -> None:
        self._now = start
        self._wall_origin = wall_origin
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def to_wall(self, t: float) -> float:
        return self._wall_origin + t

    def advance_to(self, t: float) -> None:
        with self._lock:
            self._now = max(self._now, t)

    def advance(self, dt: float) -> None:
        with self._lock:
            self._now += max(0.0, dt)

    def sleep_until(self, deadline: float, stop: threading.Event | None = None) -> bool:
        if stop is not None and stop.is_set():
            return False
        self.advance_to(deadline)
        return True
