"""Looper timing: step jitter and drift, and note-path latency, against baselines.

Step timing (per tempo, both loops running side by side for ``--seconds``): our
transport (untimed: judged by when each step arrives; timed: by its time tag and
whether it arrived before it) against a sleep-chained loop like the original's
(``send; sleep(step)``), all measured at a receiving socket. Jitter is each step's
distance from the ideal grid (first step as origin); drift is the mean offset over
the last second minus that over the first (medians, so one late wake-up is not drift).

Note path: ``/processnoteon`` in to ``/playwurly`` out through the real backend,
against a bare UDP echo on the same loopback (the floor), one note at a time.

    python -m bench looper [--seconds 120] [--notes 10000]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import socket
import statistics
import threading
import time

from pythonosc.osc_message_builder import build_msg

from bench.stats import summary, table
from psc_looper.app import Backend, BackendConfig
from psc_looper.osc.capture import Received, UdpCapture
from psc_looper.timing.meter import LoopStructure, Meter, step_seconds

COLUMNS = ("p50", "p99", "max", "drift")


def grid_errors(times: list[float], dt: float) -> tuple[list[float], float]:
    """|distance| of each time from the grid t0 + k*dt, and the drift (last s vs first s)."""
    if len(times) < 3:
        return [], float("nan")
    t0 = times[0]
    offsets = [t - (t0 + k * dt) for k, t in enumerate(times)]
    per_second = max(1, round(1.0 / dt))
    drift = statistics.median(offsets[-per_second:]) - statistics.median(offsets[:per_second])
    return [abs(o - statistics.median(offsets)) for o in offsets], drift


def sleep_chained(port: int, dt: float, stop: threading.Event) -> None:
    """The original's loop: play a step, then sleep one step length."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    message = build_msg("/playclick2", [60, 80]).dgram
    while not stop.is_set():
        sock.sendto(message, ("127.0.0.1", port))
        time.sleep(dt)
    sock.close()


def backend_on(port: int, qpm: float, timed: bool) -> Backend:
    # a one-bar loop of 16ths (12/16) so every step carries a click to measure
    structure = LoopStructure(Meter(12, 16), 1)
    config = BackendConfig(listen_port=0, bridge_port=port, qpm=qpm, timed=timed,
                           structure=structure)
    return Backend(config)


NAMES = ("timed", "untimed", "sleep")


def receive(ports: mp.Queue, results: mp.Queue, stop: mp.Event) -> None:
    """In a separate process: one capture socket per loop, so receiving takes no GIL from
    the loops; send back what arrived, with perf_counter times and the wall offset."""
    caps = {name: UdpCapture() for name in NAMES}
    ports.put({name: cap.port for name, cap in caps.items()})
    stop.wait()
    time.sleep(0.2)
    results.put(({name: cap.received for name, cap in caps.items()},
                 time.time() - time.perf_counter()))
    for cap in caps.values():
        cap.close()


def step_rows(qpm: float, seconds: float) -> list[tuple[str, dict[str, float]]]:
    dt = step_seconds(qpm)
    ctx = mp.get_context("fork")  # started before any loop thread exists
    ports_q, results_q, done = ctx.Queue(), ctx.Queue(), ctx.Event()
    receiver = ctx.Process(target=receive, args=(ports_q, results_q, done))
    receiver.start()
    ports = ports_q.get(timeout=60)
    backends = [backend_on(ports["timed"], qpm, True), backend_on(ports["untimed"], qpm, False)]
    stop = threading.Event()
    chained = threading.Thread(target=sleep_chained, args=(ports["sleep"], dt, stop))
    for b in backends:
        b.start()
        b.looper.play()
    chained.start()
    time.sleep(seconds)
    stop.set()
    for b in backends:
        b.close()
    chained.join()
    done.set()
    received, wall_minus_perf = results_q.get(timeout=60)
    receiver.join()
    rows = []
    for name in NAMES:
        got: list[Received] = [r for r in received[name] if r.address.startswith("/playclick")]
        if name == "timed":
            errors, drift = grid_errors([r.timetag for r in got], dt)
            late = sum(r.arrived + wall_minus_perf > r.timetag for r in got)
            label = f"{qpm:g} qpm  ours, time-tagged (tag error; {late} late)"
        else:
            errors, drift = grid_errors([r.arrived for r in got], dt)
            label = f"{qpm:g} qpm  " + ("ours, untimed (arrival)" if name == "untimed"
                                        else "sleep-chained original (arrival)")
        rows.append((label, {**summary(errors), "drift": drift * 1000}))
    return rows


def echo_latency(notes: int) -> list[float]:
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    stop = threading.Event()

    def echo() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                data, addr = server.recvfrom(65536)
            except TimeoutError:
                continue
            server.sendto(data, addr)

    thread = threading.Thread(target=echo, daemon=True)
    thread.start()
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    message = build_msg("/processnoteon", [60, 100]).dgram
    out = []
    for _ in range(notes):
        t = time.perf_counter()
        client.sendto(message, server.getsockname())
        client.recv(65536)
        out.append(time.perf_counter() - t)
    stop.set()
    thread.join()
    client.close()
    server.close()
    return out


def note_latency(notes: int) -> list[float]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(2)
    backend = Backend(BackendConfig(listen_port=0, bridge_port=sock.getsockname()[1]))
    backend.start()
    target = backend.server.address
    out = []
    for i in range(notes):
        pitch = 36 + i % 60
        on = build_msg("/processnoteon", [pitch, 100]).dgram
        t = time.perf_counter()
        sock.sendto(on, target)
        sock.recv(65536)
        out.append(time.perf_counter() - t)
        sock.sendto(build_msg("/processnoteoff", [pitch, 0]).dgram, target)
        sock.recv(65536)
    backend.close()
    sock.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--tempos", type=float, nargs="*", default=[60.0, 120.0, 300.0])
    args = parser.parse_args()
    print(f"step timing, {args.seconds:g} s per tempo, all three loops side by side (ms)")
    rows = []
    for qpm in args.tempos:
        rows += step_rows(qpm, args.seconds)
    print(table(rows, COLUMNS))
    print(f"\nnote path, {args.notes} notes one at a time (ms)")
    floor = summary(echo_latency(args.notes))
    ours = summary(note_latency(args.notes))
    print(table([("bare UDP echo (floor)", floor), ("backend note-on -> /playwurly", ours)],
                ("p50", "p95", "p99", "max")))
    print(f"ratio p50 {ours['p50'] / floor['p50']:.2f}x, p99 {ours['p99'] / floor['p99']:.2f}x")


if __name__ == "__main__":
    main()
