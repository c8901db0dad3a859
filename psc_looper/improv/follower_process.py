"""Follower process: the stepped models' side in a child process (spawned, like
``models.remote.RemoteModel``), so stepping a model never holds this process's
interpreter lock while keys arrive.

``FollowerProcess`` is the child (at a lower scheduling priority than the backend, so
the keys come first): it loads each bundle's stepper once and runs one
:class:`~psc_looper.improv.follower.Follower` per turn, and draws the machine's traded
phrases (``draw``: ``phrases.draw_phrase`` on a copy of the stepper). Two threads may
ask (the follower's and the trader's worker): one request at a time, in turn.
``RemoteFollower`` is the follower this process sees: the note path's side (``take``,
``sounded``, ``release``) stays here on the table of prepared pitches; ``start`` and
``observe_all`` send what happened (the steps, the machine's keys and release, the
harmony when it changed) and swap in the table the child answers with. A dead child
makes the calls fail with ``GenerationError`` (the feature warns; keys then sound
themselves, counted).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import threading
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from psc_looper.harmony.chords import Chord
from psc_looper.improv.changes import Changes
from psc_looper.improv.follower import Follower, FollowOptions
from psc_looper.improv.phrases import draw_phrase
from psc_looper.inference import load_generator
from psc_looper.inference.stepper import Stepper
from psc_looper.looper.machine import PhraseNote
from psc_looper.models.errors import GenerationError

POLL_SECONDS = 0.5
NICENESS = 5  # the child runs at a lower scheduling priority than the backend
START_TIMEOUT_SECONDS = 60.0
Batch = Sequence[tuple[int, int | None]]  # (step, the pianist's event or None: the machine's)


_STEPPERS: dict[tuple[str, str], Stepper] = {}  # one per bundle and family, per process


def load_stepper(bundle: str, family: str) -> Stepper:
    """The stepper of ``bundle`` (loaded once per process); BundleError if it cannot step."""
    key = (bundle, family)
    if key not in _STEPPERS:
        _STEPPERS[key] = Stepper(load_generator(bundle, family))
    return _STEPPERS[key]


def _serve(conn: Connection, warm: Sequence[tuple[str, str]]) -> None:
    """Child: load the ``warm`` (bundle, family) steppers, then answer ("start", ...) and
    ("observe", ...) with (table, next step, seconds)."""
    with contextlib.suppress(OSError):
        os.nice(NICENESS)  # the keys' process comes first
    for bundle, family in warm:
        with contextlib.suppress(Exception):  # a bundle that cannot step fails at start
            load_stepper(bundle, family)
    follower: Follower | None = None
    harmony = [Changes()]  # the latest snapshot; the follower's chord_at reads it
    conn.send(("ready",))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            break
        try:
            if request[0] == "close":
                break
            if request[0] == "phrase":
                conn.send(("phrase", _draw(*request[1:])))
                continue
            if request[0] == "start":
                _, bundle, family, events, chords, step, harmony[0], last, options, seed = request
                follower = Follower(load_stepper(bundle, family), options, seed=seed)
                follower.start(events, chords, step, lambda s: harmony[0].at(s), last)
            else:
                _, batch, taken, released, changed = request
                if changed is not None:
                    harmony[0] = changed
                assert follower is not None, "observe before start"
                follower.taken, follower.released = taken, released
                follower.observe_all(batch)
            assert follower is not None
            seconds = follower.stats.step_seconds + follower.stats.start_seconds
            follower.stats.step_seconds, follower.stats.start_seconds = [], []
            conn.send(("table", follower.ready, follower.next_step, seconds))
        except Exception as exc:  # the caller raises it
            conn.send(("error", exc))


def _draw(bundle: str, family: str, played: Sequence[tuple[float, float, int]],
          chords: Sequence[Chord | None], first: int, steps: int, seed: int | None,
          chord_weight: float) -> list[PhraseNote]:
    """Child: a traded phrase (``phrases.draw_phrase``) on a copy of the bundle's stepper."""
    return draw_phrase(load_stepper(bundle, family).copy(), played, chords, first, steps,
                       np.random.default_rng(seed), chord_weight)


