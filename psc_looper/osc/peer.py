"""The bridge as a peer: who may announce itself, and whether it is still there.

``/ready <port>`` is honoured only from the bridge the backend launched or was told
about: a datagram from ``127.0.0.1`` whose source port is the bridge's port (sclang
sends from the socket it listens on) and that names that same port. Anything else,
from another local process or from the network, is refused and counted as
``not-bridge``; the output never moves. The bridge repeats ``/ready`` every couple
of seconds, so ``BridgePeer`` also knows when it went silent (``SILENT_SECONDS``),
which the status view shows and the supervisor acts on.

Threads: the OSC server thread calls ``admit``; the status view and the supervisor
call ``describe``/``silent_for``. ``_heard`` is guarded by ``_lock``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

LOOPBACK = "127.0.0.1"
SILENT_SECONDS = 5.0  # the bridge re-announces every 2 s; this long without: SILENT

Source = tuple[str, int] | None  # (host, port) a datagram came from; None: not a socket


class BridgePeer:
    def __init__(self, port: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.port = port
        self._clock = clock
        self._lock = threading.Lock()
        self._started = clock()
        self._heard: float | None = None  # when the last admitted /ready came

    def admit(self, source: Source, args: Sequence[object]) -> bool:
        """Whether a ``/ready`` from ``source`` with ``args`` is our bridge's; notes it if so."""
        if source is None or source != (LOOPBACK, self.port):
            return False
        if args and args[0] != self.port:
            return False
        with self._lock:
            self._heard = self._clock()
        return True

    def silent_for(self) -> float:
        """Seconds since the bridge was last heard (since start if never)."""
        with self._lock:
            heard = self._heard
        return self._clock() - (self._started if heard is None else heard)

    def describe(self) -> str:
        """The status line: ``ok`` or ``SILENT`` and for how long."""
        silent = self.silent_for()
        with self._lock:
            never = self._heard is None
        where = f"{LOOPBACK}:{self.port}"
        if silent < SILENT_SECONDS:
            return f"ok ({where})" if not never else f"waiting for {where}"
        if never:
            return f"SILENT: no /ready from {where} in {silent:.0f} s"
        return f"SILENT for {silent:.0f} s ({where})"
