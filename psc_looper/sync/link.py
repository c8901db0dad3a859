"""Ableton Link: the loop joins a Link session on the local network (``--link``).

``LinkSession`` is a ``follow.Leader``: the session's tempo, and its beat at any time
with the quantum of one bar, so the loop's bar starts meet the session's. A tempo set
here (knob, tap, a song switch) is proposed to the session; start and stop are
shared both ways (Link's start/stop sync): a loop started here starts on the
session's next bar. A peer proposing a tempo outside the loop's range is clamped
with one line.

Binding: LinkPython-extern (``import link``: the Link C++ library's session-state API,
synchronous, callable from any thread). Link's clock is CLOCK_MONOTONIC_RAW in
microseconds; the offset to the loop's clock is sampled at each use.

Threads: ``on_step`` on the transport thread, the actions on the OSC
server thread, ``_on_start_stop`` on Link's own thread; ``_lock`` guards the
fields below it. The looper is called outside it.
"""

from __future__ import annotations

import threading
from typing import Any

from psc_looper.looper.engine import Looper
from psc_looper.sync.follow import clamp_qpm
from psc_looper.sync.steering import Follower
from psc_looper.timing.clock import Clock
from psc_looper.timing.meter import STEPS_PER_QUARTER


class LinkUnavailable(RuntimeError):
    """The Link binding is not installed."""


def _binding() -> Any:
    try:
        import link  # LinkPython-extern
    except ImportError as exc:
        raise LinkUnavailable("--link needs LinkPython-extern (pip install "
                              "LinkPython-extern==1.3.0)") from exc
    return link


class LinkSession:
    def __init__(self, looper: Looper, clock: Clock) -> None:
        self._looper = looper
        self._clock = clock
        self.follower = Follower(looper)
        self._link = _binding().Link(looper.qpm)
        self._lock = threading.Lock()
        # --- guarded by _lock ---
        self._last_step: int | None = None  # the loop's step last sent (a restart goes back)
        self._reported: set[str] = set()
        self._link.startStopSyncEnabled = True
        self._link.setStartStopCallback(self._on_start_stop)
        self._link.enabled = True

    def close(self) -> None:
        self._link.enabled = False

    @property
    def active(self) -> bool:
        return bool(self._link.enabled)

    @active.setter
    def active(self, on: bool) -> None:
        """Join (True) or leave the session (a song's ``sync``)."""
        self._link.enabled = on
        self.follower.realign()

    # ------------------------------------------------------------------ time
    def _micros(self, t: float) -> int:
        """The Link clock's microseconds at the loop's clock time ``t``."""
        return int(self._link.clock().micros() + (t - self._clock.now()) * 1e6)

    def _time(self, micros: int) -> float:
        return self._clock.now() + (micros - float(self._link.clock().micros())) / 1e6

    def _quantum(self) -> float:
        return self._looper.structure.meter.steps_per_bar / STEPS_PER_QUARTER

    # ------------------------------------------------------------------ leader
    @property
    def qpm(self) -> float | None:
        tempo = float(self._link.captureSessionState().tempo())
        if clamp_qpm(tempo) != tempo:
            self._report(f"range {clamp_qpm(tempo)}", f"link: a peer asks for {tempo:g} bpm, "
                                                      f"clamped to {clamp_qpm(tempo):g}")
        else:
            with self._lock:
                self._reported = {k for k in self._reported if not k.startswith("range")}
        return clamp_qpm(tempo)

    def step_at(self, t: float) -> float | None:
        state = self._link.captureSessionState()
        return float(state.beatAtTime(self._micros(t), self._quantum())) * STEPS_PER_QUARTER

    @property
    def peers(self) -> int:
        return int(self._link.numPeers())

    # ------------------------------------------------------------------ loop -> session
    def on_step(self, step: int, position: int, at: float) -> None:
        """After each step sent: share a start and a local tempo change, then follow."""
        if not self.active:
            return
        with self._lock:
            starting = self._last_step is None or step <= self._last_step
            self._last_step = step
        if starting:
            self._started(step, at)
        schedule = self._looper.schedule
        if self.follower.last_set is not None and schedule.qpm != self.follower.last_set:
            self.propose(schedule.qpm, schedule.anchor_time)  # where the loop's grid bent
        self.follower.on_step(self, step)

    def propose(self, qpm: float, at: float) -> None:
        """Ask the session for this tempo from clock time ``at`` (for every peer)."""
        state = self._link.captureSessionState()
        state.setTempo(qpm, self._micros(at))
        self._link.commitSessionState(state)

    def play(self) -> None:
        """The play action with Link on: with peers, start on the session's next bar
        (and tell them now that the session plays from there)."""
        if not self.active or not self.peers:
            self._looper.play()
            return
        self._start_on_bar()

    def _start_on_bar(self) -> None:
        """Play from the session's next bar at its tempo, then say so to the peers."""
        qpm = self.qpm
        if qpm is not None:
            self._looper.set_qpm(qpm)
        at = self.next_bar()
        self._looper.play(at=at)
        self._set_playing(True, at)

    def stop(self) -> None:
        """The stop action with Link on: the session stops too (quitting does not stop
        it: only the performer's stop is shared)."""
        self._looper.stop()
        if self.active:
            self._set_playing(False, self._clock.now())

    def toggle_play(self) -> None:
        if self._looper.next_due() is None:
            self.play()
        else:
            self.stop()

    def _started(self, step: int, at: float) -> None:
        """The loop's first step: the session plays, its beat there is the loop's (alone,
        the session's grid moves to the loop's; with peers, Link keeps the session's)."""
        state = self._link.captureSessionState()
        state.setIsPlayingAndRequestBeatAtTime(True, self._micros(at), step / STEPS_PER_QUARTER,
                                               self._quantum())
        self._link.commitSessionState(state)
        self.follower.realign()

    def _set_playing(self, playing: bool, at: float) -> None:
        state = self._link.captureSessionState()
        if bool(state.isPlaying()) != playing:
            state.setIsPlaying(playing, self._micros(at))
            self._link.commitSessionState(state)

    # ------------------------------------------------------------------ session -> loop
    def _on_start_stop(self, playing: bool) -> None:
        """A peer started or stopped the session (Link's thread)."""
        looper = self._looper
        if not self.active:
            return
        if playing and looper.next_due() is None:
            self._start_on_bar()
        elif not playing and looper.next_due() is not None:
            looper.stop()

    def next_bar(self) -> float:
        """The clock time of the session's next bar start, at least the lookahead away."""
        state = self._link.captureSessionState()
        quantum = self._quantum()
        soonest = self._micros(self._clock.now() + self._looper.lookahead + 0.02)
        beat = float(state.beatAtTime(soonest, quantum))
        bar = (beat // quantum + 1) * quantum
        return self._time(int(state.timeAtBeat(bar, quantum)))

    # ------------------------------------------------------------------ status
    def _report(self, kind: str, line: str) -> None:
        with self._lock:
            if kind in self._reported:
                return
            self._reported.add(kind)
        self._looper.warn(line)

    def describe(self) -> str:
        text = f"link: {self.peers} peers at {self.qpm:.1f} bpm"
        phase = self.follower.phase_error
        if phase is not None and self._looper.next_due() is not None:
            text += f", phase {phase * 1000:+.1f} ms"
        return text
