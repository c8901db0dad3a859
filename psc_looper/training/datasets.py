"""Datasets: pieces to NoteSequences and magenta's SequenceExample records.

NoteSequences are at 120 qpm (a quarter note is 0.5 s) in the piece's meter (with its
metre changes), its chords as chord-symbol annotations (lead sheets); magenta's
own pipelines (via ``psc_looper.models.build.write_training_records``) quantize them
and extract the melodies or drum tracks. Melodies are augmented by transposition.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from psc_looper.models.compat import ensure_magenta
from psc_looper.models.sequences import DRUM_INSTRUMENT, QPM, VELOCITY
from psc_looper.training.pieces import Event, Piece

SECONDS_PER_QUARTER = 60.0 / QPM
CHORD_SYMBOL = 1  # NoteSequence.TextAnnotation.CHORD_SYMBOL
TRANSPOSITIONS = tuple(t for t in range(-5, 7) if t != 0)  # a fifth down to a fifth up


def to_note_sequence(piece: Piece, transpose: int = 0, drums: bool = False) -> Any:
    """A NoteSequence of ``piece`` transposed by ``transpose`` semitones."""
    ensure_magenta()
    import note_seq

    sequence = note_seq.NoteSequence()
    sequence.id = piece.id if not transpose else f"{piece.id}@{transpose:+d}"
    sequence.tempos.add(qpm=QPM)
    sequence.time_signatures.add(numerator=piece.numerator, denominator=piece.denominator)
    sequence.ticks_per_quarter = note_seq.STANDARD_PPQ
    for event in piece.events:
        pitch = event.pitch if drums else event.pitch + transpose
        if not 0 <= pitch <= 127:
            continue
        note = sequence.notes.add(
            pitch=pitch,
            velocity=VELOCITY,
            start_time=event.start * SECONDS_PER_QUARTER,
            end_time=event.end * SECONDS_PER_QUARTER,
        )
        if drums:
            note.is_drum = True
            note.instrument = DRUM_INSTRUMENT
    for quarter, numerator in piece.meters[1:]:  # magenta's pipelines split at changes
        sequence.time_signatures.add(time=quarter * SECONDS_PER_QUARTER, numerator=numerator,
                                     denominator=piece.denominator)
    for quarter, figure in piece.chords:
        chord = note_seq.chord_symbols_lib.transpose_chord_symbol(figure, transpose) \
            if transpose and figure != note_seq.NO_CHORD else figure
        sequence.text_annotations.add(time=quarter * SECONDS_PER_QUARTER, text=chord,
                                      annotation_type=CHORD_SYMBOL)
    sequence.total_time = max((n.end_time for n in sequence.notes), default=0.0)
    return sequence


def transpositions(piece: Piece, copies: int, seed: int) -> list[int]:
    """0 and ``copies`` distinct shifts from TRANSPOSITIONS, chosen by the piece and seed."""
    rng = random.Random(f"{seed}:{piece.id}")
    return [0, *rng.sample(TRANSPOSITIONS, min(copies, len(TRANSPOSITIONS)))]


def monophonic(piece: Piece) -> Piece:
    """``piece`` with one note at a time: the highest of notes starting together, each
    note cut where the next starts (magenta's melody extractor drops polyphonic tunes)."""
    starts: dict[float, Event] = {}
    for event in piece.events:
        if event.start not in starts or event.pitch > starts[event.start].pitch:
            starts[event.start] = event
    ordered = [starts[t] for t in sorted(starts)]
    events = [Event(e.pitch, e.start, min(e.end, nxt.start))
              for e, nxt in itertools.pairwise(ordered)] + ordered[-1:]
    return dataclasses.replace(piece, events=tuple(events))


def melody_sequences(pieces: Iterable[Piece], copies: int = 0, seed: int = 0) -> Iterator[Any]:
    """Each piece's (monophonic) NoteSequence plus ``copies`` transposed ones."""
    for piece in pieces:
        for shift in transpositions(piece, copies, seed):
            yield to_note_sequence(monophonic(piece), shift)


def drum_sequences(pieces: Iterable[Piece]) -> Iterator[Any]:
    for piece in pieces:
        yield to_note_sequence(piece, drums=True)


def write_records(config_id: str, sequences: Iterable[Any], output_dir: Path) -> Path:
    """Magenta's records of ``sequences`` for ``config_id`` in ``output_dir``."""
    from psc_looper.models.build import write_training_records

    output_dir.mkdir(parents=True, exist_ok=True)
    return write_training_records(config_id, sequences, output_dir)


def shuffle_records(path: Path, seed: int) -> None:
    """Rewrite the TFRecord file ``path`` with its records in a seeded random order."""
    ensure_magenta()
    import tensorflow as tf

    raw = list(tf.data.TFRecordDataset([str(path)]).as_numpy_iterator())
    random.Random(seed).shuffle(raw)
    tmp = path.with_suffix(".shuffling")
    with tf.io.TFRecordWriter(str(tmp)) as writer:
        for record in raw:
            writer.write(record)
    tmp.replace(path)


def _sequence_examples(records: Sequence[Path]) -> Iterator[Any]:
    ensure_magenta()
    import tensorflow as tf

    for raw in tf.data.TFRecordDataset([str(r) for r in records]).as_numpy_iterator():
        yield tf.train.SequenceExample.FromString(raw).feature_lists.feature_list


def _labels(features: Any) -> list[int]:
    return [f.int64_list.value[0] for f in features["labels"].feature]


def read_labels(records: Sequence[Path]) -> list[list[int]]:
    """The label (event class) sequence of every SequenceExample in the ``records`` files."""
    return [_labels(features) for features in _sequence_examples(records)]


def read_examples(records: Sequence[Path]) -> list[tuple[Any, list[int]]]:
    """(inputs [steps, input_size] float array, labels) of every SequenceExample."""
    import numpy as np

    return [
        (np.array([f.float_list.value for f in features["inputs"].feature], dtype=np.float32),
         _labels(features))
        for features in _sequence_examples(records)
    ]
