"""Runs: one model's training run: its data split and records, resumable chunked
training with progress, and its bundle.

Everything but the bundle lives in a work folder outside the repository (by default
``cache_root()/train/<kind>``): the records, the held-out ids, the checkpoints.
Training goes in chunks of magenta's own training loop; each chunk resumes from the
latest checkpoint and rewrites the bundle, so a stopped run loses at most one chunk
and running the same command again carries on.
"""

from __future__ import annotations

import logging
import multiprocessing
import random
import re
import shutil
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from psc_looper.training import datasets
from psc_looper.training.pieces import Piece, cache_root, unique
from psc_looper.training.split import DEFAULT_FRACTION, DEFAULT_SEED, split

log = logging.getLogger(__name__)

TRAIN, HELD_OUT = "train", "held_out"
HELD_OUT_LIST = "held_out.txt"


@dataclass(frozen=True)
class ModelSpec:
    """What one shipped model is: magenta config, size, batch, steps, augmentation."""

    kind: str  # the bundle's name: "melody", "improv", "folk" or "drums"
    config_id: str
    rnn_layer_sizes: tuple[int, ...]
    batch_size: int
    steps: int
    transposed_copies: int = 0  # melodies: extra transposed copies of each training tune
    max_pieces: int | None = None  # a seeded subset of the unique pieces (encoding is slow)
    seed: int = DEFAULT_SEED
    held_out_fraction: float = DEFAULT_FRACTION
    source: str = "wjazzd"  # the pieces: "wjazzd" (jazz solos), "folk" (music21), "mma"
    shuffle_records: bool = False  # lead sheets: magenta writes each sheet's 12 keys together

    @property
    def drums(self) -> bool:
        return self.kind == "drums"


SPECS = {
    "melody": ModelSpec("melody", "attention_rnn", (64, 64), 16, 6000),
    "improv": ModelSpec("improv", "chord_pitches_improv", (64, 64), 16, 8000,
                        shuffle_records=True),
    "folk": ModelSpec("folk", "attention_rnn", (64, 64), 16, 2000, transposed_copies=1,
                      max_pieces=2000, source="folk"),
    "drums": ModelSpec("drums", "drum_kit", (64, 64), 16, 3000, source="mma"),
}


def work_dir(kind: str) -> Path:
    return cache_root() / "train" / kind


@dataclass(frozen=True)
class Dataset:
    """A model's split pieces and the record files magenta's pipeline made of them."""

    training: list[Piece]
    held_out: list[Piece]
    records: dict[str, list[Path]]


def _write_shard(spec: ModelSpec, pieces: Sequence[Piece], augment: bool, folder: Path) -> Path:
    if spec.drums:
        sequences = datasets.drum_sequences(pieces)
    else:
        copies = spec.transposed_copies if augment else 0
        sequences = datasets.melody_sequences(pieces, copies, spec.seed)
    records = datasets.write_records(spec.config_id, sequences, folder)
    if spec.shuffle_records:
        datasets.shuffle_records(records, spec.seed)
    return records


def _write_records(spec: ModelSpec, pieces: Sequence[Piece], augment: bool, folder: Path,
                   workers: int) -> list[Path]:
    """Records of ``pieces`` in ``workers`` shards written in parallel processes."""
    shards = [(pieces[k::workers], folder / f"shard-{k}") for k in range(workers)]
    if workers == 1:
        return [_write_shard(spec, pieces, augment, shards[0][1])]
    context = multiprocessing.get_context("spawn")  # TensorFlow does not survive fork
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_write_shard, spec, part, augment, shard) for part, shard in shards
                   if part]
        return [f.result() for f in futures]


def subset(pieces: Sequence[Piece], count: int | None, seed: int) -> list[Piece]:
    """``count`` of ``pieces`` chosen by ``seed`` (all if None or fewer), in order."""
    if count is None or count >= len(pieces):
        return list(pieces)
    chosen = set(random.Random(seed).sample(range(len(pieces)), count))
    return [p for i, p in enumerate(pieces) if i in chosen]


