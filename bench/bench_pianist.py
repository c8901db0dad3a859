"""Two-handed material (``material/``, 16 bars of WJazzD solos as a pianist's two hands,
pedal, type-0/1 files, drums, tempo changes) replayed with improv on and the shipped
melody model, per file: takeovers, jump at takeover (median, max), leaps over a fifth
(machine's lines vs the pianist's melody), machine notes at or under the
accompaniment (must be 0), accompaniment keys the machine took, melody keys passed
through inside its turns, note-ons without
note-off in the output (must be 0). Variants side by side: ``split=none`` (every key
is one line: the original behaviour, the baseline), ``split=auto`` (the default) and a
fixed split at middle C.

    python -m bench pianist [--bundle melody.mag] [--seed 7]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from material.measure import Figures, material_files, measure
from psc_looper.bundles import DEFAULT_MELODY_BUNDLE
from psc_looper.improv import ImprovOptions

VARIANTS = {"split=none (original)": "none", "split=auto (default)": "auto",
            "split=60": "60"}
COLUMNS = ("takeovers", "jump median", "jump max", "machine leaps %", "melody leaps %",
           "under accomp.", "accomp. taken", "melody passed", "machine notes", "unmatched")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=DEFAULT_MELODY_BUNDLE)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for variant, split in VARIANTS.items():
            print(f"\n{variant}")
            print(f"{'file':<18}" + "".join(f"{c:>16}" for c in COLUMNS))
            figures = []
            for path in material_files():
                result = measure(path, ImprovOptions(split=split), Path(folder) / "out.mid",
                                 seed=args.seed, melody_bundle=args.bundle)
                figures.append(result)
                print(_line(result.name, result.row()))
            print(_line("all", _total(figures)))


def _line(name: str, row: dict[str, float]) -> str:
    return f"{name:<18}" + "".join(f"{row[c]:>16.1f}" if isinstance(row[c], float)
                                   else f"{row[c]:>16}" for c in COLUMNS)


def _total(figures: list[Figures]) -> dict[str, float]:
    jumps = [j for f in figures for j in f.jumps]
    machine = (sum(f.machine_leaps[0] for f in figures), sum(f.machine_leaps[1] for f in figures))
    melody = (sum(f.melody_leaps[0] for f in figures), sum(f.melody_leaps[1] for f in figures))
    return {
        "takeovers": sum(f.takeovers for f in figures),
        "jump median": statistics.median(jumps) if jumps else float("nan"),
        "jump max": max(jumps, default=float("nan")),
        "machine leaps %": Figures.share(machine),
        "melody leaps %": Figures.share(melody),
        "under accomp.": sum(f.below for f in figures),
        "accomp. taken": sum(f.accompaniment_taken for f in figures),
        "melody passed": sum(f.melody_passed for f in figures),
        "machine notes": sum(f.machine_notes for f in figures),
        "unmatched": sum(f.unmatched for f in figures),
    }


if __name__ == "__main__":
    main()
