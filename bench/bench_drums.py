"""Drums: DrumsRNN groove latency against the loop length, and loop jitter while generating.

Latency: warm ``generate_groove`` calls (the beat as primer, one loop continued) for
loops of 1, 2 and 4 bars of 4/4, against the loop's length at 120 qpm: a groove asked
for at a loop start must be ready before the next one.

Jitter: a real Backend (RealClock, the real Transport thread, a CaptureOutput) plays a
one-bar 12/16 loop (a click on every step) in alternating segments, idle and with the
DrumsFeature's worker generating grooves back to back. For each step, the lateness is
the capture's send time minus the intended send time (step time - lookahead).

Without ``--bundle`` an untrained drum_kit bundle of Magenta's default size (3x256
LSTM) is built first: latency depends on the network's size, not on its training.

    python -m bench drums [--bundle drum_kit.mag] [--calls 20] [--seconds 60]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench.bundles import bundle_for
from bench.stats import summary, table
from psc_looper.app import Backend, BackendConfig
from psc_looper.drums.beat import build_beat
from psc_looper.drums.groove import generate_groove
from psc_looper.models import DrumsModel, Sampling
from psc_looper.osc.ports import CaptureOutput, Sent
from psc_looper.timing.clock import RealClock
from psc_looper.timing.meter import LoopStructure, Meter, step_seconds

QPM = 120.0
BARS = (1, 2, 4)
DEFAULT_LAYERS = (256, 256, 256)  # magenta's drum_kit default
SEGMENTS = 4  # idle, generating, idle, generating


def latency_rows(model: DrumsModel, calls: int) -> list[tuple[str, dict[str, float]]]:
    rows = []
    for bars in BARS:
        structure = LoopStructure(Meter(4, 4), bars)
        beat = build_beat(structure, [])
        for seed in range(2):  # warm-up
            generate_groove(model, beat, structure, Sampling(seed=seed))
        times = []
        for seed in range(calls):
            t = time.perf_counter()
            generate_groove(model, beat, structure, Sampling(seed=seed))
            times.append(time.perf_counter() - t)
        loop_ms = structure.steps * step_seconds(QPM) * 1000
        stats = summary(times)
        rows.append((f"{bars} bar(s) of 4/4, {structure.steps} steps",
                     {**stats, "loop": loop_ms, "p95/loop": stats["p95"] / loop_ms}))
    return rows


def lateness(sent: list[Sent], lookahead: float) -> list[float]:
    """Per step (one batch per time tag): first send time minus the intended send time."""
    first: dict[float, float] = {}
    for s in sent:
        if s.at is not None:
            first.setdefault(s.at, s.sent)
    return [t - (at - lookahead) for at, t in first.items()]


def jitter_rows(bundle: Path, seconds: float) -> list[tuple[str, dict[str, float]]]:
    clock = RealClock()
    output = CaptureOutput(clock)
    config = BackendConfig(listen_port=0, qpm=QPM, structure=LoopStructure(Meter(12, 16), 1),
                           drums_bundle=bundle)
    backend = Backend(config, clock, output)
    feature = backend.drums
    backend.transport.start()
    backend.looper.play()
    feature.build_beat()
    results: dict[str, list[float]] = {"idle": [], "generating": []}
    for segment in range(SEGMENTS):
        busy = segment % 2 == 1
        stop = threading.Event()

        def keep_generating(stop: threading.Event = stop) -> None:
            while not stop.is_set():
                feature.generate()
                feature.wait_idle()

        thread = threading.Thread(target=keep_generating) if busy else None
        output.clear()
        if thread is not None:
            thread.start()
        time.sleep(seconds / SEGMENTS)
        stop.set()
        if thread is not None:
            thread.join()
        results["generating" if busy else "idle"] += lateness(output.sent, backend.looper.lookahead)
    status = feature.status()
    backend.close()
    print(f"(jitter run: {seconds:g} s, 120 qpm 12/16, last status: {status})")
    return [(f"loop steps, {name} ({len(v)} steps)", {**summary(v), "mean": statistics.fmean(v)
                                                     * 1000 if v else float("nan")})
            for name, v in results.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, help="a drum_kit .mag (default: build one)")
    parser.add_argument("--calls", type=int, default=20, help="timed calls per loop length")
    parser.add_argument("--seconds", type=float, default=60.0, help="jitter run length")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-drums-") as folder:
        bundle = bundle_for(args.bundle, "drum_kit", DEFAULT_LAYERS, Path(folder))
        model = DrumsModel.load(bundle)
        print(f"\nWarm groove generation, {args.calls} calls each (ms; loop = loop length "
              f"at {QPM:g} qpm)")
        print(table(latency_rows(model, args.calls), ("p50", "p95", "max", "loop", "p95/loop")))
        model.close()
        print("\nLoop step lateness: send time - intended send time (ms)")
        print(table(jitter_rows(bundle, args.seconds), ("mean", "p50", "p95", "p99", "max")))


if __name__ == "__main__":
    main()
