"""The song file thread: loads and saves songs off the loop's and the controller's threads.

Jobs are queued and run one at a time on the ``songs`` thread; a job's failure becomes
one line in the status view (``Looper.warn``) and the performance goes on. The last
outcome (``status``) is guarded by ``_lock``.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

Job = Callable[[], str]  # does the work, returns what to show (raises OSError/ValueError)
STOP = None


class SongWorker:
    def __init__(self, warn: Callable[[str], None], inline: bool = False) -> None:
        self._warn = warn
        self._inline = inline  # run jobs on the caller's thread (virtual-clock replays)
        self._jobs: queue.SimpleQueue[tuple[str, Job] | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._status = ""  # guarded by _lock
        self._idle = threading.Event()
        self._idle.set()
        self._thread: threading.Thread | None = None
        if not inline:
            self._thread = threading.Thread(target=self._run, name="songs", daemon=True)
            self._thread.start()

    def submit(self, what: str, job: Job) -> None:
        """Run ``job`` on the songs thread; ``what`` names it in a failure line."""
        if self._inline:
            self._do(what, job)
            return
        self._idle.clear()
        self._jobs.put((what, job))

    @property
    def status(self) -> str:
        with self._lock:
            return self._status

    def wait_idle(self, timeout: float | None = None) -> bool:
        return self._idle.wait(timeout)

    def close(self) -> None:
        if self._thread is not None:
            self._jobs.put(STOP)
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while (item := self._jobs.get()) is not STOP:
            self._do(*item)
            if self._jobs.empty():
                self._idle.set()

    def _do(self, what: str, job: Job) -> None:
        try:
            text = job()
        except (OSError, ValueError) as exc:
            text = f"{what} FAILED: {exc}"
            self._warn(text)
        except Exception as exc:  # a bug in one job must not end the thread
            log.exception("%s failed", what)
            text = f"{what} FAILED: {exc}"
            self._warn(text)
        with self._lock:
            self._status = text
