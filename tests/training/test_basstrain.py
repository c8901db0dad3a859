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
