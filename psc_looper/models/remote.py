"""A model in its own process: the same ``generate`` API, none of its GIL or memory.

Magenta's generation is mostly Python (event encoding, beam search) and holds the
interpreter lock while it works; in the backend's process that delays the loop
thread and the live-note path. ``RemoteModel`` loads the bundle in a child process
(spawned, so it shares nothing) and forwards each ``generate`` call over a pipe;
the calling thread waits on the pipe without holding the GIL. If the child dies,
calls fail with ``GenerationError`` and the loop plays on.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from psc_looper.models.errors import BundleError, GenerationError

log = logging.getLogger(__name__)

START_TIMEOUT_SECONDS = 120.0  # importing TensorFlow and restoring the bundle
POLL_SECONDS = 0.5  # how often a waiting call checks that the child is alive
CLOSE_WAIT_SECONDS = 5.0  # close() waits this long for a generation in progress


def _serve(conn: Connection, kind: str, path: str) -> None:
    """Child process: load the bundle, then answer ("generate", args, kwargs) requests."""
    from psc_looper import models

    try:
        model = getattr(models, kind).load(path)
    except Exception as exc:
        conn.send(("error", exc))
        return
    conn.send(("ready", model.config_id))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            break
        if request[0] == "close":
            break
        _, args, kwargs = request
        try:
            conn.send(("ok", model.generate(*args, **kwargs)))
        except Exception as exc:
            conn.send(("error", exc))
    model.close()


class RemoteModel:
    """Proxy for a ``MelodyModel``, ``ImprovModel`` or ``DrumsModel`` (``kind``) running in a
    child process.

    One request at a time (``_lock``), like the local model.
    """

    def __init__(self, kind: str, path: str | Path) -> None:
        self.path = Path(path)
        self.kind = kind
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child, kind, str(self.path)),
                                 name=f"model-{kind}", daemon=True)
        self._lock = threading.Lock()
        self._proc.start()
        child.close()
        status, value = self._receive(START_TIMEOUT_SECONDS, BundleError)
        if status == "error":
            self._proc.join(timeout=5)
            raise value if isinstance(value, BundleError) else BundleError(f"{path}: {value}")
        self.config_id: str = value

    def generate(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            try:
                self._conn.send(("generate", args, kwargs))
            except (BrokenPipeError, OSError) as exc:
                raise GenerationError(f"{self.path}: model process is gone ({exc})") from exc
            status, value = self._receive(None, GenerationError)
        if status == "error":
            raise value
        return value

    def close(self) -> None:
        """Ask the process to end; a process stuck in a generation (holding ``_lock``
        past ``CLOSE_WAIT_SECONDS``) is killed, so shutdown never hangs on it."""
        if not self._lock.acquire(timeout=CLOSE_WAIT_SECONDS):
            self._proc.kill()  # the waiting generate() sees it die and lets go of the lock
            if not self._lock.acquire(timeout=CLOSE_WAIT_SECONDS):
                self._proc.join(timeout=5)  # killed: reaped, not left defunct
                return
        try:
            with contextlib.suppress(BrokenPipeError, OSError):
                self._conn.send(("close",))
            self._proc.join(timeout=5)
            if self._proc.is_alive():
                self._proc.kill()
                self._proc.join(timeout=5)
            self._conn.close()
        finally:
            self._lock.release()

    def _receive(self, timeout: float | None, error: type[Exception]) -> tuple[str, Any]:
        waited = 0.0
        while not self._conn.poll(POLL_SECONDS):
            waited += POLL_SECONDS
            if not self._proc.is_alive():
                raise error(f"{self.path}: model process died (exit {self._proc.exitcode})")
            if timeout is not None and waited >= timeout:
                self._proc.kill()
                raise error(f"{self.path}: model process did not answer within {timeout:g} s")
        try:
            answer: tuple[str, Any] = self._conn.recv()
            return answer
        except (EOFError, OSError) as exc:  # a killed process resets the pipe
            raise error(f"{self.path}: model process closed its pipe ({exc})") from exc
