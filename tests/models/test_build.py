"""Bundles built and trained with magenta's own code load and generate."""

from __future__ import annotations

from pathlib import Path

import pytest

from psc_looper.models import DrumsModel, MelodyModel, ModelError, Note
from psc_looper.models.build import build_bundle, write_training_records
from tests.models.conftest import DRUM_CONFIG, LAYERS, training_melodies

pytestmark = pytest.mark.slow


def test_trained_bundles_load_and_generate(trained_bundles: dict[str, Path]) -> None:
    melody = MelodyModel.load(trained_bundles["attention_rnn"])
    drums = DrumsModel.load(trained_bundles[DRUM_CONFIG])
    try:
        notes = melody.generate([Note(0, 4, 60)], 16, seed=0)
        hits = drums.generate([], 16, primer_steps=0, seed=0)
    finally:
        melody.close()
        drums.close()
    assert notes and all(4 <= n.start_step < 20 for n in notes)
    assert hits and all(0 <= h.step < 16 for h in hits)


def _generate_with(path: Path) -> list[Note]:
    model = MelodyModel.load(path)
    try:
        return model.generate([Note(0, 4, 60)], 32, seed=0)
    finally:
        model.close()


def test_training_changes_the_weights(trained_bundles: dict[str, Path], make_bundle) -> None:
    # Same initial weights (build seed) and same sampling seed: only training differs.
    untrained = _generate_with(make_bundle("attention_rnn"))
    assert _generate_with(make_bundle("attention_rnn")) == untrained
    assert _generate_with(trained_bundles["attention_rnn"]) != untrained


def test_build_seed_fixes_the_weights(tmp_path: Path) -> None:
    def bundle(name: str, seed: int) -> Path:
        return build_bundle("basic_rnn", tmp_path / name, rnn_layer_sizes=(8,), seed=seed)

    first = _generate_with(bundle("a.mag", 1))
    assert _generate_with(bundle("b.mag", 1)) == first
    assert _generate_with(bundle("c.mag", 2)) != first


def test_bundle_keeps_the_layer_sizes(make_bundle, tmp_path: Path) -> None:
    import tensorflow as tf

    from psc_looper.models.bundles import read_bundle
    from psc_looper.models.families import MELODY_RNN

    checkpoint = tmp_path / "model.ckpt"
    checkpoint.write_bytes(read_bundle(make_bundle("basic_rnn"), MELODY_RNN).checkpoint_file[0])
    kernels = [s for n, s in tf.train.list_variables(str(checkpoint)) if n.endswith("kernel")]
    # one LSTM kernel per layer, 4 gates wide
    assert [shape[1] for shape in kernels if len(shape) == 2][: len(LAYERS)] == [
        4 * size for size in LAYERS
    ]


def test_unknown_config_and_missing_data(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="unknown magenta config id 'jazz_rnn'"):
        build_bundle("jazz_rnn", tmp_path / "x.mag")
    with pytest.raises(ModelError, match="needs training_records"):
        build_bundle("basic_rnn", tmp_path / "x.mag", train_steps=1)


def test_too_short_training_data_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no training examples"):
        write_training_records("basic_rnn", training_melodies(count=1, bars=2), tmp_path)
