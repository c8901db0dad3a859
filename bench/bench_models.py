"""Models: cold start, warm 2-bar latency and peak RSS, reused generators vs one per call.

Both columns run magenta (TensorFlow; bench_engine compares the NumPy engine).
"reuse" is ours: each bundle's generator is built once (``MelodyModel.load`` /
``DrumsModel.load``) and every call reuses it. "per call" is the original looper's
approach: a new generator (bundle read, TF graph imported, checkpoint restored) for
every generation. Each approach runs in its own fresh process, one after the other:

- cold start: process start to both generators ready (for "per call": to magenta
  imported, as it builds nothing ahead), and to the first melody + drums result;
- warm latency: 2 bars (32 steps) after a 1-bar primer, median and p95 of --calls;
- peak RSS of the process (``ru_maxrss``).

Without --melody/--drums, untrained bundles of Magenta's default sizes are built
first (attention_rnn 2x128, drum_kit 3x256): latency depends on size, not training.

    python -m bench models [--melody attention_rnn.mag] [--drums drum_kit.mag]
                           [--calls 24] [--cold-runs 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODES = ("reuse", "per_call")
PRIMER_STEPS = 16
NUM_STEPS = 32


def _primers() -> tuple[list, list]:
    from psc_looper.models import DrumHit, Note

    melody = [Note(s, s + 2, 60 + (s % 7)) for s in range(0, PRIMER_STEPS, 2)]
    drums = [DrumHit(s, 36 if s % 8 == 0 else 42) for s in range(0, PRIMER_STEPS, 2)]
    return melody, drums


def _worker(mode: str, melody_path: str, drums_path: str, calls: int) -> None:
    """Runs in the measured process: prints READY, FIRST, then a JSON summary."""
    from psc_looper.models import DrumsModel, MelodyModel, ensure_magenta

    melody_primer, drums_primer = _primers()
    ensure_magenta()
    if mode == "reuse":
        melody = MelodyModel.load(melody_path, engine="magenta")
        drums = DrumsModel.load(drums_path, engine="magenta")

        def gen_melody(seed: int) -> None:
            melody.generate(melody_primer, NUM_STEPS, seed=seed)

        def gen_drums(seed: int) -> None:
            drums.generate(drums_primer, NUM_STEPS, primer_steps=PRIMER_STEPS, seed=seed)

    else:

        def gen_melody(seed: int) -> None:
            model = MelodyModel.load(melody_path, engine="magenta")
            model.generate(melody_primer, NUM_STEPS, seed=seed)
            model.close()

        def gen_drums(seed: int) -> None:
            model = DrumsModel.load(drums_path, engine="magenta")
            model.generate(drums_primer, NUM_STEPS, primer_steps=PRIMER_STEPS, seed=seed)
            model.close()

    print("READY", flush=True)
    gen_melody(0)
    gen_drums(0)
    print("FIRST", flush=True)
    times: dict[str, list[float]] = {"melody": [], "drums": []}
    for seed in range(1, calls + 1):
        for name, generate in (("melody", gen_melody), ("drums", gen_drums)):
            start = time.perf_counter()
            generate(seed)
            times[name].append(time.perf_counter() - start)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"times": times, "rss_mb": rss_mb}), flush=True)


def _run(mode: str, melody: Path, drums: Path, calls: int) -> dict:
    """Start a worker process; time READY and FIRST from the parent's clock."""
    command = [sys.executable, "-m", "bench.bench_models", "--worker", mode]
    command += ["--melody", str(melody), "--drums", str(drums), "--calls", str(calls)]
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    marks: dict[str, float] = {}
    result: dict = {}
    for line in process.stdout:
        if line.strip() in ("READY", "FIRST"):
            marks[line.strip()] = time.perf_counter() - start
        elif line.startswith("{"):
            result = json.loads(line)
    if process.wait() != 0 or not result:
        raise RuntimeError(f"{mode} worker failed (exit {process.returncode})")
    return {"ready": marks["READY"], "first": marks["FIRST"], **result}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _default_bundles(folder: Path) -> tuple[Path, Path]:
    from psc_looper.models.build import build_bundle

    melody = build_bundle(
        "attention_rnn", folder / "attention_rnn.mag", rnn_layer_sizes=(128, 128), seed=0
    )
    drums = build_bundle(
        "drum_kit", folder / "drum_kit.mag", rnn_layer_sizes=(256, 256, 256), seed=0
    )
    return melody, drums


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--melody", type=Path)
    parser.add_argument("--drums", type=Path)
    parser.add_argument("--calls", type=int, default=24)
    parser.add_argument("--cold-runs", type=int, default=3)
    args, _ = parser.parse_known_args(argv)  # `python -m bench` passes every script's options
    if args.worker:
        _worker(args.worker, str(args.melody), str(args.drums), args.calls)
        return
    with tempfile.TemporaryDirectory(prefix="bench-models-") as folder:
        if args.melody and args.drums:
            melody, drums = args.melody, args.drums
        else:
            melody, drums = _default_bundles(Path(folder))
        runs = {mode: [_run(mode, melody, drums, args.calls)] for mode in MODES}
        for _ in range(args.cold_runs - 1):
            for mode in MODES:
                runs[mode].append(_run(mode, melody, drums, 0))
    rows = {
        "cold: start -> ready (s)": [statistics.median(r["ready"] for r in runs[m]) for m in MODES],
        "cold: start -> 1st results (s)": [
            statistics.median(r["first"] for r in runs[m]) for m in MODES
        ],
    }
    for name in ("melody", "drums"):
        times = [runs[m][0]["times"][name] for m in MODES]
        rows[f"warm {name} 2 bars p50 (ms)"] = [1000 * statistics.median(t) for t in times]
        rows[f"warm {name} 2 bars p95 (ms)"] = [1000 * _percentile(t, 0.95) for t in times]
    rows["peak RSS (MB)"] = [runs[m][0]["rss_mb"] for m in MODES]
    print(
        f"melody {melody.name}, drums {drums.name}; {args.calls} warm calls each, "
        f"cold start median of {args.cold_runs} processes"
    )
    width = max(map(len, rows)) + 2
    print(f"{'':<{width}}{'reuse':>10}{'per call':>10}{'per call / reuse':>18}")
    for label, (ours, original) in rows.items():
        print(f"{label:<{width}}{ours:>10.3f}{original:>10.3f}{original / ours:>18.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
