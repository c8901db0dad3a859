"""Two-handed material (``material/``, 16 bars of WJazzD solos as a pianist's two hands,
pedal, type-0/1 files, drums, tempo changes) replayed with improv on and the shipped
melody model, per file: takeovers, jump at takeover (median, max), leaps over a fifth
(machine's lines vs the pianist's melody), machine notes at or under the
accompaniment (must be 0), accompaniment keys the machine took, melody keys passed
through inside its turns, note-ons without note-off in the output (must be 0), and the
chord tones of the machine's notes and of the pianist's melody (against the chord the
left hand struck). Variants side by side: ``split=none`` (every key is one line: the
original behaviour, the baseline), ``split=auto`` (the default) and a fixed split at
middle C, all with the shipped MelodyRNN and ImprovRNN (the ImprovRNN answers over the
left hand's chord); and ``split=auto`` with the MelodyRNN alone (no chords heard).

    python -m bench pianist [--bundle melody.mag] [--improv improv.mag] [--seed 7]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from material.measure import Figures, material_files, measure
from psc_looper.bundles import DEFAULT_IMPROV_BUNDLE, DEFAULT_MELODY_BUNDLE
from psc_looper.improv import ImprovOptions

VARIANTS = {"split=none (original)": ("none", True), "split=auto (default)": ("auto", True),
            "split=60": ("60", True), "split=auto, MelodyRNN alone": ("auto", False)}
COLUMNS = ("takeovers", "jump median", "jump max", "machine leaps %", "melody leaps %",
           "under accomp.", "accomp. taken", "melody passed", "machine notes", "unmatched",
           "machine chord tones %", "melody chord tones %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=DEFAULT_MELODY_BUNDLE)
    parser.add_argument("--improv", type=Path, default=DEFAULT_IMPROV_BUNDLE)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for variant, (split, chords) in VARIANTS.items():
            print(f"\n{variant}")
            print(f"{'file':<18}" + "".join(f"{c:>16}" for c in COLUMNS))
            figures = []
            for path in material_files():
                result = measure(path, ImprovOptions(split=split), Path(folder) / "out.mid",
                                 seed=args.seed, melody_bundle=args.bundle,
                                 improv_bundle=args.improv if chords else None)
                figures.append(result)
                print(_line(result.name, result.row()))
            print(_line("all", _total(figures)))


def _line(name: str, row: dict[str, float]) -> str:
    return f"{name:<18}" + "".join(f"{row[c]:>16.1f}" if isinstance(row[c], float)
                                   else f"{row[c]:>16}" for c in COLUMNS)


def _summed(figures: list[Figures], field: str) -> tuple[int, int]:
    pairs = [getattr(f, field) for f in figures]
    return sum(a for a, _ in pairs), sum(b for _, b in pairs)


def _total(figures: list[Figures]) -> dict[str, float]:
    jumps = [j for f in figures for j in f.jumps]
    machine, melody = _summed(figures, "machine_leaps"), _summed(figures, "melody_leaps")
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
        "machine chord tones %": Figures.share(_summed(figures, "machine_chord_tones")),
        "melody chord tones %": Figures.share(_summed(figures, "melody_chord_tones")),
    }


if __name__ == "__main__":
    main()
