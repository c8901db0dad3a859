"""The live recorder: every input and output of a backend into a session MIDI file.

Threads: the listeners run on the OSC server thread, the loop thread and whatever
thread sends a batch; they only put a tuple on ``_queue`` (no lock, no I/O, no
formatting). The writer thread owns the ``SessionWriter`` and the file: it drains
the queue and every ``SAVE_SECONDS`` writes the whole file to a temporary name,
syncs it and renames it over the real one, so the file on disk is always a complete
MIDI file missing at most the last ``SAVE_SECONDS`` (plus the disk's own sync).
The meter of a loop start is read from the looper by the step listener (on the loop
thread, just after the step: the switch that brought it is in place). A loop start that
switched song or section gets a marker naming it (``SWITCH_MARKER``), and a new chord
chart one holding it where its bar 1 starts (``CHART_MARKER``); while trading, each
change of whose turn it is gets one (``TURN_MARKER``): all for the piano roll.

It cannot die: a save that fails (disk full, folder gone) is reported in the status
view (``recording: NOT SAVED``) and the log, and retried every ``SAVE_SECONDS`` (the
folder is made again) while recording goes on in memory; each save writes the whole
session, so the first one that succeeds holds everything played before and during
the fault. If the last save at exit fails too, the session goes to the system's
temporary folder instead. An event the writer cannot encode is logged and skipped.
"""

from __future__ import annotations

import argparse
import logging
import queue
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psc_looper.files import write_atomically
from psc_looper.host import Host
from psc_looper.looper.engine import Looper, Origin
from psc_looper.osc.events import InputEvent, wire
from psc_looper.sessions.format import CHART_MARKER, SWITCH_MARKER, TURN_MARKER
from psc_looper.sessions.writer import SessionStats, SessionWriter
from psc_looper.timing.clock import Clock

if TYPE_CHECKING:
    from collections.abc import Sequence

    from psc_looper.harmony.chart import Chart
    from psc_looper.osc.ports import OscOut
    from psc_looper.sessions.format import RunSettings

log = logging.getLogger(__name__)

SAVE_SECONDS = 0.5
DRAIN_SECONDS = 0.05
# Events older than this before the newest one are encoded for good; newer ones may
# still be reordered (loop events are sent ahead) or moved by a tempo change.
COMMIT_MARGIN_SECONDS = 1.0
DEFAULT_FOLDER = Path("sessions")
_CLOSE = ("close",)


