"""One background job at a time per worker: each feature that generates (drums,
improv) owns a ``Worker`` of its own.

``Worker.submit(job, on_done)`` runs ``job()`` on the worker's thread and hands
the result (or the exception) to ``on_done``. At most one job runs and at most one
waits: submitting while busy replaces the waiting job (the newest request wins)
and says so. With ``inline=True`` jobs run at once on the caller's thread, so a
replay on the virtual clock gets the same music every time.

Never call ``submit`` while holding the looper lock: an inline job would run under it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)


class Submitted(StrEnum):
    STARTED = "started"
    QUEUED = "queued"  # behind the running job
    REPLACED = "replaced"  # took the place of a job that was waiting


@dataclass(frozen=True)
class Outcome:
    result: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


Job = Callable[[], Any]
Done = Callable[[Outcome], None]


class Worker:
    """Owns its thread and its one-slot queue (guarded by ``_cond``)."""

    def __init__(self, name: str, inline: bool = False) -> None:
        self.name = name
        self.inline = inline
        self._cond = threading.Condition()
        self._running = False
        self._waiting: tuple[Job, Done] | None = None
        self._closed = False
        self._thread: threading.Thread | None = None
        if not inline:
            self._thread = threading.Thread(target=self._run, name=f"worker-{name}", daemon=True)
            self._thread.start()

    @property
    def busy(self) -> bool:
        with self._cond:
            return self._running or self._waiting is not None

    def submit(self, job: Job, on_done: Done) -> Submitted:
        if self.inline:
            on_done(_call(job))
            return Submitted.STARTED
        with self._cond:
            if self._closed:
                raise RuntimeError(f"worker {self.name} is closed")
            replaced = self._waiting is not None
            self._waiting = (job, on_done)
            self._cond.notify()
            if replaced:
                return Submitted.REPLACED
            return Submitted.QUEUED if self._running else Submitted.STARTED

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no job runs or waits (tests, shutdown); False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._running and self._waiting is None,
                                       timeout)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._waiting = None
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closed or self._waiting is not None)
                if self._closed:
                    return
                assert self._waiting is not None
                (job, on_done), self._waiting = self._waiting, None
                self._running = True
            outcome = _call(job)
            try:
                on_done(outcome)
            except Exception:
                log.exception("worker %s: completion callback failed", self.name)
            with self._cond:
                self._running = False
                self._cond.notify_all()


def _call(job: Job) -> Outcome:
    try:
        return Outcome(result=job())
    except Exception as exc:  # reported to on_done; the worker lives on
        log.warning("background job failed: %s", exc)
        return Outcome(error=exc)
