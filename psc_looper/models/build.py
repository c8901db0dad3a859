"""Build: make a real ``.mag`` bundle with magenta's own graph, training and bundle code.

Used by the tests (tiny, untrained or briefly trained models) and meant for training
the models the project ships. The steps are magenta's own: its dataset pipeline
(NoteSequence to SequenceExample records), its graph builder and training loop
(tf-slim), its sequence generator restoring the checkpoint, and its bundle writer.
"""

from __future__ import annotations

import contextlib
import copy
import random
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from psc_looper.models.compat import ensure_magenta
from psc_looper.models.errors import ModelError
from psc_looper.models.families import Family, family_of

GENERATE_BATCH_SIZE = 1  # the bundle's generation graph; beams run as several batches


def _family_config(config_id: str) -> tuple[Family, Any]:
    try:
        family = family_of(config_id)
    except KeyError:
        raise ModelError(f"unknown magenta config id {config_id!r}") from None
    return family, copy.deepcopy(family.configs()[config_id])


def write_training_records(
    config_id: str, note_sequences: Iterable[Any], output_dir: str | Path
) -> Path:
    """Encode NoteSequences with magenta's dataset pipeline for ``config_id``.

    Returns the TFRecord file of SequenceExamples; ModelError if magenta's extractors
    kept nothing (melodies and drum tracks need at least 7 bars).
    """
    ensure_magenta()
    from magenta.common import count_records
    from magenta.pipelines import pipeline

    family, config = _family_config(config_id)
    output_dir = Path(output_dir)
    pipeline.run_pipeline_serial(family.pipeline(config), note_sequences, str(output_dir))
    (records,) = output_dir.glob("training_*.tfrecord")
    if count_records([str(records)]) == 0:
        raise ModelError(f"{records}: magenta extracted no training examples")
    return records


def _seeded(build: Callable[[], None], seed: int | None) -> Callable[[], None]:
    """``build`` with its random initialisation fixed by ``seed`` (None: unseeded).

    TF ops take the graph-level seed; tf-keras's initialisers draw theirs from Python's
    ``random``, which is seeded for the build and then restored.
    """
    import tensorflow.compat.v1 as tf

    def seeded_build() -> None:
        if seed is None:
            build()
            return
        tf.set_random_seed(seed)
        state = random.getstate()
        random.seed(seed)
        try:
            build()
        finally:
            random.setstate(state)

    return seeded_build


def _save_initial_checkpoint(config: Any, checkpoint_dir: str, seed: int | None) -> None:
    """Build the generation graph and save its freshly initialised variables."""
    import tensorflow.compat.v1 as tf
    from magenta.models.shared import events_rnn_graph

    with tf.Graph().as_default():
        _seeded(events_rnn_graph.get_build_graph_fn("generate", config), seed)()
        saver = tf.train.Saver()
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            saver.save(session, str(Path(checkpoint_dir) / "model.ckpt"))


def _train(
    config: Any, records: Sequence[Path], steps: int, checkpoint_dir: str, seed: int | None
) -> None:
    """Run magenta's training loop for ``steps`` steps, checkpointing at the end."""
    from magenta.models.shared import events_rnn_graph, events_rnn_train

    paths = [str(p) for p in records]
    build = _seeded(events_rnn_graph.get_build_graph_fn("train", config, paths), seed)
    events_rnn_train.run_training(
        build, checkpoint_dir, num_training_steps=steps, summary_frequency=steps
    )


def build_bundle(
    config_id: str,
    output: str | Path,
    *,
    rnn_layer_sizes: Sequence[int] = (64, 64),
    training_records: Sequence[Path] = (),
    train_steps: int = 0,
    batch_size: int = 16,
    seed: int | None = None,
    description: str = "",
    checkpoint_dir: str | Path | None = None,
) -> Path:
    """Write a ``config_id`` bundle (e.g. "attention_rnn", "drum_kit") to ``output``.

    The model has ``rnn_layer_sizes``; with ``train_steps`` > 0 it is first trained
    that many steps of ``batch_size`` on ``training_records`` (from
    :func:`write_training_records`), otherwise its weights are the initial random ones.
    With ``checkpoint_dir`` the checkpoints are kept there and training resumes from
    the latest one (``train_steps`` more steps; 0 bundles it as it is). ``seed`` fixes
    TensorFlow's random initialisation.
    """
    if train_steps and not training_records:
        raise ModelError("train_steps needs training_records")
    ensure_magenta()
    family, config = _family_config(config_id)
    config.hparams.set_hparam("rnn_layer_sizes", list(rnn_layer_sizes))
    config.hparams.set_hparam("batch_size", batch_size)
    output = Path(output)
    with contextlib.ExitStack() as stack:
        if checkpoint_dir is None:
            checkpoint_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="psc-build-"))
        checkpoint_dir = str(checkpoint_dir)
        if train_steps:
            _train(config, training_records, train_steps, checkpoint_dir, seed)
        elif _latest_checkpoint(checkpoint_dir) is None:
            _save_initial_checkpoint(config, checkpoint_dir, seed)
        config.hparams.set_hparam("batch_size", GENERATE_BATCH_SIZE)
        generator = family.generator_for_config(config, checkpoint_dir)
        try:
            generator.create_bundle_file(str(output), description or f"psc-looper {config_id}")
        finally:
            generator.close()
    return output


def _latest_checkpoint(checkpoint_dir: str) -> str | None:
    import tensorflow.compat.v1 as tf

    latest: str | None = tf.train.latest_checkpoint(checkpoint_dir)
    return latest
