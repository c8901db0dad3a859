"""Search: magenta's event generation (``EventSequenceRnnModel._generate_events`` with its
beam search), on a NumPy network.

Same algorithm and same random draws as magenta: the primer runs through the network
in one pass, then each step extends every sequence by one event drawn from
softmax(logits / temperature) with note-seq's ``extend_event_sequences`` (numpy's
global RNG, one ``np.random.choice`` per sequence, in order); scores are float32 sums
of log probabilities; the beam keeps the ``beam_size`` best of ``branch_factor``
copies of each every ``steps_per_iteration`` steps (the first iteration takes the
remainder). Magenta runs its sequences one by one (bundle batch size 1); here they
run as one batch, with the same results.
"""

from __future__ import annotations

import copy
import heapq
from dataclasses import dataclass
from typing import Any

import numpy as np

from psc_looper.inference.network import Network, State


@dataclass(frozen=True)
class Options:
    temperature: float = 1.0
    beam_size: int = 1
    branch_factor: int = 1
    steps_per_iteration: int = 1


@dataclass
class _Entry:
    """One beam entry: its events, next inputs, RNN state (batch of 1), controls, score."""

    events: Any
    inputs: np.ndarray  # (steps, input size); never changed in place, so shared by copies
    state: State  # likewise
    controls: Any
    score: float

    def copy(self) -> _Entry:
        """A copy whose events and controls can grow apart from this one's."""
        return _Entry(copy.deepcopy(self.events), self.inputs, self.state,
                      copy.deepcopy(self.controls), self.score)


def softmax(logits: np.ndarray, temperature: float) -> np.ndarray:
    """magenta's graph: softmax(logits / temperature), in float32."""
    scaled = (logits / np.float32(temperature)).astype(np.float32)
    scaled = np.exp(scaled - scaled.max(axis=-1, keepdims=True))
    probabilities: np.ndarray = scaled / scaled.sum(axis=-1, keepdims=True)
    return probabilities


def extend_controls(controls: Any, events: Any) -> None:
    """magenta's default: repeat the last control until it is one longer than the events."""
    while len(controls) <= len(events):
        controls.append(controls[-1])


class EventSearch:
    """Generates event sequences of one config with one network."""

    def __init__(self, network: Network, encoder: Any) -> None:
        self.network = network
        self.encoder = encoder

    def _inputs(self, entries: list[_Entry], full_length: bool = False) -> np.ndarray:
        events = [e.events for e in entries]
        if entries[0].controls is None:
            batch = self.encoder.get_inputs_batch(events, full_length)
        else:
            batch = self.encoder.get_inputs_batch([e.controls for e in entries], events,
                                                  full_length)
        return np.asarray(batch, np.float32)

    def _step(self, entries: list[_Entry], temperature: float) -> None:
        """Extend every entry by one event, in place."""
        inputs = np.stack([e.inputs for e in entries])
        state = [np.concatenate(parts) for parts in zip(*(e.state for e in entries), strict=True)]
        logits, state = self.network.run(inputs, state)
        probabilities = softmax(logits, temperature)
        events = [e.events for e in entries]
        scores = np.array([e.score for e in entries], np.float32)
        loglik = np.zeros(len(entries))
        if probabilities.shape[1] > 1:  # the primer pass: score the primer too, as magenta
            loglik = np.asarray(
                self.encoder.evaluate_log_likelihood(events, probabilities[:, :-1, :])
            )
        chosen = np.array(self.encoder.extend_event_sequences(events, probabilities))
        p = probabilities[np.arange(len(entries)), -1, chosen]
        scores += loglik + np.log(p)  # float32 sums, as magenta's
        for index, entry in enumerate(entries):
            entry.state = [part[index : index + 1] for part in state]
            entry.score = float(scores[index])
            if entry.controls is not None:
                extend_controls(entry.controls, entry.events)
        for entry, entry_inputs in zip(entries, self._inputs(entries), strict=True):
            entry.inputs = entry_inputs

    def _branch(self, beam: list[_Entry], options: Options, steps: int) -> list[_Entry]:
        if options.branch_factor > 1:
            beam = [e.copy() for e in beam * options.branch_factor]
        for _ in range(steps):
            self._step(beam, options.temperature)
        return beam

    def generate(self, num_steps: int, primer: Any, options: Options,
                 controls: Any = None) -> Any:
        """``primer`` (a note-seq event sequence) extended to ``num_steps`` events."""
        if not primer or len(primer) >= num_steps:
            raise ValueError(f"primer of {len(primer)} events for {num_steps} steps")
        first = _Entry(copy.deepcopy(primer), np.zeros(0), self.network.zero_state(1), controls,
                       0.0)
        if controls is not None:
            extend_controls(controls, first.events)
        first.inputs = self._inputs([first], full_length=True)[0]
        beam = [first] + [first.copy() for _ in range(options.beam_size - 1)]
        total = num_steps - len(primer)
        first_steps = (total - 1) % options.steps_per_iteration + 1
        beam = self._branch(beam, options, first_steps)
        for _ in range((total - first_steps) // options.steps_per_iteration):
            beam = _best(beam, options.beam_size)
            beam = self._branch(beam, options, options.steps_per_iteration)
        return _best(beam, 1)[0].events


def _best(beam: list[_Entry], k: int) -> list[_Entry]:
    indices = heapq.nlargest(k, range(len(beam)), key=lambda i: beam[i].score)
    return [beam[i] for i in indices]


