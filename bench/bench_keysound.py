"""Key to sound through the real bridge, at several JACK periods: what a pianist hears.

For each period a bridge is started on a JACK server of its own (jackd dummy + scsynth +
sclang, as the tests start them) and scsynth records its own output while notes are
played, one every ``GAP`` seconds, all the same key and velocity:

- **tagged**: ``/playwurly`` in a bundle time-tagged ahead; these calibrate the
  recording: their onsets against their tags map the file's time to the time a
  tagged event is meant to sound (so every figure includes JACK's output latency);
- **direct** (the baseline): a plain ``/playwurly`` sent to the bridge at once;
- **key**: a simulated key at sclang (``/sim/noteon``), answered (one recording
  each) by the real backend (``psc-looper run --no-sc --no-models`` in its own
  process) with ``--no-keys-thru`` (before: the key's sound waits for the backend's
  answer), and by the real backend as it runs by default (after: keys thru, the
  bridge plays the key at once and the backend records and follows it); with
  ``--stand-in`` also by a stand-in backend in this process that sends ``/playwurly``
  back at once for each ``/processnoteon`` (the bridge's two hops without the
  backend's own work).

Each figure is the onset's time (mapped by the tagged notes) minus the time the note
or key was sent; the backend's share is the key row minus the direct row of the same
recording (p50 and p95 each). Before each note every voice is cut (``/panic 1``), so
each attack starts in silence, and each note's time is moved by up to 11 ms at random
so that every phase of a JACK period is sampled. The stand-in also timestamps each
``/processnoteon`` it gets: the first hop (sim key -> sclang -> UDP) on its own.
The notes: 2 recordings (3 with the stand-in) x 3 kinds x ``--notes`` per period
(default 360 in all).

    python -m bench keysound [--periods 256 128 64] [--notes 20] [--stand-in]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import build_msg

from bench.stats import summary, table
from psc_looper.osc.protocol import NOTE_OFF, NOTE_ON, PANIC_ADDRESS, Instrument
from psc_looper.sc.onsets import load_mono
from psc_looper.sc.procs import udp_port_free
from psc_looper.sc.testing import LiveBridge, running_bridge

GAP = 0.2  # seconds between notes: each one's attack stands clear of the last one's tail
HOLD = 0.03  # seconds each note is held
LEAD = 0.1  # how early a tagged note is sent
PITCH, VELOCITY = 72, 100
COLUMNS = ("p50", "p95", "max")
WINDOW = (-0.03, 0.08)  # where an event's onset is looked for, around its expected time
THRESHOLD = 0.01  # the attack's first sample above this
JITTER = 0.011  # each note's time moved by up to this, at random: every phase of a period


@dataclass
class Events:
    """Wall-clock times of one recording's notes, by kind."""

    tagged: list[float] = field(default_factory=list)
    sent: dict[str, list[float]] = field(default_factory=dict)


class StandIn:
    """A stand-in backend: each ``/processnoteon`` answered at once by a ``/playwurly``
    (note-offs by ``/stopwurly``); keeps the wall time each note-on arrived."""

    def __init__(self, port: int, bridge_port: int) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("127.0.0.1", port))
        self._bridge = ("127.0.0.1", bridge_port)
        self.arrived: list[float] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                data = self._sock.recv(65536)
            except OSError:
                return  # closed
            now = time.time()
            if not data.startswith(b"/process"):
                continue
            message = OscMessage(data)
            note, velocity = message.params[:2]
            if message.address == NOTE_ON:
                self._sock.sendto(build_msg("/playwurly", [note, velocity]).dgram, self._bridge)
                self.arrived.append(now)
            elif message.address == NOTE_OFF:
                self._sock.sendto(build_msg("/stopwurly", [note, 0]).dgram, self._bridge)

    def close(self) -> None:
        self._sock.close()
        self._thread.join(timeout=2)


