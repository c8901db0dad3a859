"""Jazz models: warm latency of the machine's answer, one 20-note continuation, per model.

The shipped melody models side by side in one process on the NumPy engine: the jazz
MelodyRNN, the ImprovRNN over a ii-V-I (chords at every step, as the improv feature
gives them) and the folk MelodyRNN it replaced (the baseline). The primer is 20 8th
notes of a line over Dm7 | G7 | Cmaj7 | Cmaj7; the steps asked for are what the improv
feature asks to get about 20 notes back (``steps_to_generate``). Calls are interleaved
across the models so that load changes hit all alike. Reported: median and p95 (ms),
the ratio to the folk model's median, the notes returned, and the p95 as a share of one
4/4 bar at 240 qpm (1 s: the shortest loop a pianist would set).

    python -m bench jazz [--calls 40] [--melody M.mag] [--improv I.mag] [--folk F.mag]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.bundles import bundle_for

BAR_AT_240_QPM_MS = 1000.0
LINE = (62, 65, 69, 72, 71, 67, 65, 62, 64, 67, 71, 74, 72, 71, 69, 67, 64, 60, 62, 64)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str]) -> None:
    from psc_looper.bundles import BUNDLE_DIR
    from psc_looper.harmony.chords import parse_chord
    from psc_looper.improv.options import ImprovOptions
    from psc_looper.improv.primer import steps_to_generate
    from psc_looper.models import ImprovModel, MelodyModel, Note

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--melody", type=Path, default=BUNDLE_DIR / "melody.mag")
    parser.add_argument("--improv", type=Path, default=None)
    parser.add_argument("--folk", type=Path, default=BUNDLE_DIR / "folk.mag")
    args, _ = parser.parse_known_args(argv)  # `python -m bench` passes every script's options
    shipped = BUNDLE_DIR / "improv.mag"
    with tempfile.TemporaryDirectory() as folder:
        improv_path = bundle_for(args.improv or (shipped if shipped.is_file() else None),
                                 "chord_pitches_improv", (64, 64), Path(folder))
        models = {"folk MelodyRNN (baseline)": MelodyModel.load(args.folk, engine="numpy"),
                  "jazz MelodyRNN": MelodyModel.load(args.melody, engine="numpy"),
                  "ImprovRNN over ii-V-I": ImprovModel.load(improv_path, engine="numpy")}
    primer = [Note(2 * i, 2 * i + 2, p) for i, p in enumerate(LINE)]
    primer_steps = 2 * len(LINE)
    options = ImprovOptions()
    num_steps = steps_to_generate(primer, primer_steps, options.max_generated,
                                  options.max_generate_steps)
    bars = [parse_chord(s) for s in ("Dm7", "G7", "Cmaj7", "Cmaj7")]
    chords = [bars[(step // 16) % 4] for step in range(primer_steps + num_steps)]
    times: dict[str, list[float]] = {name: [] for name in models}
    notes: dict[str, list[int]] = {name: [] for name in models}
    for seed in range(args.calls + 1):  # the first call of each is not timed
        for name, model in models.items():
            harmony = {"chords": chords} if isinstance(model, ImprovModel) else {}
            start = time.perf_counter()
            line = model.generate(primer, num_steps, primer_steps=primer_steps, seed=seed,
                                  **harmony)
            if seed:
                times[name].append((time.perf_counter() - start) * 1000)
                notes[name].append(len(line))
    for model in models.values():
        model.close()
    base = statistics.median(times["folk MelodyRNN (baseline)"])
    print(f"{num_steps} steps asked after a 20-note primer of {primer_steps} steps; "
          f"{args.calls} warm calls each, NumPy engine; improv bundle {improv_path.name}")
    print(f"{'':<28}{'p50 ms':>9}{'p95 ms':>9}{'/ folk':>8}{'notes':>7}{'p95 / bar@240':>15}")
    for name, t in times.items():
        p50, p95 = statistics.median(t), _p95(t)
        print(f"{name:<28}{p50:>9.1f}{p95:>9.1f}{p50 / base:>8.2f}"
              f"{statistics.median(notes[name]):>7.0f}{p95 / BAR_AT_240_QPM_MS:>15.1%}")


if __name__ == "__main__":
    main(sys.argv[1:])
