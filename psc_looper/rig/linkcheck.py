"""Two Link peers on this machine, measured: the backend's ``LinkSession`` and a bare
Link peer, in one process. Used by the tests and ``bench/bench_sync.py``; run only
inside a network namespace that holds nothing but the loopback (``isolated``), so
no Link traffic leaves the machine.

    python -m psc_looper.rig.linkcheck SECONDS   # prints one JSON object
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from typing import Any

import numpy as np

from psc_looper.app import Backend, BackendConfig
from psc_looper.osc.ports import CaptureOutput
from psc_looper.sync.options import SyncOptions
from psc_looper.timing.clock import RealClock

QUANTUM = 4.0  # 4/4: one bar


def isolated(argv: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` in a new network namespace with only the loopback up (root)."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        raise RuntimeError("Link checks need root and unshare (a network namespace)")
    script = "ip link set lo up multicast on && exec " + " ".join(argv)
    return subprocess.run(["unshare", "-n", "sh", "-c", script], capture_output=True,
                          text=True, timeout=timeout, check=False)


def wait(check: Any, timeout: float) -> float | None:
    """Seconds until ``check()`` holds, or None."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if check():
            return time.perf_counter() - start
        time.sleep(0.005)
    return None


class Measured:
    """The loop's steps against the peer's beats: phase differences in seconds."""

    def __init__(self, backend: Backend, peer: Any) -> None:
        self.peer, self.clock = peer, backend.clock
        self.errors: list[tuple[float, float]] = []  # (clock time, loop minus peer)
        backend.looper.add_step_listener(self._on_step)

    def _on_step(self, step: int, _position: int, at: float) -> None:
        micros = self.peer.clock().micros() + (at - self.clock.now()) * 1e6
        state = self.peer.captureSessionState()
        diff = (step / 4 - state.beatAtTime(int(micros), QUANTUM) + QUANTUM / 2) % QUANTUM
        self.errors.append((at, (diff - QUANTUM / 2) * 60.0 / state.tempo()))

    def between(self, start: float, end: float) -> list[float]:
        return [abs(e) * 1000 for t, e in self.errors if start <= t < end]


def stats(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    a = np.array(values)
    return {"n": len(a), "p50": float(np.percentile(a, 50)), "p99": float(np.percentile(a, 99)),
            "max": float(a.max())}


def run(seconds: float) -> dict[str, Any]:
    import link

    out: dict[str, Any] = {}
    clock = RealClock()
    backend = Backend(BackendConfig(qpm=120.0, sync=SyncOptions(link=True)), clock,
                      CaptureOutput(clock))
    session = backend.sync.link
    assert session is not None
    looper = backend.looper
    peer = link.Link(120.0)
    peer.startStopSyncEnabled = True
    peer.enabled = True
    backend.transport.start()
    closed = False
    try:
        out["discovered_s"] = wait(lambda: peer.numPeers() > 0 and session.peers > 0, 10)

        def peer_tempo(bpm: float) -> None:
            state = peer.captureSessionState()
            state.setTempo(bpm, peer.clock().micros())
            peer.commitSessionState(state)

        def peer_playing(playing: bool) -> None:
            state = peer.captureSessionState()
            state.setIsPlaying(playing, peer.clock().micros())
            peer.commitSessionState(state)

        measured = Measured(backend, peer)
        # the peer starts the session: the loop starts on its next bar
        peer_playing(True)
        out["started_by_peer_s"] = wait(lambda: looper.next_due() is not None, 3)
        first = looper.schedule.time_of(0)
        state = peer.captureSessionState()
        beat = state.beatAtTime(int(peer.clock().micros() + (first - clock.now()) * 1e6), QUANTUM)
        out["first_step_beat_phase"] = float(beat % QUANTUM)
        time.sleep(seconds)
        t0 = clock.now()
        out["steady"] = stats(measured.between(t0 - seconds + 1.0, t0))  # settled
        # the peer changes tempo: followed
        peer_tempo(100.0)
        changed = clock.now()
        out["peer_tempo_followed_s"] = wait(lambda: abs(looper.qpm - 100.0) < 1.0, 5)
        time.sleep(seconds / 2)
        out["after_peer_change"] = stats(measured.between(changed, clock.now()))
        # a tempo set here (the knob) goes to the peer
        looper.set_qpm(140.0)
        changed = clock.now()
        out["local_tempo_at_peer_s"] = wait(
            lambda: abs(peer.captureSessionState().tempo() - 140.0) < 0.01, 5)
        time.sleep(seconds / 2)
        out["after_local_change"] = stats(measured.between(changed, clock.now()))
        # bad tempos from the peer: clamped, the loop plays on
        for bpm in (0.0, 10000.0):
            peer_tempo(bpm)
            time.sleep(0.5)
            out[f"qpm_after_{bpm:g}"] = looper.qpm
            out[f"playing_after_{bpm:g}"] = looper.next_due() is not None
        out["range_lines"] = [w for w in looper.snapshot().warnings if "clamped" in w]
        peer_tempo(120.0)
        time.sleep(0.5)
        out["status"] = looper.snapshot().extras["sync"]
        # stop and start here (the controller's buttons): shared
        backend.actions.run("stop", None, 127)
        out["stop_at_peer_s"] = wait(lambda: not peer.captureSessionState().isPlaying(), 3)
        backend.actions.run("play", None, 127)
        out["start_at_peer_s"] = wait(lambda: peer.captureSessionState().isPlaying(), 3)
        # the peer stops: the loop stops
        time.sleep(1.0)
        peer_playing(False)
        out["stopped_by_peer_s"] = wait(lambda: looper.next_due() is None, 3)
        # quitting here leaves the session playing for the others
        peer_playing(True)
        wait(lambda: looper.next_due() is not None, 3)
        backend.close()
        closed = True
        time.sleep(0.3)
        out["session_plays_after_quit"] = bool(peer.captureSessionState().isPlaying())
    finally:
        peer.enabled = False
        if not closed:
            backend.close()
    return out


if __name__ == "__main__":
    print(json.dumps(run(float(sys.argv[1]) if len(sys.argv) > 1 else 4.0)))
