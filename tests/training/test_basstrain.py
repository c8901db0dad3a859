"""The bass trainer's export: a Keras LSTM stack's weights run on the NumPy engine and give
the same logits (gate order and forget bias converted)."""

from __future__ import annotations

import numpy as np

from psc_looper.band.bassnet import INPUT_SIZE, INTERVALS, BassNet
from psc_looper.training.basstrain import _model, export


def test_exported_weights_give_keras_logits_on_the_numpy_engine() -> None:
    import tensorflow as tf

    tf.keras.utils.set_random_seed(3)
    model = _model(tf, (16, 8))  # two layers: cell_0 and cell_1
    for lstm in model.layers[:2]:
        kernel, recurrent, bias = lstm.get_weights()
        lstm.set_weights([kernel, recurrent, np.random.default_rng(1).normal(size=bias.shape)])
    x = (np.random.default_rng(0).random((2, 9, INPUT_SIZE)) < 0.1).astype(np.float32)
    expected = model.predict(x, verbose=0)
    net = BassNet(export(model))
    logits, _ = net.network.run(x, net.network.zero_state(2))
    assert logits.shape == (2, 9, INTERVALS)
    assert np.abs(logits - expected).max() < 1e-4


def test_training_resumes_from_its_last_chunk_and_keeps_the_best(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from psc_looper.band.metrics import chord_line
    from psc_looper.harmony.chords import parse_chord
    from psc_looper.training.bassdata import segments
    from psc_looper.training.basstrain import train

    chords = [parse_chord("F7")] * 4 + [parse_chord("Bb7")] * 4
    line = chord_line(chords * 4, [k % 4 for k in range(32)],
                      [41, 45, 48, 51, 46, 50, 53, 44] * 4)
    sets = {"train": segments(line), "validation": segments(line)}
    best = train(tmp_path, 4, 2, sets, units=(8,))
    assert [json.loads(t)["step"] for t in (tmp_path / "log.jsonl").read_text().splitlines()] \
        == [2, 4]
    train(tmp_path, 6, 2, sets)  # the same command again carries on
    records = [json.loads(t) for t in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in records] == [2, 4, 6]
    lowest = min(records, key=lambda r: r["bits"])
    assert best.read_bytes() == (tmp_path / f"step{lowest['step']}.npz").read_bytes()
    assert BassNet.load(best).network.layers[0].units == 8
    assert "step 6" in capsys.readouterr().out
