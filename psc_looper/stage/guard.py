"""What keeps a hostile local process from hurting the instrument through the stage view:
a cap on open connections (``Cap``: one over it gets a 503 and is closed at once by its
short-lived accepting thread, so a thousand sockets held open cost no more threads than
the cap's), a rate limit on button presses for all pages together
(``Bucket``), and log lines at most once per kind every few seconds with a count of the
ones left out (``Throttle``), so a flood is a few lines, not thousands."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

MAX_CONNECTIONS = 16  # pages and plain requests open at once (a band has a few tablets)
MAX_PRESSES_PER_SECOND = 20.0  # all pages together; a burst of as many goes at once
LOG_INTERVAL_SECONDS = 5.0  # per kind of line
REFUSAL = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
           b"Content-Length: 21\r\nConnection: close\r\n\r\ntoo many connections\n")
REFUSAL_SECONDS = 0.5  # how long a refusal may take to send before the socket is closed

Handler = Callable[[socket.socket, Any], None]


class Throttle:
    """Log lines of one kind at most once every ``interval`` seconds; the next one says
    how many were left out."""

    def __init__(self, logger: logging.Logger, interval: float = LOG_INTERVAL_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._log, self._interval, self._clock = logger, interval, clock
        self._lock = threading.Lock()
        self._logged_at: dict[str, float] = {}
        self._left_out: Counter[str] = Counter()

    def warning(self, kind: str, line: str) -> bool:
        """Log ``line`` unless a line of ``kind`` went out less than ``interval`` ago;
        whether it was logged."""
        with self._lock:
            now = self._clock()
            last = self._logged_at.get(kind)
            if last is not None and now - last < self._interval:
                self._left_out[kind] += 1
                return False
            self._logged_at[kind] = now
            left_out = self._left_out.pop(kind, 0)
        more = f" ({left_out} more like it left out)" if left_out else ""
        self._log.warning("%s%s", line, more)
        return True


class Bucket:
    """At most ``rate`` takes a second on average, ``rate`` at once (a token bucket)."""

    def __init__(self, rate: float = MAX_PRESSES_PER_SECOND,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self._clock = rate, clock
        self._lock = threading.Lock()
        self._tokens, self._at = rate, clock()

    def take(self) -> bool:
        with self._lock:
            now = self._clock()
            self._tokens = min(self.rate, self._tokens + (now - self._at) * self.rate)
            self._at = now
            if self._tokens < 1:
                return False
            self._tokens -= 1
            return True


class Cap:
    """At most ``limit`` connections handled at once; one over is refused (``REFUSAL``)
    on its accepting thread before any handler runs, and ``refused(peer)`` is called."""

    def __init__(self, limit: int = MAX_CONNECTIONS) -> None:
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit)

    def wrap(self, handler: Handler, refused: Callable[[str], None],
             done: Callable[[], None]) -> Handler:
        """``handler`` within the cap; ``done()`` is called on a refused connection's
        thread as it ends (the server's bookkeeping)."""

        def capped(sock: socket.socket, addr: Any) -> None:
            if not self._slots.acquire(blocking=False):
                try:
                    _refuse(sock)
                    refused(_address(addr))
                finally:
                    done()
                return
            try:
                handler(sock, addr)
            finally:
                self._slots.release()

        return capped


def _refuse(sock: socket.socket) -> None:
    try:
        sock.settimeout(REFUSAL_SECONDS)
        sock.sendall(REFUSAL)
    except OSError:
        pass
    finally:
        sock.close()


def _address(addr: Any) -> str:
    try:
        host, port = addr[:2]
    except (TypeError, ValueError):
        return "?"
    return f"{host}:{port}"