def play_cycles(live: LiveBridge, cycles: int, key_kind: str) -> Events:
    """``cycles`` times: a tagged note, a direct note, a simulated key, ``GAP`` apart;
    before each, every voice is cut (``/panic 1``), so each attack starts in silence."""
    events = Events(sent={"direct": [], key_kind: []})
    plays: list[tuple[str, Callable[[], None], Callable[[], None]]] = [
        ("direct", lambda: live.play(Instrument.KEYS, PITCH, VELOCITY),
         lambda: live.stop(Instrument.KEYS, PITCH)),
        (key_kind, lambda: live.sim_note_on(PITCH, VELOCITY),
         lambda: live.sim_note_off(PITCH))]
    rng = random.Random(cycles)
    due = time.time() + 0.3
    for _ in range(cycles):
        _sleep_until(due - LEAD - 0.02)
        live.send(PANIC_ADDRESS, 1)
        live.play(Instrument.KEYS, PITCH, VELOCITY, at=due)
        live.stop(Instrument.KEYS, PITCH, at=due + HOLD)
        events.tagged.append(due)
        for kind, on, off in plays:
            due += GAP + rng.uniform(0.0, JITTER)
            _sleep_until(due - LEAD)
            live.send(PANIC_ADDRESS, 1)
            _sleep_until(due)
            events.sent[kind].append(time.time())
            on()
            _sleep_until(time.time() + HOLD)
            off()
        due += GAP
    _sleep_until(due + 0.3)
    return events


def _sleep_until(wall: float) -> None:
    time.sleep(max(0.0, wall - time.time()))


def first_rise(audio: np.ndarray, rate: int, start: float, end: float) -> float | None:
    """The first sample between ``start`` and ``end`` s louder than ``THRESHOLD``: an
    attack's beginning (each note starts in silence, so the same point of each)."""
    a, b = max(0, int(start * rate)), min(len(audio), int(end * rate))
    above = np.nonzero(np.abs(audio[a:b]) > THRESHOLD)[0]
    return (a + int(above[0])) / rate if len(above) else None


def latencies(wav: Path, rec_start: float, events: Events) -> dict[str, list[float]]:
    """Per kind, each note's sound time (mapped by the tagged notes) minus its send time."""
    audio, rate = load_mono(wav)

    def onset(expected: float) -> float | None:
        at = expected - rec_start
        return first_rise(audio, rate, at + WINDOW[0], at + WINDOW[1])

    pairs = [(o, tag) for tag in events.tagged if (o := onset(tag)) is not None]
    if len(pairs) < 3:
        raise RuntimeError(f"only {len(pairs)} tagged notes found in {wav}")
    found, tags = (np.array(v) for v in zip(*pairs, strict=True))

    def sounded(o: float) -> float:
        """The file's time ``o`` as the time a tagged note sounds: the offset of the
        tagged notes on either side, interpolated (scsynth's estimate of the wall clock
        wanders by a fraction of a period; the tagged notes follow it)."""
        return float(o + np.interp(o, found, tags - found))

    out: dict[str, list[float]] = {}
    for kind, times in events.sent.items():
        out[kind] = [sounded(o) - sent for sent in times
                     if (o := onset(sent + 0.015)) is not None]
    return out