class Recorder:
    """Records the backend it is attached to into ``path``, from ``attach`` until
    ``close`` (``host.Feature``)."""

    _clock: Clock  # these four are set by attach
    _looper: Looper
    _writer: SessionWriter
    _newest: float

    def __init__(self, path: Path, save_seconds: float = SAVE_SECONDS,
                 settings: RunSettings | None = None) -> None:
        self.path = Path(path)
        self._settings = settings  # the run's, kept in the file (sessions/settings.py)
        self._save_seconds = save_seconds
        self._queue: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self._lock = threading.Lock()  # guards _problem and _saved (status view reads them)
        self._problem: str | None = None  # why the last save failed; None: it worked
        self._saved: float | None = None  # monotonic time of the last good save
        self._thread = threading.Thread(target=self._run, name="recorder", daemon=True)

    def attach(self, host: Host) -> None:
        """Watch the input, the output and the steps; start the writer thread."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._clock = host.clock
        self._looper = looper = host.looper
        # --- owned by the writer thread (read by others only after close) ---
        self._writer = SessionWriter(self._clock.now(), looper.qpm, looper.structure.meter,
                                     self._settings)
        self._newest = self._writer.origin
        self._switches_marked = 0  # the loop thread's: switches marked so far
        self._chart_marked: tuple[Chart, int] | None = None  # and the last chart marked
        self._turns_marked = 0  # and the turns (Looper.turn)
        looper.add_status("recording", self.describe)
        host.watch_input(self._on_input)
        looper.add_output_listener(self._on_output)
        looper.add_step_listener(self._on_step)
        self._thread.start()

    @property
    def stats(self) -> SessionStats:
        """What was recorded (complete once ``close`` has returned)."""
        return self._writer.stats

    def close(self) -> None:
        """Write what is left and stop the writer thread (idempotent)."""
        if self._thread.is_alive():
            self._queue.put(_CLOSE)
            self._thread.join()

    def describe(self) -> str:
        """The status line: where it records, and NOT SAVED (why) while saves fail."""
        with self._lock:
            problem, saved = self._problem, self._saved
        if problem is not None:
            return f"NOT SAVED ({problem}); retrying, nothing is lost | {self.path}"
        if saved is None:
            return f"{self.path}"
        return f"{self.path} (saved {time.monotonic() - saved:.1f} s ago)"

    # ------------------------------------------------------------------ listeners
    def _on_input(self, event: InputEvent) -> None:
        message = wire(event)
        self._queue.put(("in", self._clock.now(), message.address, list(message.args)))

    def _on_output(self, messages: Sequence[OscOut], at: float | None, origin: Origin) -> None:
        self._queue.put(("out", self._clock.now() if at is None else at, messages, origin))

    def _on_step(self, step: int, position: int, at: float) -> None:
        # a loop start's meter is read here, on the loop thread right after the step, so
        # that a switch the writer thread has not caught up with yet cannot shift it
        meter = self._looper.structure.meter if position == 0 else None
        self._queue.put(("step", at, step, meter))
        turns, whose, first = self._looper.turn
        if turns != self._turns_marked:  # whose turn it is changed (trading)
            self._turns_marked = turns
            self._queue.put(("marker", self._looper.schedule.time_of(first),
                             f"{TURN_MARKER}{whose or '-'}"))
        if position == 0:  # a song or section switch happens at a loop start: a marker
            count, name = self._looper.switches
            switched = count != self._switches_marked
            if switched:
                self._switches_marked = count
                self._queue.put(("marker", at, f"{SWITCH_MARKER}{name}"))
            chart = self._looper.chart  # a new chart: a marker where its bar 1 starts
            if chart is not None and chart != self._chart_marked:
                self._chart_marked = chart
                # a song's chart, set when it was loaded, starts where the song does
                when = at if switched else self._looper.schedule.time_of(chart[1])
                self._queue.put(("marker", when, f"{CHART_MARKER}{chart[0].text}"))

    # ------------------------------------------------------------------ writer thread
    def _run(self) -> None:
        """Wake every ``DRAIN_SECONDS`` and handle what queued up meanwhile, so the writer
        does not wake (and take the GIL) for each note the pianist plays."""
        next_save = time.monotonic() + self._save_seconds
        dirty = closing = False
        while not closing:
            time.sleep(DRAIN_SECONDS)
            while not closing:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _CLOSE:
                    closing = True
                else:
                    self._handle_safely(item)
                    dirty = True
            if closing or time.monotonic() >= next_save:
                next_save = time.monotonic() + self._save_seconds
                if dirty or closing:
                    dirty = not self._save(final=closing)  # a failed save is retried

    def _handle_safely(self, item: tuple[Any, ...]) -> None:
        try:
            self._handle(item)
        except Exception:  # one bad event must not stop the recording
            log.exception("recorder: an event could not be recorded: %.200r", item)

    def _handle(self, item: tuple[Any, ...]) -> None:
        kind, when = item[0], item[1]
        self._newest = max(self._newest, when)
        if kind == "in":
            self._writer.add_input(when, item[2], item[3])
        elif kind == "out":
            self._writer.add_output(when, item[2], item[3])
        elif kind == "marker":
            self._writer.add_marker(when, item[2])
        else:
            self._writer.add_step(item[2], when, item[3])

    def _save(self, final: bool) -> bool:
        """Write the whole session; False (reported, to be retried) if it failed."""
        while final and not self._queue.empty():
            item = self._queue.get()
            if item is not _CLOSE:
                self._handle_safely(item)
        try:
            if final:
                self._writer.close_notes(self._writer.origin + self._writer.end)
            else:
                self._writer.commit(self._newest - COMMIT_MARGIN_SECONDS)
            data = self._writer.to_bytes()
        except Exception as exc:  # a writer bug: report it, keep recording
            log.exception("recorder: the session could not be encoded")
            return self._failed(f"cannot encode: {exc}", final)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, data)
        except OSError as exc:
            if final:
                self._save_elsewhere(data, exc)
            return self._failed(exc.strerror or str(exc), final)
        with self._lock:
            recovered, self._problem, self._saved = self._problem, None, time.monotonic()
        if recovered is not None:
            log.warning("recorder: saved %s again; nothing was lost", self.path)
        return True

    def _failed(self, reason: str, final: bool) -> bool:
        with self._lock:
            first, self._problem = self._problem is None, reason
        if first and not final:
            log.error("recorder: NOT SAVED to %s (%s); retrying every %.1f s, "
                      "recording goes on in memory", self.path, reason, self._save_seconds)
        return False

    def _save_elsewhere(self, data: bytes, exc: OSError) -> None:
        """The last save failed: the session goes to the temporary folder instead."""
        fallback = Path(tempfile.gettempdir()) / self.path.name
        try:
            write_atomically(fallback, data)
        except OSError as again:
            log.error("recorder: the session could not be saved to %s (%s) nor to %s (%s)",
                      self.path, exc.strerror or exc, fallback, again.strerror or again)
            return
        log.error("recorder: cannot write %s (%s); the session was saved to %s instead",
                  self.path, exc.strerror or exc, fallback)


def default_path(folder: Path = DEFAULT_FOLDER) -> Path:
    """``sessions/YYYYMMDD-HHMMSS.mid`` (with a counter if that exists)."""
    stem = time.strftime("%Y%m%d-%H%M%S")
    path = folder / f"{stem}.mid"
    counter = 1
    while path.exists():
        path, counter = folder / f"{stem}-{counter}.mid", counter + 1
    return path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--record PATH`` / ``--no-record`` (default: record to ``sessions/``)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--record", type=Path, metavar="PATH",
                       help=f"record the session to PATH (default: {DEFAULT_FOLDER}/<time>.mid)")
    group.add_argument("--no-record", action="store_true", help="do not record the session")