class FollowerProcess:
    """The child process and its pipe; one request at a time (``_asking``)."""

    def __init__(self, warm: Sequence[tuple[str, str]] = ()) -> None:
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child, list(warm)), name="follower",
                                 daemon=True)
        self._proc.start()
        child.close()
        self._started = False
        self._asking = threading.Lock()  # one request and its answer at a time

    def ask(self, request: tuple[Any, ...]) -> tuple[dict[tuple[int, bool], int], int,
                                                     list[float]]:
        """Send ``request``; the child's (table, next step, model seconds)."""
        answer = self._ask(request)
        return answer[1], answer[2], answer[3]

    def draw(self, bundle: str, family: str, played: Sequence[tuple[float, float, int]],
             chords: Sequence[Chord | None], first: int, steps: int, seed: int | None,
             chord_weight: float) -> list[PhraseNote]:
        """A traded phrase drawn in the child (``phrases.draw_phrase``)."""
        answer = self._ask(("phrase", bundle, family, list(played), list(chords), first,
                            steps, seed, chord_weight))
        notes: list[PhraseNote] = answer[1]
        return notes

    def wait_started(self) -> None:
        """Return once the child has loaded the models it was told to warm."""
        with self._asking:
            self._start()

    def _start(self) -> None:
        if not self._started:
            self._receive(START_TIMEOUT_SECONDS)
            self._started = True

    def _ask(self, request: tuple[Any, ...]) -> tuple[Any, ...]:
        with self._asking:
            self._start()
            try:
                self._conn.send(request)
            except (BrokenPipeError, OSError) as exc:
                raise GenerationError(f"the follower process is gone ({exc})") from exc
            answer = self._receive(None)
        if answer[0] == "error":
            raise GenerationError(f"the follower process failed: {answer[1]}")
        return answer

    def _receive(self, timeout: float | None) -> tuple[Any, ...]:
        waited = 0.0
        while not self._conn.poll(POLL_SECONDS):
            waited += POLL_SECONDS
            if not self._proc.is_alive():
                raise GenerationError(f"the follower process died ({self._proc.exitcode})")
            if timeout is not None and waited >= timeout:
                self._proc.kill()
                raise GenerationError(f"the follower process did not start in {timeout:g} s")
        try:
            return self._conn.recv()  # type: ignore[no-any-return]
        except (EOFError, OSError) as exc:
            raise GenerationError(f"the follower process closed its pipe ({exc})") from exc

    def close(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self._conn.send(("close",))
        self._proc.join(timeout=2)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join(timeout=2)
        self._conn.close()


class RemoteFollower(Follower):
    """A follower whose model side runs in ``process`` (see the module docstring)."""

    def __init__(self, process: FollowerProcess, bundle: str, family: str,
                 options: FollowOptions | None = None, seed: int | None = None) -> None:
        super().__init__(None, options, seed)  # type: ignore[arg-type]
        self.process, self.bundle, self.family, self.seed = process, bundle, family, seed
        self._sent: Changes | None = None

    def start_remote(self, events: Sequence[int], chords: Sequence[Chord | None],
                     next_step: int, changes: Changes, last_pitch: int | None) -> None:
        played = [e for e in events if e >= 0]
        self._last_pitch = last_pitch if last_pitch is not None else (
            played[-1] if played else None)
        self._sent = changes
        self._apply(self.process.ask(("start", self.bundle, self.family, list(events),
                                      list(chords), next_step, changes, last_pitch,
                                      self.options, self.seed)), started=True)

    def observe_all(self, batch: Batch, changes: Changes | None = None) -> None:
        changed = changes if changes is not None and changes is not self._sent else None
        if changed is not None:
            self._sent = changed
        self._apply(self.process.ask(("observe", list(batch), dict(self.taken),
                                      self.released, changed)))

    def _apply(self, answer: tuple[dict[tuple[int, bool], int], int, list[float]],
               started: bool = False) -> None:
        table, self._step, seconds = answer
        self.ready = table
        (self.stats.start_seconds if started else self.stats.step_seconds).extend(seconds)

    def sounded(self, position: float, pitch: int) -> None:
        super().sounded(position, pitch)
        self._last_pitch = pitch
