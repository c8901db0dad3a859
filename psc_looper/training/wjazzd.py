"""WJazzD: the Weimar Jazz Database solos (``data/wjazzd/``) as training pieces.

Each solo becomes a :class:`~psc_looper.training.pieces.Piece` on the 16th-note grid:
its melody, its chords per beat (as note-seq figures, for magenta's lead sheets) and
its metre changes. Decisions, measured on the whole database in ``data/wjazzd/README.md``:

- A note's position in beats is the index of its beat in the solo's beat track plus
  ``(tatum - 1) / division``; it is rounded to the nearest 16th. Triplets and other
  tuplets are rounded too (a triplet-eighth run becomes 16th-aligned): magenta's
  melodies live on a 16th grid with no tuplets.
- A note rounded onto the step of the note before moves one step later if that step is
  free and within one step of where it was played; otherwise it is dropped.
- A note lasts its articulation (duration / inter-onset interval) times the gap to the
  next note in beats, at least one step and never past the next note; the last note of
  a solo (no articulation) lasts one beat.
- Solos without a beat track or metre are left out.

Reading needs only the standard library (gzipped CSV extracted by
``scripts/wjazzd_extract.py`` from the jazzodata package, MIT).
"""

from __future__ import annotations

import csv
import gzip
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from psc_looper.harmony.chords import ChordError, parse_chord
from psc_looper.training.pieces import Event, Piece

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "wjazzd"
STEPS_PER_BEAT = 4
LAST_NOTE_BEATS = 1.0


class WjazzdError(ValueError):
    """The WJazzD tables are missing or malformed; the message names the file."""


@dataclass(frozen=True)
class SoloInfo:
    """A solo's metadata (one row of ``solos.csv.gz``)."""

    melid: int
    id: str
    performer: str
    title: str
    style: str
    avgtempo: float
    chord_changes: str


@dataclass(frozen=True)
class RawNote:
    onset: float  # seconds
    pitch: int
    articulation: float  # duration / inter-onset interval; NaN for the last note
    bar: int
    beat: int
    tatum: int
    division: int


@dataclass(frozen=True)
class RawBeat:
    onset: float
    bar: int
    beat: int
    period: int
    chord: str


def _rows(path: Path) -> Iterable[dict[str, str]]:
    if not path.is_file():
        raise WjazzdError(f"{path}: WJazzD table missing (see data/wjazzd/README.md)")
    with gzip.open(path, "rt", newline="") as f:
        yield from csv.DictReader(f)


def _float(text: str) -> float:
    return float(text) if text not in ("", "NA") else math.nan


def _solo_info(r: dict[str, str]) -> SoloInfo:
    return SoloInfo(int(r["melid"]), r["id"], r["performer"], r["title"], r["style"],
                    _float(r["avgtempo"]), r["chord_changes"])


def solo_infos(folder: Path = DATA_DIR) -> dict[str, SoloInfo]:
    """The solos' metadata by solo id (= piece id)."""
    return {r["id"]: _solo_info(r) for r in _rows(folder / "solos.csv.gz")}


def read_tables(folder: Path = DATA_DIR) -> tuple[
    dict[int, SoloInfo], dict[int, list[RawNote]], dict[int, list[RawBeat]]
]:
    """(solos, notes by solo, beats by solo), notes and beats in onset order."""
    solos = {int(r["melid"]): _solo_info(r) for r in _rows(folder / "solos.csv.gz")}
    notes: dict[int, list[RawNote]] = defaultdict(list)
    for r in _rows(folder / "notes.csv.gz"):
        notes[int(r["melid"])].append(RawNote(
            float(r["onset"]), int(r["pitch_raw"]), _float(r["articulation_raw"]),
            int(r["bar"]), int(r["beat"]), int(r["tatum"]), max(1, int(r["division"]))))
    beats: dict[int, list[RawBeat]] = defaultdict(list)
    for r in _rows(folder / "beats.csv.gz"):
        beats[int(r["melid"])].append(RawBeat(
            float(r["onset"]), int(r["bar"]), int(r["beat"]), int(r["period"] or 0), r["chord"]))
    for table in (notes, beats):
        for rows in table.values():
            rows.sort(key=lambda x: x.onset)
    return solos, dict(notes), dict(beats)


def beat_positions(notes: Sequence[RawNote], beats: Sequence[RawBeat]) -> list[float | None]:
    """Each note's position in beats from the solo's first beat (None: its beat is not
    in the beat track)."""
    index = {(b.bar, b.beat): k for k, b in enumerate(beats)}
    positions: list[float | None] = []
    for n in notes:
        k = index.get((n.bar, n.beat))
        positions.append(None if k is None else k + (n.tatum - 1) / n.division)
    return positions


