"""Supervision of the bridge: notice it died or went silent, start it again.

The ``Supervisor`` thread checks every ``CHECK_SECONDS`` whether sclang still runs
(it exits by itself when its scsynth is gone) and whether its ``/ready`` heartbeat
still arrives (``BridgePeer``). If not, it ends sclang and scsynth together (their
whole process group: no orphaned scsynth keeps the port or a held note) and starts
them again on the same ports; then ``on_restart`` runs (``run`` passes the looper's
panic: a note-off for whatever was sounding, the loop playing on). A failed start is
retried after ``RETRY_SECONDS``. The loop never waits for any of this.

Threads: the supervisor thread owns the ``Bridge`` while running; ``stop`` joins it
before anyone else touches the bridge. ``_state`` is guarded by ``_lock``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from psc_looper.osc.peer import BridgePeer
from psc_looper.sc.launcher import Bridge, BridgeError

log = logging.getLogger(__name__)

CHECK_SECONDS = 0.25
SILENT_RESTART_SECONDS = 8.0  # no /ready this long from a running sclang: it hangs
RETRY_SECONDS = 3.0


class Supervisor:
    def __init__(self, bridge: Bridge, peer: BridgePeer,
                 on_restart: Callable[[], None] = lambda: None) -> None:
        self.bridge = bridge
        self.peer = peer
        self.on_restart = on_restart
        self._lock = threading.Lock()
        self.restarts = 0  # guarded by _lock
        self._state = "watching"  # guarded by _lock
        self._quit = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bridge-supervisor",
                                        daemon=True)

    def start(self) -> Supervisor:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._quit.set()
        self._thread.join(timeout=60)

    def describe(self) -> str:
        """The status line: how the bridge's supervision stands."""
        with self._lock:
            state, restarts = self._state, self.restarts
        return state + (f" ({restarts} restart{'s' * (restarts != 1)})" if restarts else "")

    def _set(self, state: str) -> None:
        with self._lock:
            self._state = state

    def _run(self) -> None:
        started = time.monotonic()
        while not self._quit.wait(CHECK_SECONDS):
            reason = self._trouble(time.monotonic() - started)
            if reason is None:
                continue
            log.warning("bridge: %s; restarting sclang and scsynth", reason)
            self._set(f"restarting ({reason})")
            try:
                self.bridge.restart()
            except BridgeError as exc:
                log.error("bridge restart failed: %s", str(exc).splitlines()[0])
                self._set(f"DOWN: restart failed, retrying in {RETRY_SECONDS:.0f} s")
                self._quit.wait(RETRY_SECONDS)
                continue
            started = time.monotonic()
            with self._lock:
                self.restarts += 1
                self._state = "watching"
            log.warning("bridge: restarted in %.1f s", self.bridge.timings.get("total", 0.0))
            try:
                self.on_restart()
            except Exception:  # the supervisor outlives any bug in the callback
                log.exception("after the bridge restart")

    def _trouble(self, up_for: float) -> str | None:
        if not self.bridge.alive():
            return "sclang exited"
        silent = self.peer.silent_for()
        if up_for > SILENT_RESTART_SECONDS and silent > SILENT_RESTART_SECONDS:
            return f"no /ready for {silent:.0f} s"
        return None
