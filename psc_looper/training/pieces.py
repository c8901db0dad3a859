"""Pieces: the plain, TensorFlow-free form of one training tune or groove, and its cache.

Times are in quarter notes from the piece's first bar line. A piece is what the data
steps (music21, mma) produce and what the cache stores as JSON, so that the slow
parsing happens once per machine; :mod:`psc_looper.training.datasets` turns pieces
into NoteSequences for magenta's pipelines.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

CACHE_VERSION = 1


def cache_root() -> Path:
    """``$PSC_LOOPER_CACHE`` or ``~/.cache/psc-looper``: parsed data and checkpoints."""
    return Path(os.environ.get("PSC_LOOPER_CACHE", Path.home() / ".cache" / "psc-looper"))


@dataclass(frozen=True)
class Event:
    """A note (pitch, onset and end in quarter notes); drum hits have end = onset + 1/4."""

    pitch: int
    start: float
    end: float


@dataclass(frozen=True)
class Piece:
    """One tune or groove: ``id`` ("collection/file#n"), its group for the split, events."""

    id: str
    group: str  # pieces of one group are held out together (a tune; a groove file)
    numerator: int
    denominator: int
    events: tuple[Event, ...] = field(default_factory=tuple)
    chords: tuple[tuple[float, str], ...] = ()  # (quarter, note-seq chord figure) changes
    meters: tuple[tuple[float, int], ...] = ()  # (quarter, beats per bar) metre changes

    def content_key(self) -> tuple[tuple[int, int], ...]:
        """Pitches and 16th-note onsets, to drop duplicates (the same tune in two
        collections; grooves that differ only in humanised timing or other tracks)."""
        return tuple(sorted({(e.pitch, round(e.start * 4)) for e in self.events}))


def to_json(piece: Piece) -> dict:
    return {
        "id": piece.id,
        "group": piece.group,
        "meter": [piece.numerator, piece.denominator],
        "events": [[e.pitch, e.start, e.end] for e in piece.events],
    }


def from_json(data: dict) -> Piece:
    numerator, denominator = data["meter"]
    events = tuple(Event(int(p), float(s), float(e)) for p, s, e in data["events"])
    return Piece(data["id"], data["group"], numerator, denominator, events)


def write_pieces(path: Path, pieces: Iterable[Piece]) -> None:
    """Write ``pieces`` to ``path`` atomically (a half-written cache is never read)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    payload = {"version": CACHE_VERSION, "pieces": [to_json(p) for p in pieces]}
    tmp.write_text(json.dumps(payload))
    tmp.replace(path)


def read_pieces(path: Path) -> list[Piece] | None:
    """The pieces cached in ``path``; None if absent or of another cache version."""
    try:
        payload = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if payload.get("version") != CACHE_VERSION:
        return None
    return [from_json(p) for p in payload["pieces"]]


def unique(pieces: Iterable[Piece]) -> list[Piece]:
    """``pieces`` without exact duplicates of an earlier piece's content, in order."""
    seen: set[tuple] = set()
    result = []
    for piece in pieces:
        key = piece.content_key()
        if piece.events and key not in seen:
            seen.add(key)
            result.append(piece)
    return result
