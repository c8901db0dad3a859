"""Bass training: the learned bass (``band.bassnet``) trained on WJazzD bass lines.

Split by whole solo: the improv bundle's 46 held-out solos stay out (they are what
``bench band`` reports on); of the other solos, a tenth (seed 2024) is the validation
set that chooses the step count. Training lines are augmented by transposition (-5..+6
semitones, where the line stays in the register). Keras (TensorFlow) trains one LSTM
layer in chunks: after each chunk the model and its optimizer are saved in the work
folder, the validation bits per beat are logged, and the best step so far is exported
as ``best.npz`` (the tensors the NumPy engine reads); running the same command again
carries on from the last chunk.

    python -m psc_looper.training.basstrain --steps 6000 [--every 500] [--ship]
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from psc_looper.band.bassnet import INPUT_SIZE, INTERVALS, BassNet
from psc_looper.bundles import DEFAULT_BASS_MODEL
from psc_looper.training.bassdata import (
    NO_FILTER,
    BassFilter,
    Segment,
    bits_per_beat,
    segments,
    transposed,
    windows,
)
from psc_looper.training.basslines import bass_lines, held_out_ids
from psc_looper.training.pieces import cache_root
from psc_looper.training.split import DEFAULT_SEED, held_out_groups

UNITS, WINDOW, BATCH, RATE, DROPOUT = (64,), 64, 64, 0.003, 0.3
SHIFTS = tuple(range(-5, 7))
CELL = "rnn/multi_rnn_cell/cell_{}/basic_lstm_cell/"
OUTPUT = "fully_connected/"


def split_lines(bass_filter: BassFilter = NO_FILTER) -> dict[str, list[Segment]]:
    """Segments of the ``train``, ``validation`` and ``test`` (held-out) solos; only
    ``train`` and ``validation`` are filtered, ``test`` keeps every held-out solo."""
    lines = bass_lines()
    test_ids = held_out_ids()
    rest = sorted(k for k in lines if k not in test_ids)
    validation_ids = held_out_groups(rest, 0.1, DEFAULT_SEED)
    sets: dict[str, list[Segment]] = {"train": [], "validation": [], "test": []}
    for solo, (numerator, line) in lines.items():
        name = "test" if solo in test_ids else "validation" if solo in validation_ids \
            else "train"
        if name == "test" or bass_filter.keeps(numerator, line):
            sets[name] += segments(line)
    return sets


def augmented(segs: list[Segment]) -> list[Segment]:
    return [t for s in segs for shift in SHIFTS if (t := transposed(s, shift)) is not None]


def export(model: Any) -> dict[str, np.ndarray]:
    """Keras weights (gates i, f, c, o; forget bias in the bias) as the engine's tensors
    (magenta's BasicLSTMCell: [x, h] @ kernel, gates i, j, f, o, forget bias + 1)."""
    *lstms, dense = model.layers
    tensors = {}
    for k, lstm in enumerate(lstms):
        kernel, recurrent, bias = (np.asarray(w) for w in lstm.get_weights())
        i, f, c, o = np.split(np.vstack([kernel, recurrent]), 4, axis=1)
        bi, bf, bc, bo = np.split(bias, 4)
        tensors[CELL.format(k) + "kernel"] = np.hstack([i, c, f, o])
        tensors[CELL.format(k) + "bias"] = np.concatenate([bi, bc, bf - 1.0, bo])
    weights, biases = (np.asarray(w) for w in dense.get_weights())
    return {**tensors, OUTPUT + "weights": weights, OUTPUT + "biases": biases}


def _model(tf: Any, units: tuple[int, ...] = UNITS, dropout: float = DROPOUT) -> Any:
    keras = tf.keras
    model = keras.Sequential([keras.Input((None, INPUT_SIZE)),
                              *(keras.layers.LSTM(n, dropout=dropout, return_sequences=True)
                                for n in units),
                              keras.layers.Dense(INTERVALS)])
    model.compile(optimizer=keras.optimizers.Adam(RATE, clipnorm=3.0),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def train(work: Path, steps: int, every: int, sets: dict[str, list[Segment]],
          minutes: float | None = None, units: tuple[int, ...] = UNITS,
          dropout: float = DROPOUT) -> Path:
    """Train on ``sets`` (``split_lines``) to ``steps``, resuming in ``work`` (``units``
    and ``dropout`` shape a new model only); returns the best exported model."""
    import tensorflow as tf

    try:  # one thread (the machine is shared); once TensorFlow runs it is too late
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:
        pass
    work.mkdir(parents=True, exist_ok=True)
    xs, ys, ms = windows(augmented(sets["train"]), WINDOW)
    print(f"bass: {len(sets['train'])} training segments ({int(ms.sum())} beats x "
          f"transpositions = {len(xs)} windows), {sum(len(s.pitches) for s in sets['validation'])}"
          f" validation beats", flush=True)
    saved = work / "model.keras"
    tf.keras.utils.set_random_seed(DEFAULT_SEED)  # a new model's weights and dropout
    model = tf.keras.models.load_model(saved) if saved.is_file() else _model(tf, units, dropout)
    start = time.monotonic()
    step = int(model.optimizer.iterations.numpy())
    while step < steps and (minutes is None or time.monotonic() - start < minutes * 60):
        began = time.monotonic()
        rng = np.random.default_rng(step)
        losses = []
        for _ in range(min(every, steps - step)):
            pick = rng.integers(0, len(xs), BATCH)
            losses.append(float(model.train_on_batch(xs[pick], ys[pick], sample_weight=ms[pick])))
        step = int(model.optimizer.iterations.numpy())
        model.save(saved)
        _keep(work, step, export(model), sets["validation"], float(np.mean(losses)),
              time.monotonic() - began)
    return work / "best.npz"


def _keep(work: Path, step: int, tensors: dict[str, Any], validation: list[Segment],
          loss: float, seconds: float) -> None:
    """Log a chunk's validation bits, save its tensors, and copy them to ``best.npz`` if
    no earlier step of the log did better."""
    log = work / "log.jsonl"
    best = min((json.loads(t)["bits"] for t in log.read_text().splitlines()),
               default=math.inf) if log.is_file() else math.inf
    bits = bits_per_beat(BassNet(tensors), validation)
    record = {"step": step, "loss": loss, "bits": bits, "seconds": round(seconds, 1)}
    with log.open("a") as f:
        f.write(json.dumps(record) + "\n")
    np.savez(work / f"step{step}.npz", **tensors)
    if bits < best:
        shutil.copy(work / f"step{step}.npz", work / "best.npz")
    print(f"bass: step {step}, loss {loss:.3f}, validation {bits:.3f} bits/beat "
          f"(best {min(bits, best):.3f}), {seconds:.1f} s", flush=True)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m psc_looper.training.basstrain")
    parser.add_argument("--steps", type=int, default=6000)
    parser.add_argument("--every", type=int, default=500, help="steps per chunk")
    parser.add_argument("--minutes", type=float, default=None)
    parser.add_argument("--units", type=int, nargs="+", default=list(UNITS),
                        help="LSTM layer sizes of a new model")
    parser.add_argument("--dropout", type=float, default=DROPOUT)
    parser.add_argument("--filter", action="store_true",
                        help="learn only from the solos BassFilter() keeps")
    parser.add_argument("--work-dir", type=Path, default=None)
    parser.add_argument("--ship", action="store_true",
                        help="copy the best model to psc_looper/bundles/bass.npz")
    args = parser.parse_args(argv)
    name = "bass-filtered" if args.filter else "bass"
    work = args.work_dir or cache_root() / "train" / name
    sets = split_lines(BassFilter() if args.filter else NO_FILTER)
    best = train(work, args.steps, args.every, sets, args.minutes, tuple(args.units),
                 args.dropout)
    if args.ship and best.is_file():
        shutil.copy(best, DEFAULT_BASS_MODEL)
        DEFAULT_BASS_MODEL.with_suffix(".heldout.txt").write_text(
            "".join(f"{solo}\n" for solo in sorted(held_out_ids())))
        print(f"bass: shipped {best} as {DEFAULT_BASS_MODEL}")


if __name__ == "__main__":
    main(sys.argv[1:])
