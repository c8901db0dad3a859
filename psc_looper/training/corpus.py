"""Corpus: melodies from the music21 wheel's public-domain collections, parsed and cached.

Sources: O'Neill's 1850, Ryan's Mammoth, Aird's Airs and miscFolk (ABC), and the
soprano lines of the Bach chorales (MusicXML). Essen is deliberately absent (its
licence is non-commercial). Each source file is parsed once with music21 (slow: minutes
for the whole set) and cached as pieces under ``cache_root()/melody``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from psc_looper.training.pieces import Event, Piece, cache_root, read_pieces, write_pieces

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Collection:
    """A folder of the music21 corpus and the glob of its files we use."""

    name: str
    pattern: str
    licence: str


COLLECTIONS = (
    Collection("oneills1850", "*.abc", "public domain (O'Neill, 1850)"),
    Collection("ryansMammoth", "*.abc", "public domain (Ryan's Mammoth Collection, 1883)"),
    Collection("airdsAirs", "*.abc", "public domain (Aird's Airs, 1782-1803)"),
    Collection("miscFolk", "*.abc", "public domain (traditional)"),
    Collection("bach", "bwv*.mxl", "public domain (J. S. Bach chorales, soprano lines)"),
)
SOPRANO = "soprano"


def corpus_dir() -> Path:
    """The music21 corpus folder; ModuleNotFoundError names requirements/train.txt."""
    try:
        import music21
    except ModuleNotFoundError as e:
        raise ModuleNotFoundError(
            "the melody corpus needs music21: pip install -r requirements/train.txt"
        ) from e
    return Path(music21.__file__).parent / "corpus"


def _melody_part(score: Any, soprano_only: bool) -> Any | None:
    """The part carrying the tune: the soprano of a chorale, the only part of a folk tune."""
    if not soprano_only:
        return score.parts[0] if score.parts else None
    for part in score.parts:
        if SOPRANO in f"{part.partName} {part.id}".lower():
            return part
    return None


def piece_from_score(score: Any, piece_id: str, soprano_only: bool = False) -> Piece | None:
    """The melody of a music21 score as a piece; None if it has no usable melody.

    Ties are merged, grace notes and chord symbols dropped, a double stop keeps its top
    note; a pickup bar is shifted so that the first full bar starts on a bar line. The
    meter is the score's first time signature.
    """
    from music21 import chord, harmony, meter, note

    part = _melody_part(score, soprano_only)
    if part is None:
        return None
    signatures = list(part.recurse().getElementsByClass(meter.TimeSignature))
    if not signatures:
        return None
    signature = signatures[0]
    bar = signature.barDuration.quarterLength
    measures = list(part.getElementsByClass("Measure"))
    first = measures[0].duration.quarterLength if measures else bar
    shift = bar - first if 0 < first < bar else 0.0
    events = []
    for element in part.stripTies().flatten().notes:
        length = float(element.quarterLength)
        if length <= 0 or isinstance(element, harmony.ChordSymbol):
            continue
        if isinstance(element, chord.Chord):
            pitch = max(p.midi for p in element.pitches)
        elif isinstance(element, note.Note):
            pitch = element.pitch.midi
        else:
            continue
        start = float(element.offset) + shift
        events.append(Event(pitch, start, start + length))
    if not events:
        return None
    events.sort(key=lambda e: (e.start, -e.pitch))
    group = piece_id  # a tune is its own group
    return Piece(piece_id, group, signature.numerator, signature.denominator, tuple(events))


def pieces_from_file(path: Path, collection: str, soprano_only: bool) -> list[Piece]:
    """Every tune of one corpus file (an ABC tunebook holds many); bad tunes are logged."""
    from music21 import converter, stream

    parsed = converter.parse(str(path))
    scores = list(parsed.scores) if isinstance(parsed, stream.Opus) else [parsed]
    pieces = []
    for index, score in enumerate(scores, 1):
        piece_id = f"{collection}/{path.stem}#{index}"
        try:
            piece = piece_from_score(score, piece_id, soprano_only)
        except Exception as e:  # music21 raises many kinds on odd ABC
            log.warning("%s: skipped (%s)", piece_id, e)
            continue
        if piece is not None:
            pieces.append(piece)
    return pieces


def _cached_file(path: Path, collection: Collection, cache: Path) -> list[Piece]:
    target = cache / collection.name / f"{path.stem}.json"
    pieces = read_pieces(target)
    if pieces is None:
        try:
            pieces = pieces_from_file(path, collection.name, collection.name == "bach")
        except Exception as e:
            log.warning("%s: cannot parse (%s)", path, e)
            pieces = []
        write_pieces(target, pieces)
    return pieces


def source_files(root: Path, collections: Iterable[Collection] = COLLECTIONS) -> list[
    tuple[Path, Collection]
]:
    """(file, collection) for every corpus file we use, sorted for determinism."""
    return [(f, c) for c in collections for f in sorted((root / c.name).glob(c.pattern))]


def melody_pieces(
    workers: int = 2,
    limit_files: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Piece]:
    """All melody pieces, parsing only the files not yet cached.

    ``limit_files`` takes every n-th file to reach about that many (a subset when
    time is short); ``progress(done, total)`` is called after each file.
    """
    files = source_files(corpus_dir())
    if limit_files is not None and limit_files < len(files):
        stride = len(files) / limit_files
        files = [files[int(i * stride)] for i in range(limit_files)]
    cache = cache_root() / "melody"
    return list(_parse_all(files, cache, workers, progress))


def _parse_all(
    files: list[tuple[Path, Collection]],
    cache: Path,
    workers: int,
    progress: Callable[[int, int], None] | None,
) -> Iterator[Piece]:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_cached_file, f, c, cache) for f, c in files]
        for done, future in enumerate(futures, 1):
            yield from future.result()
            if progress is not None:
                progress(done, len(files))
