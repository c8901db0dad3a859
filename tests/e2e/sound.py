"""What the e2e tests hear: the backend's steps in wall time, recordings of them, onsets on them.

Onsets are checked on the loop's grid with ``fit_grid``: each onset gets its step
(which must be the expected one: a misplaced note is at least a step, 125 ms at
120 qpm, away) and its distance from the fitted grid (``TOLERANCE``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from psc_looper.app import Backend
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.sc.explain import Hit
from psc_looper.sc.onsets import GridFit, fit_grid
from psc_looper.sc.testing import LiveBridge
from psc_looper.timing.meter import LoopStructure

# nanoKONTROL2 buttons, see psc_looper/controllers/nanokontrol2.toml
PLAY, STOP, MUTE_CLICK = 41, 42, 48
BASS_RECORD, BUILD_BEAT, GENERATE_GROOVE, IMPROV = 65, 34, 66, 68
ONE_BAR = LoopStructure(bars=1)  # 16 steps: 2 s at 120 qpm
TOLERANCE = 0.03  # seconds off the grid; a wrong step is >= 0.125 s off
RECORD_LEAD = 0.2  # a recording starts this long before the first step it is for


def sleep_until(wall: float) -> None:
    time.sleep(max(0.0, wall - time.time()))


def step_wall(backend: Backend, step: float) -> float:
    """Wall-clock time of absolute step ``step`` (the time tag it is sent with)."""
    return backend.clock.to_wall(backend.looper.schedule.time_of(step))


def press(live: LiveBridge, cc: int) -> None:
    live.sim_cc(cc, 127)


def wait_until(check: Callable[[], object], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.02)


def record_steps(live: LiveBridge, backend: Backend, wav: Path, first: int, last: int) -> float:
    """Record absolute steps ``first`` to ``last`` (from just before); returns the
    recording's start (wall clock): an onset ``t`` s into the file sounded at ``start + t``."""
    lead = step_wall(backend, first) - RECORD_LEAD - time.time()
    assert lead > 0.05, f"step {first} is too close to record it ({lead:.3f} s ahead)"
    start = live.record_from(wav, lead=lead)
    sleep_until(step_wall(backend, last) + 0.05)
    live.stop_recording()
    return start


def heard(live: LiveBridge, wav: Path, start: float, backend: Backend, first: int,
          steps: int, **detection: float) -> GridFit:
    """The recording's onsets during ``steps`` steps from absolute step ``first``, on the
    loop's grid: ``steps`` counts from ``first``. ``detection``: see ``find_onsets``."""
    step = backend.looper.schedule.step_seconds
    origin = step_wall(backend, first) - start
    onsets = [t for t in live.onsets(wav, **detection)
              if origin - step / 2 <= t < origin + (steps - 0.5) * step]
    return fit_grid(onsets, step, origin)


def off_grid(fit: GridFit) -> list[float]:
    """Residuals beyond ``TOLERANCE`` (empty: every onset on its step)."""
    return [r for r in fit.residuals if abs(r) > TOLERANCE]


class LoopStarts:
    """The loop starts the backend played: absolute step and the drum part it began with.

    Filled by a step listener on the loop thread; the list is guarded by ``_lock``.
    """

    def __init__(self, backend: Backend) -> None:
        self._looper = backend.looper
        self._lock = threading.Lock()
        self._starts: list[tuple[int, tuple[LoopNote, ...]]] = []
        self._looper.add_step_listener(self._on_step)

    def drums_at(self, step: int) -> tuple[LoopNote, ...] | None:
        """The drum part the loop starting at ``step`` played (None: no loop started there)."""
        with self._lock:
            return next((notes for s, notes in self._starts if s == step), None)

    def _on_step(self, step: int, position: int, _at: float) -> None:
        if position == 0:
            drums = tuple(self._looper.track_notes(Track.DRUMS))
            with self._lock:
                self._starts.append((step, drums))



def loop_hits(notes: Sequence[LoopNote], origin: float, step: float) -> list[Hit]:
    """The one-shot hits of one loop of ``notes`` whose step 0 is at ``origin`` seconds."""
    return [(origin + n.onset * step, n.instrument.value, n.velocity) for n in notes]
