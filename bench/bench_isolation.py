"""Isolation: do the models still need their own processes with the NumPy engine?

A ticker thread stands for the loop: it wakes at absolute 1 ms deadlines and records
how late it woke, while the main thread generates (a 20-note melody + 2 bars and 2
bars of drums, back to back, seeded) for --seconds. Side by side, each in a fresh
process: ``idle`` (no generation), ``inline`` (both models in the backend process,
the NumPy engine) and ``processes`` (each model in its own process, ``RemoteModel``,
the NumPy engine inside). Also: time to both models ready, and peak RSS of the whole
backend (the process plus its model processes, VmHWM).

    python -m bench isolation [--seconds 10]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODES = ("idle", "inline", "processes")
TICK = 0.001


def _hwm_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _ticker(stop: threading.Event, late: list[float]) -> None:
    deadline = time.perf_counter()
    while not stop.is_set():
        deadline += TICK
        delay = deadline - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        late.append(max(0.0, time.perf_counter() - deadline))


def _worker(mode: str, seconds: float) -> None:
    from psc_looper.bundles import DEFAULT_DRUMS_BUNDLE, DEFAULT_MELODY_BUNDLE
    from psc_looper.models import DrumHit, DrumsModel, MelodyModel, Note
    from psc_looper.models.remote import RemoteModel

    start = time.perf_counter()
    models: list = []
    if mode == "inline":
        models = [MelodyModel.load(DEFAULT_MELODY_BUNDLE), DrumsModel.load(DEFAULT_DRUMS_BUNDLE)]
    elif mode == "processes":
        models = [RemoteModel("MelodyModel", DEFAULT_MELODY_BUNDLE),
                  RemoteModel("DrumsModel", DEFAULT_DRUMS_BUNDLE)]
    ready = time.perf_counter() - start
    melody_primer = [Note(2 * i, 2 * i + 2, 60 + (5 * i) % 12) for i in range(20)]
    groove = [DrumHit(s, 36 if s % 8 == 0 else 42) for s in range(0, 16, 2)]
    stop, late = threading.Event(), []
    ticker = threading.Thread(target=_ticker, args=(stop, late))
    ticker.start()
    calls, seed, end = 0, 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        if models:
            models[0].generate(melody_primer, 32, seed=seed)
            models[1].generate(groove, 32, primer_steps=16, seed=seed)
            calls += 1
        else:
            time.sleep(0.05)
        seed += 1
    stop.set()
    ticker.join()
    rss = _hwm_mb() + sum(_hwm_mb(m._proc.pid) for m in models if hasattr(m, "_proc"))
    for m in models:
        m.close()
    late_ms = sorted(1000 * x for x in late)
    print(json.dumps({
        "ready": ready, "calls": calls, "rss": rss,
        "p50": statistics.median(late_ms), "p99": late_ms[int(0.99 * (len(late_ms) - 1))],
        "max": late_ms[-1], "tf": "tensorflow" in sys.modules,
    }), flush=True)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=10.0)
    args, _ = parser.parse_known_args(argv)
    if args.worker:
        _worker(args.worker, args.seconds)
        return
    results = {}
    for mode in MODES:
        out = subprocess.run([sys.executable, "-m", "bench.bench_isolation", "--worker", mode,
                              "--seconds", str(args.seconds)], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout
        results[mode] = json.loads(out.strip().splitlines()[-1])
    print(f"ticker at 1 ms for {args.seconds:g} s while generating melody + drums back to back")
    rows = (("models ready (s)", "ready", 3), ("generation pairs", "calls", 0),
            ("tick lateness p50 (ms)", "p50", 3), ("tick lateness p99 (ms)", "p99", 3),
            ("tick lateness max (ms)", "max", 3), ("peak RSS, backend + model processes (MB)",
                                                   "rss", 1))
    width = max(len(r[0]) for r in rows) + 2
    print(f"{'':<{width}}" + "".join(f"{m:>11}" for m in MODES))
    for label, key, digits in rows:
        print(f"{label:<{width}}" + "".join(f"{results[m][key]:>11.{digits}f}" for m in MODES))


if __name__ == "__main__":
    main(sys.argv[1:])