def backend_process(live: LiveBridge, extra: tuple[str, ...] = ()) -> subprocess.Popen[bytes]:
    """The real backend in its own process, listening where the bridge sends keys."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "psc_looper", "run", "--no-sc", "--no-models", "--no-record",
         "--status", "off", "--listen-port", str(live.backend_port),
         "--bridge-port", str(live.process.port), *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ))
    deadline = time.monotonic() + 60
    while udp_port_free(live.backend_port):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("the backend did not start")
        time.sleep(0.05)
    time.sleep(0.5)
    return proc


def recorded(live: LiveBridge, folder: Path, name: str,
             play: Callable[[], Events]) -> tuple[dict[str, list[float]], Events]:
    wav = folder / f"{name}.wav"
    start = live.record_from(wav, lead=0.3)
    _sleep_until(start + 0.1)
    events = play()
    live.stop_recording()
    return latencies(wav, start, events), events


STAND_IN = ("stand-in", None)  # name, the backend's command-line options (None: the stand-in)
PHASES = (("backend, key via backend", ("--no-keys-thru",)), ("backend, keys thru", ()))


@dataclass
class Phase:
    direct: list[float]
    key: list[float]
    xruns: int = 0  # during its recording: its figures then show the xruns, not the path

    def share(self) -> dict[str, float]:
        """The key row minus the direct row, p50 and p95 (ms)."""
        key, direct = summary(self.key), summary(self.direct)
        return {c: key[c] - direct[c] for c in ("p50", "p95")}


def one_phase(live: LiveBridge, folder: Path, name: str, options: tuple[str, ...] | None,
              cycles: int, hops: list[float]) -> Phase:
    """Tagged, direct and key notes in one recording, keys answered by ``name``."""
    before = live.process.jack.xruns() or 0
    phase = _one_phase(live, folder, name, options, cycles, hops)
    phase.xruns = (live.process.jack.xruns() or 0) - before
    return phase


def _one_phase(live: LiveBridge, folder: Path, name: str, options: tuple[str, ...] | None,
               cycles: int, hops: list[float]) -> Phase:
    if options is None:
        stand_in = StandIn(live.backend_port, live.process.port)
        try:
            got, events = recorded(live, folder, name, lambda: play_cycles(live, cycles, "key"))
        finally:
            stand_in.close()
        hops += [arrived - sent for arrived, sent in
                 zip(stand_in.arrived, events.sent["key"], strict=True)]
        return Phase(got["direct"], got["key"])
    proc = backend_process(live, options)
    try:
        got, _ = recorded(live, folder, name.replace(" ", "-").replace(",", ""),
                          lambda: play_cycles(live, cycles, "key"))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return Phase(got["direct"], got["key"])


def one_period(period: int, cycles: int, stand_in: bool
               ) -> tuple[dict[str, Phase], list[float], int]:
    """Each phase's latencies at ``period`` frames, the stand-in's first hops, the xruns."""
    hops: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, running_bridge(
            Path(tmp), period=period, jack_name=f"psc-bench-{os.getpid()}") as live:
        live.ping()
        phases = {name: one_phase(live, Path(tmp), name, options, cycles, hops)
                  for name, options in ((STAND_IN, *PHASES) if stand_in else PHASES)}
        xruns = live.process.jack.xruns() or 0
    return phases, hops, xruns


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--periods", type=int, nargs="+", default=[256, 128, 64])
    parser.add_argument("--notes", type=int, default=20,
                        help="notes of each kind per recording (default %(default)s)")
    parser.add_argument("--stand-in", action="store_true",
                        help="also a recording with the stand-in backend (the hops alone)")
    args = parser.parse_args(argv)
    results = []
    for period in args.periods:
        phases, hops, xruns = one_period(period, args.notes, args.stand_in)
        results.append((period, phases, xruns))
        print(f"\nJACK period {period} frames at 48 kHz ({period / 48:.2f} ms), {xruns} xruns "
              "in jackd's log (start-up included); key to sound (ms)")
        rows = []
        for name, phase in phases.items():
            xruns_said = f" ({phase.xruns} XRUNS)" if phase.xruns else ""
            rows += [(f"{name}: direct{xruns_said}", summary(phase.direct)),
                     (f"{name}: key{xruns_said}", summary(phase.key))]
        if hops:
            rows.append(("first hop: sim key -> stand-in", summary(hops)))
        print(table(rows, COLUMNS), flush=True)
    print("\nsummary (ms): key to sound with keys thru, and the backend's share "
          "(key minus direct note, same recording)")
    print(f"{'period':>8}{'p50':>8}{'p95':>8}{'share before p50/p95':>24}"
          f"{'share after p50/p95':>24}{'xruns':>7}")
    for period, phases, _ in results:
        after, before = phases["backend, keys thru"], phases["backend, key via backend"]
        xruns = after.xruns + before.xruns
        key = summary(after.key)
        b, a = before.share(), after.share()
        print(f"{period:>8}{key['p50']:>8.2f}{key['p95']:>8.2f}"
              f"{b['p50']:>12.2f} / {b['p95']:<9.2f}{a['p50']:>12.2f} / {a['p95']:<9.2f}"
              f"{xruns:>7}")


if __name__ == "__main__":
    main()
