"""Engine: the NumPy engine against magenta (TensorFlow) on the same bundles, side by side.

Each column runs in its own fresh process (``numpy``: ``engine="numpy"``, which never
imports TensorFlow; ``magenta``: ``engine="magenta"``), one after the other:

- cold start: process start to both models ready (parent's clock), median of runs;
- warm latency: a 20-note melody primer (20 8th notes) continued 2 bars, and a 1-bar
  groove continued 2 bars (32 steps each), median and p95 of --calls;
- peak RSS of the process holding both models (``ru_maxrss``) after all calls.

With --one-core every worker runs under ``taskset -c 0`` (a stand-in for a small
board). Default bundles: the shipped ones (attention_rnn and drum_kit, [64, 64]).

    python -m bench engine [--melody M.mag] [--drums D.mag] [--calls 30] [--cold-runs 3]
                           [--one-core]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODES = ("numpy", "magenta")
MELODY_NOTES = 20
NUM_STEPS = 32


def _worker(mode: str, melody_path: str, drums_path: str, calls: int) -> None:
    """Runs in the measured process: prints READY, then a JSON summary."""
    from psc_looper.models import DrumHit, DrumsModel, MelodyModel, Note

    melody = MelodyModel.load(melody_path, engine=mode)
    drums = DrumsModel.load(drums_path, engine=mode)
    print("READY", flush=True)
    scale = (60, 62, 64, 65, 67, 69, 71, 72)
    melody_primer = [Note(2 * i, 2 * i + 2, scale[(3 * i) % 8]) for i in range(MELODY_NOTES)]
    groove = [DrumHit(s, 36 if s % 8 == 0 else 42) for s in range(0, 16, 2)]
    times: dict[str, list[float]] = {"melody": [], "drums": []}
    for seed in range(calls + 1):  # the first call of each is not timed
        for name, generate in (
            ("melody", lambda s: melody.generate(melody_primer, NUM_STEPS, seed=s)),
            ("drums", lambda s: drums.generate(groove, NUM_STEPS, primer_steps=16, seed=s)),
        ):
            start = time.perf_counter()
            generate(seed)
            if seed:
                times[name].append(time.perf_counter() - start)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tf = "tensorflow" in sys.modules
    print(json.dumps({"times": times, "rss_mb": rss_mb, "tensorflow": tf}), flush=True)


def _run(mode: str, melody: Path, drums: Path, calls: int, one_core: bool) -> dict:
    command = [sys.executable, "-m", "bench.bench_engine", "--worker", mode,
               "--melody", str(melody), "--drums", str(drums), "--calls", str(calls)]
    if one_core:
        command = ["taskset", "-c", "0", *command]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    ready, result = 0.0, {}
    for line in process.stdout:
        if line.strip() == "READY":
            ready = time.perf_counter() - start
        elif line.startswith("{"):
            result = json.loads(line)
    if process.wait() != 0 or not result:
        raise RuntimeError(f"{mode} worker failed (exit {process.returncode})")
    return {"ready": ready, **result}


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str]) -> None:
    from psc_looper.bundles import DEFAULT_DRUMS_BUNDLE, DEFAULT_MELODY_BUNDLE

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--melody", type=Path, default=DEFAULT_MELODY_BUNDLE)
    parser.add_argument("--drums", type=Path, default=DEFAULT_DRUMS_BUNDLE)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--one-core", action="store_true")
    args, _ = parser.parse_known_args(argv)  # `python -m bench` passes every script's options
    if args.worker:
        _worker(args.worker, str(args.melody), str(args.drums), args.calls)
        return
    runs: dict[str, list[dict]] = {mode: [] for mode in MODES}
    for index in range(args.cold_runs):
        for mode in MODES:  # interleaved, so that load changes hit both alike
            runs[mode].append(_run(mode, args.melody, args.drums,
                                   args.calls if index == 0 else 0, args.one_core))
    rows = {"cold: start -> both models ready (s)":
            [statistics.median(r["ready"] for r in runs[m]) for m in MODES]}
    for name, what in (("melody", "20-note melody + 2 bars"), ("drums", "drums 2 bars")):
        times = [runs[m][0]["times"][name] for m in MODES]
        rows[f"warm {what} p50 (ms)"] = [1000 * statistics.median(t) for t in times]
        rows[f"warm {what} p95 (ms)"] = [1000 * _p95(t) for t in times]
    rows["peak RSS, both models (MB)"] = [runs[m][0]["rss_mb"] for m in MODES]
    core = "one core (taskset -c 0)" if args.one_core else "all cores"
    print(f"melody {args.melody.name}, drums {args.drums.name}; {core}; {args.calls} warm "
          f"calls each, cold start median of {args.cold_runs} processes; TensorFlow imported: "
          + ", ".join(f"{m} {runs[m][0]['tensorflow']}" for m in MODES))
    width = max(map(len, rows)) + 2
    print(f"{'':<{width}}{'numpy':>10}{'magenta':>10}{'magenta / numpy':>17}")
    for label, (ours, theirs) in rows.items():
        print(f"{label:<{width}}{ours:>10.3f}{theirs:>10.3f}{theirs / ours:>17.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
