"""WJazzD bass lines: the estimated bass pitch and the chord on every beat of each solo
(``beats.csv.gz``), as ``band.metrics.BassBeat`` lines, and the shipped held-out split.

The pitches are estimates from the recordings (noisy: see data/wjazzd/README.md), so
they are the reference to measure against and the Markov baseline's training data.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from psc_looper.band.metrics import BassBeat, chord_line
from psc_looper.harmony.chords import Chord, ChordError, parse_chord
from psc_looper.training.wjazzd import DATA_DIR, _rows, solo_infos

HELD_OUT = Path(__file__).resolve().parents[1] / "bundles" / "improv.heldout.txt"


@cache
def _chord(symbol: str) -> Chord | None:
    try:
        return parse_chord(symbol)
    except ChordError:
        return None


def bass_lines(folder: Path = DATA_DIR) -> dict[str, tuple[int, list[BassBeat]]]:
    """Per solo id: (beats per bar, its line from its first bar line on)."""
    ids = {str(info.melid): solo_id for solo_id, info in solo_infos(folder).items()}
    raw: dict[str, list[dict[str, str]]] = {}
    for row in _rows(folder / "beats.csv.gz"):
        raw.setdefault(row["melid"], []).append(row)
    lines = {}
    for melid, rows in raw.items():
        rows = [r for r in rows if int(r["bar"]) >= 0]
        if not rows or melid not in ids:
            continue
        numerator = int(rows[0]["signature"].partition("/")[0] or 4)
        pitches = [int(r["bass"]) if r["bass"] not in ("", "NA") else None for r in rows]
        lines[ids[melid]] = (numerator, chord_line([_chord(r["chord"]) for r in rows],
                                                   [int(r["beat"]) - 1 for r in rows], pitches))
    return lines


def held_out_ids(path: Path = HELD_OUT) -> set[str]:
    """The solos the shipped improv bundle held out (whole solos)."""
    return {t for t in path.read_text().split("\n") if t.strip()}
