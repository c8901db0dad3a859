"""The stage view's cost to the loop, and how often it pushes.

Two real-clock backends play the same loaded 8-bar loop (four layers of 8ths and a drum
part of 16ths, swing 0.6, untimed: each batch judged by when it is sent) at the same
time for ``--seconds``, each in its own process: one plain (the baseline), one with the
stage view attached and ``--pages`` WebSocket pages (in this process) reading what it
pushes. Rows: each loop batch's send time against its scheduled time (p50 / p99 / max,
ms) and the ratio web : plain; then the pushes a page received a second (and with a
state that is new every time it is asked: the cap), and what one
state build costs (``Looper.snapshot()``, which takes the looper's lock briefly, and the
whole page state as JSON), on a virtual rig.

    python -m bench stage [--seconds 20] [--pages 4] [--qpm 240]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import threading
import time
from multiprocessing.connection import Connection

from websockets.sync.client import connect

from bench.bench_time import loaded_rig, real_backend
from bench.stats import summary, table
from psc_looper.osc.ports import CaptureOutput
from psc_looper.stage import StageFeature, StageServer
from psc_looper.stage.state import stage_state

BARS = 8


def play(qpm: float, seconds: float, web: bool, pipe: Connection) -> None:
    """A child: play for ``seconds``; send back the port (web), then the lateness list."""
    backend = real_backend(BARS, 0.6, qpm=qpm, timed=False, loaded=True)
    server = None
    if web:
        server = StageServer("127.0.0.1", 0, None)
        backend.attach(StageFeature(server, backend.songs, backend.improv))
    pipe.send(server.port if server else None)
    pipe.recv()  # go
    backend.looper.play()
    time.sleep(seconds)
    backend.close()
    output = backend.output
    assert isinstance(output, CaptureOutput)
    pipe.send([s.sent - s.at for s in output.sent if s.at is not None
               and s.address.startswith("/play")])


def read_pages(port: int, pages: int, seconds: float) -> list[float]:
    """``pages`` pages reading for ``seconds``: each one's pushes a second."""
    rates = [0.0] * pages

    def page(k: int) -> None:
        with connect(f"ws://127.0.0.1:{port}/ws") as ws:
            start = time.monotonic()
            times = []
            while time.monotonic() - start < seconds:
                try:
                    json.loads(ws.recv(timeout=0.5))
                except TimeoutError:
                    continue
                times.append(time.monotonic())
            rates[k] = (len(times) - 1) / (times[-1] - times[0])  # first to last push

    threads = [threading.Thread(target=page, args=(k,)) for k in range(pages)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return rates


def capped_rate(seconds: float = 3.0) -> float:
    """Pushes a second to one page when the state is new every time it is asked."""
    server = StageServer("127.0.0.1", 0, None)
    counter = iter(range(10**9))
    server.start(lambda: str(next(counter)), lambda _action: True)
    try:
        (rate,) = read_pages(server.port, 1, seconds)
    finally:
        server.stop()
    return rate


def build_costs(repeats: int = 3000) -> list[tuple[str, dict[str, float]]]:
    rig = loaded_rig(BARS)
    rig.looper.play()
    rig.advance(1.0)
    snaps, states = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        snap = rig.looper.snapshot()
        t1 = time.perf_counter()
        json.dumps(stage_state(snap))
        t2 = time.perf_counter()
        snaps.append(t1 - t0)
        states.append(t2 - t0)
    rig.backend.close()
    return [("Looper.snapshot()", summary(snaps)), ("page state as JSON", summary(states))]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--qpm", type=float, default=240.0)
    args, _ = parser.parse_known_args(argv)  # `python -m bench` passes every script's options
    context = mp.get_context("fork")  # before any thread of this process exists
    pipes, children = {}, []
    for web in (False, True):
        mine, theirs = context.Pipe()
        child = context.Process(target=play, args=(args.qpm, args.seconds, web, theirs))
        child.start()
        pipes[web], children = mine, [*children, child]
    port = pipes[True].recv()
    pipes[False].recv()
    for pipe in pipes.values():
        pipe.send("go")
    rates = read_pages(port, args.pages, args.seconds - 1)
    late = {web: pipe.recv() for web, pipe in pipes.items()}
    for child in children:
        child.join()
    plain, web = summary(late[False]), summary(late[True])
    columns = ("p50", "p99", "max")
    print(f"untimed send vs schedule (ms), {BARS}-bar loaded loop at {args.qpm:g} qpm, "
          f"{args.seconds:g} s, two processes side by side")
    print(table([("plain", plain), (f"stage view + {args.pages} pages", web),
                 ("ratio web : plain", {c: web[c] / plain[c] for c in columns})], columns))
    print(f"\npushes a page received a second: {', '.join(f'{r:.1f}' for r in rates)} "
          f"(a beat is 0.25 s); with a state new every time asked: {capped_rate():.1f} "
          "(cap 20)")
    print("\none state build on a virtual rig (ms)")
    print(table(build_costs(), ("p50", "p99", "max")))


if __name__ == "__main__":
    main(sys.argv[1:])