def quantize(positions: Sequence[float], pitches: Sequence[int],
             articulations: Sequence[float]) -> list[Event]:
    """Monophonic events (times in quarter notes = beats) on the 16th grid, as the
    module docstring describes. ``positions`` must be in increasing order."""
    steps: list[tuple[int, int, int]] = []  # (index into inputs, start step, pitch)
    last = -1
    for i, (position, pitch) in enumerate(zip(positions, pitches, strict=True)):
        step = round(position * STEPS_PER_BEAT)
        if step <= last:
            step = last + 1
            if step - position * STEPS_PER_BEAT > 1.0:
                continue
        steps.append((i, step, pitch))
        last = step
    events = []
    for k, (i, start, pitch) in enumerate(steps):
        following = steps[k + 1][1] if k + 1 < len(steps) else None
        if i + 1 < len(positions) and not math.isnan(articulations[i]):
            gap = positions[i + 1] - positions[i]
            length = round(articulations[i] * gap * STEPS_PER_BEAT)
        else:
            length = round(LAST_NOTE_BEATS * STEPS_PER_BEAT)
        end = start + max(1, length)
        if following is not None:
            end = min(end, following)
        events.append(Event(pitch, start / STEPS_PER_BEAT, end / STEPS_PER_BEAT))
    return events


def chord_changes(beats: Sequence[RawBeat]) -> tuple[tuple[float, str], ...]:
    """(beat, note-seq figure or "N.C.") at every chord change of the beat track."""
    changes: list[tuple[float, str]] = []
    for k, b in enumerate(beats):
        try:
            chord = parse_chord(b.chord) if b.chord else None
        except ChordError as e:
            raise WjazzdError(f"beat {k} ({b.bar}.{b.beat}): {e}") from None
        figure = "N.C." if chord is None else chord.figure()
        if not changes or changes[-1][1] != figure:
            changes.append((float(k), figure))
    return tuple(changes)


def meter_changes(beats: Sequence[RawBeat]) -> tuple[tuple[float, int], ...]:
    """(beat, beats per bar) where the bar length changes, from the first full bar."""
    changes: list[tuple[float, int]] = []
    for k, b in enumerate(beats):
        if b.beat == 1 and b.period > 0 and (not changes or changes[-1][1] != b.period):
            changes.append((float(k), b.period))
    return tuple(changes)


def solo_piece(info: SoloInfo, notes: Sequence[RawNote], beats: Sequence[RawBeat]) -> Piece | None:
    """The solo as a piece starting at its first bar line; None if it has no metre."""
    meters = meter_changes(beats)
    if not notes or not meters:
        return None
    positions = beat_positions(notes, beats)
    kept = [(p, n) for p, n in zip(positions, notes, strict=True) if p is not None]
    first_bar = meters[0][0]  # the beat track may start with a pickup of odd beats
    events = quantize([p - first_bar for p, _ in kept], [n.pitch for _, n in kept],
                      [n.articulation for _, n in kept])
    events = [e for e in events if e.start >= 0]
    chords = tuple((b - first_bar, f) for b, f in chord_changes(beats))
    return Piece(
        id=info.id, group=info.id, numerator=meters[0][1], denominator=4,
        events=tuple(events), chords=_from_zero(chords),
        meters=tuple((b - first_bar, n) for b, n in meters),
    )


def _from_zero(changes: tuple[tuple[float, str], ...]) -> tuple[tuple[float, str], ...]:
    """Changes clipped to start at beat 0 (the chord at 0 is the last one at or before)."""
    result: list[tuple[float, str]] = []
    for beat, figure in changes:
        if beat <= 0:
            result = [(0.0, figure)]
        elif not result or result[-1][1] != figure:
            result.append((beat, figure))
    return tuple(result)


def solo_pieces(folder: Path = DATA_DIR) -> tuple[list[Piece], dict[str, SoloInfo]]:
    """Every solo with a metre as a piece, and the solos' metadata by piece id."""
    solos, notes, beats = read_tables(folder)
    pieces, infos = [], {}
    for melid in sorted(solos):
        piece = solo_piece(solos[melid], notes.get(melid, []), beats.get(melid, []))
        if piece is not None and piece.events:
            pieces.append(piece)
            infos[piece.id] = solos[melid]
    return pieces, infos


def shared_performers(training: Iterable[Piece], held_out: Iterable[Piece],
                      infos: dict[str, SoloInfo]) -> set[str]:
    """Performers with solos on both sides of a split (empty: performer-disjoint)."""
    return ({infos[p.id].performer for p in training}
            & {infos[p.id].performer for p in held_out})