def prepare(spec: ModelSpec, pieces: Sequence[Piece], folder: Path, workers: int = 2) -> Dataset:
    """Split ``pieces`` by group and write (or reuse) their records in ``folder``.

    The held-out ids go to ``folder/held_out.txt``; records are rebuilt when that list
    changes. Only training pieces are augmented.
    """
    chosen = subset(unique(pieces), spec.max_pieces, spec.seed)
    training, held_out = split(chosen, spec.held_out_fraction, spec.seed)
    ids = "".join(f"{p.id}\n" for p in held_out)
    listing = folder / HELD_OUT_LIST
    fresh = listing.exists() and listing.read_text() == ids
    records = {}
    for part, members in ((TRAIN, training), (HELD_OUT, held_out)):
        existing = sorted((folder / "records" / part).glob("shard-*/training_*.tfrecord"))
        if fresh and existing:
            records[part] = existing
            continue
        log.info("%s: encoding %d %s pieces with magenta's pipeline", spec.kind, len(members),
                 part)
        shutil.rmtree(folder / "records" / part, ignore_errors=True)
        records[part] = _write_records(spec, members, part == TRAIN, folder / "records" / part,
                                       workers)
    folder.mkdir(parents=True, exist_ok=True)
    listing.write_text(ids)
    return Dataset(training, held_out, records)


def global_step(checkpoint_dir: Path) -> int:
    """The step of the latest checkpoint in ``checkpoint_dir`` (0 if none)."""
    import tensorflow.compat.v1 as tf

    latest = tf.train.latest_checkpoint(str(checkpoint_dir))
    match = re.search(r"-(\d+)$", latest or "")
    return int(match.group(1)) if match else 0


@dataclass(frozen=True)
class Progress:
    step: int
    total: int
    loss: float | None
    accuracy: float | None
    steps_per_second: float
    seconds_left: float

    def line(self, kind: str) -> str:
        loss = "-" if self.loss is None else f"{self.loss:.3f}"
        acc = "-" if self.accuracy is None else f"{self.accuracy:.3f}"
        return (f"{kind}: step {self.step}/{self.total} loss {loss} accuracy {acc} | "
                f"{self.steps_per_second:.2f} steps/s | {self.seconds_left / 60:.1f} min left")


class _TrainingLog(logging.Handler):
    """Keeps the last loss and accuracy magenta's training loop logs."""

    PATTERN = re.compile(r"Loss = ([-\d.e]+).*?Accuracy = ([-\d.e]+)|Accuracy = ([-\d.e]+)"
                         r".*?Loss = ([-\d.e]+)")

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.loss: float | None = None
        self.accuracy: float | None = None

    def emit(self, record: logging.LogRecord) -> None:
        match = self.PATTERN.search(record.getMessage())
        if match:
            loss, acc, acc2, loss2 = match.groups()
            self.loss, self.accuracy = float(loss or loss2), float(acc or acc2)


def train(
    spec: ModelSpec,
    records: Sequence[Path],
    checkpoint_dir: Path,
    output: Path,
    *,
    steps: int | None = None,
    chunk_steps: int = 200,
    deadline: float | None = None,
    report: Callable[[Progress], None] = lambda p: None,
) -> int:
    """Train up to ``steps`` (default the spec's) global steps, then write ``output``.

    Stops early (still writing the bundle) once ``deadline`` (a ``time.monotonic()``
    value) has passed. Returns the global step reached.
    """
    from psc_looper.models.build import build_bundle

    total = spec.steps if steps is None else steps
    checkpoint_dir.mkdir(parents=True, exist_ok=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    build = partial(build_bundle, spec.config_id, output,
                    rnn_layer_sizes=spec.rnn_layer_sizes, batch_size=spec.batch_size,
                    training_records=list(records), checkpoint_dir=checkpoint_dir,
                    description=f"psc-looper {spec.kind} ({spec.config_id}); see MODEL_CARD.md")
    handler = _TrainingLog()
    tf_log = logging.getLogger("tensorflow")
    tf_log.addHandler(handler)
    tf_log.setLevel(logging.INFO)
    tf_log.propagate = False
    done = start_step = global_step(checkpoint_dir)
    started, wrote = time.monotonic(), False
    try:
        while done < total:
            rate = (done - start_step) / max(time.monotonic() - started, 1e-9)
            chunk = min(chunk_steps, total - done)
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0 or (rate > 0 and left * rate < 1):
                    log.warning("%s: time budget spent at step %d of %d", spec.kind, done, total)
                    break
                if rate > 0:
                    chunk = max(1, min(chunk, int(left * rate)))
            build(train_steps=chunk)
            done, wrote = global_step(checkpoint_dir), True
            rate = (done - start_step) / (time.monotonic() - started)
            report(Progress(done, total, handler.loss, handler.accuracy, rate,
                            (total - done) / rate if rate > 0 else float("inf")))
        if not wrote:
            build(train_steps=0)
    finally:
        tf_log.removeHandler(handler)
    return done
