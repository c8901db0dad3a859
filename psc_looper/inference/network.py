"""Network: magenta's events RNN forward in NumPy (stacked LSTMs, attention, output layer).

The graph magenta builds for generation (``events_rnn_graph``): a ``MultiRNNCell`` of
LSTM cells (``BasicLSTMCell``, or ``LSTMBlockCell``: the same gates i, j, f, o and
forget bias 1.0), the first one wrapped in an ``AttentionCellWrapper`` when the config
has an attention length, then a dense layer to the logits. Weights are found by their
checkpoint names; every float variable of the checkpoint must be used, so a model with
parts this module does not implement is refused (``UnsupportedBundle``), never run
half. The state is a flat list of (batch, size) arrays in TensorFlow's flattening
order: per layer c, h, and after the first layer's c and h its attention vector and
attention states.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from psc_looper.inference.checkpoint import Checkpoint
from psc_looper.inference.errors import UnsupportedBundle

FORGET_BIAS = 1.0
CELLS = "rnn/multi_rnn_cell/cell_{}/"
LSTM_SCOPES = ("basic_lstm_cell", "lstm_cell")
ATTENTION = "attention_cell_wrapper/"
OUTPUT = "fully_connected/"
State = list[np.ndarray]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)  # = 1 / (1 + exp(-x)), without overflow


class _Weights:
    """Checkpoint tensors taken by name; remembers which ones were used."""

    def __init__(self, checkpoint: Checkpoint) -> None:
        self._tensors = checkpoint.tensors
        self.used: set[str] = set()

    def has(self, name: str) -> bool:
        return name in self._tensors

    def has_prefix(self, prefix: str) -> bool:
        return any(name.startswith(prefix) for name in self._tensors)

    def take(self, *names: str) -> np.ndarray:
        """The first tensor found of ``names`` (aliases: ``kernel``/``weights``...)."""
        for name in names:
            if name in self._tensors:
                self.used.add(name)
                return self._tensors[name]
        raise UnsupportedBundle(f"checkpoint has no variable {names[0]}")

    def dense(self, scope: str) -> tuple[np.ndarray, np.ndarray]:
        kernel = self.take(scope + "kernel", scope + "weights")
        bias = self.take(scope + "bias", scope + "biases")
        return kernel, bias

    def unused(self) -> list[str]:
        return sorted(set(self._tensors) - self.used)


@dataclass
class Lstm:
    """One LSTM layer: gates = [x, h] @ kernel + bias, split i, j, f, o."""

    kernel: np.ndarray  # (inputs + units, 4 units)
    bias: np.ndarray

    @property
    def units(self) -> int:
        return int(self.bias.shape[0] // 4)

    def step(self, x: np.ndarray, c: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        gates = np.concatenate([x, h], axis=1) @ self.kernel + self.bias
        n = self.units
        i, j, f, o = gates[:, :n], gates[:, n : 2 * n], gates[:, 2 * n : 3 * n], gates[:, 3 * n :]
        c = c * _sigmoid(f + FORGET_BIAS) + _sigmoid(i) * np.tanh(j)
        return c, np.tanh(c) * _sigmoid(o)


@dataclass
class Attention:
    """magenta's ``AttentionCellWrapper`` around the first LSTM (Bahdanau-style over the
    last ``length`` outputs)."""

    length: int
    input_kernel: np.ndarray  # [x, attns] -> x
    input_bias: np.ndarray
    hidden_kernel: np.ndarray  # attn_w: attention states -> features
    v: np.ndarray
    query_kernel: np.ndarray  # [c, h] -> features
    query_bias: np.ndarray
    output_kernel: np.ndarray  # [h, attns] -> output
    output_bias: np.ndarray

    @property
    def size(self) -> int:
        return int(self.output_bias.shape[0])

    def step(self, cell: Lstm, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
        c, h, attns, attn_states = state
        x = np.concatenate([x, attns], axis=1) @ self.input_kernel + self.input_bias
        c, h = cell.step(x, c, h)
        hidden = attn_states.reshape(len(x), self.length, self.size)
        features = hidden @ self.hidden_kernel
        query = np.concatenate([c, h], axis=1) @ self.query_kernel + self.query_bias
        scores = np.tanh(features + query[:, None, :]) @ self.v
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        weights = scores / scores.sum(axis=1, keepdims=True)
        attns = np.einsum("bl,bla->ba", weights, hidden)
        output = np.concatenate([h, attns], axis=1) @ self.output_kernel + self.output_bias
        attn_states = np.concatenate([hidden[:, 1:, :], output[:, None, :]], axis=1)
        return output, [c, h, attns, attn_states.reshape(len(x), -1)]


class Network:
    """The stacked cells and output layer of one bundle."""

    def __init__(self, checkpoint: Checkpoint, attention_length: int = 0) -> None:
        weights = _Weights(checkpoint)
        self.layers: list[Lstm] = []
        self.attention: Attention | None = None
        while weights.has_prefix(CELLS.format(len(self.layers))):
            scope = CELLS.format(len(self.layers))
            if not self.layers and weights.has(scope + ATTENTION + "kernel"):
                scope += ATTENTION
                self.attention = self._attention(weights, scope, attention_length)
            self.layers.append(Lstm(*weights.dense(self._lstm_scope(weights, scope))))
        if not self.layers:
            raise UnsupportedBundle("no rnn/multi_rnn_cell/cell_0 LSTM in the checkpoint")
        self.output_kernel, self.output_bias = weights.dense(OUTPUT)
        if self.attention is not None and not attention_length:
            raise UnsupportedBundle("the checkpoint has attention but no attention length")
        unused = weights.unused()
        if unused:
            raise UnsupportedBundle(f"parts the engine does not implement: {', '.join(unused)}")
        self.input_size = self._input_size()

    @staticmethod
    def _lstm_scope(weights: _Weights, scope: str) -> str:
        for name in LSTM_SCOPES:
            if weights.has(f"{scope}{name}/kernel") or weights.has(f"{scope}{name}/weights"):
                return f"{scope}{name}/"
        raise UnsupportedBundle(f"no LSTM cell under {scope}")

    @staticmethod
    def _attention(weights: _Weights, scope: str, length: int) -> Attention:
        input_kernel, input_bias = weights.dense(scope)
        hidden_kernel = weights.take(scope + "attention/attn_w")
        v = weights.take(scope + "attention/attn_v")
        query_kernel, query_bias = weights.dense(scope + "attention/")
        output_kernel, output_bias = weights.dense(scope + "attn_output_projection/")
        return Attention(length, input_kernel, input_bias, hidden_kernel[0, 0], v,
                         query_kernel, query_bias, output_kernel, output_bias)

    def _input_size(self) -> int:
        first = self.layers[0]
        if self.attention is not None:
            return int(self.attention.input_bias.shape[0])
        return int(first.kernel.shape[0] - first.units)

    @property
    def num_classes(self) -> int:
        return int(self.output_bias.shape[0])

    def zero_state(self, batch: int) -> State:
        state = []
        for index, layer in enumerate(self.layers):
            state += [np.zeros((batch, layer.units), np.float32)] * 2
            if index == 0 and self.attention is not None:
                size = self.attention.size
                state.append(np.zeros((batch, size), np.float32))
                state.append(np.zeros((batch, size * self.attention.length), np.float32))
        return state

    def step(self, x: np.ndarray, state: State) -> tuple[np.ndarray, State]:
        """Logits (batch, classes) for one step of inputs (batch, input size)."""
        new_state: State = []
        pos = 0
        for index, layer in enumerate(self.layers):
            if index == 0 and self.attention is not None:
                x, layer_state = self.attention.step(layer, x, state[pos : pos + 4])
                pos += 4
            else:
                c, h = layer.step(x, state[pos], state[pos + 1])
                x, layer_state = h, [c, h]
                pos += 2
            new_state += layer_state
        return x @ self.output_kernel + self.output_bias, new_state

    def run(self, inputs: np.ndarray, state: State) -> tuple[np.ndarray, State]:
        """Logits (batch, steps, classes) for inputs (batch, steps, input size)."""
        inputs = np.asarray(inputs, np.float32)
        if inputs.shape[-1] != self.input_size:
            raise ValueError(f"inputs of size {inputs.shape[-1]}, the model takes "
                             f"{self.input_size}")
        logits = []
        for t in range(inputs.shape[1]):
            step_logits, state = self.step(inputs[:, t, :], state)
            logits.append(step_logits)
        return np.stack(logits, axis=1), state
