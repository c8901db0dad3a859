"""Evaluation: held-out likelihood and accuracy against Markov baselines, and what the
models generate from held-out primers beside what the data itself does next.

Likelihoods are on magenta's own encoding of the held-out pieces (the records its
pipeline writes): the RNN's softmax at step t against the label at t, and the Markov
baselines over the same label sequences, trained on the training records.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from psc_looper.models import DrumHit, DrumsModel, ImprovModel, MelodyModel, Note
from psc_looper.training.markov import MarkovModel
from psc_looper.training.metrics import drum_metrics, mean_metrics, melody_metrics
from psc_looper.training.pieces import Piece

ScoredModel = MelodyModel | DrumsModel | ImprovModel  # a model whose session can be scored

STEPS_PER_QUARTER = 4
MARKOV_ORDERS = (2, 3)


@dataclass(frozen=True)
class Scores:
    """Mean natural-log likelihood per event and next-event accuracy over ``events``."""

    name: str
    log_likelihood: float
    accuracy: float
    events: int


def _session_of(model: ScoredModel) -> Any:
    # The TF session of magenta's model inside the loaded generator (magenta keeps it
    # private); its graph has the 'inputs', 'initial_state' and 'softmax' collections.
    return model._generator._model._session


def rnn_scores(name: str, model: ScoredModel,
               examples: Sequence[tuple[Any, Sequence[int]]]) -> Scores:
    """The model's scores on (inputs, labels) examples, one sequence at a time."""
    import numpy as np

    session = _session_of(model)
    graph = session.graph
    inputs = graph.get_collection("inputs")[0]
    initial_state = tuple(graph.get_collection("initial_state"))
    softmax = graph.get_collection("softmax")[0]
    temperature = graph.get_collection("temperature")
    zero_state = session.run(initial_state)
    total, correct, count = 0.0, 0, 0
    for example_inputs, labels in examples:
        feed = {inputs: example_inputs[np.newaxis], initial_state: zero_state}
        if temperature:
            feed[temperature[0]] = 1.0
        p = session.run(softmax, feed)[0]
        label_array = np.asarray(labels)
        chosen = p[np.arange(len(label_array)), label_array]
        total += float(np.log(np.maximum(chosen, 1e-12)).sum())
        correct += int((p.argmax(axis=1) == label_array).sum())
        count += len(label_array)
    return Scores(name, total / count, correct / count, count)


def markov_scores(order: int, vocabulary: int, training: Sequence[Sequence[int]],
                  held_out: Sequence[Sequence[int]]) -> Scores:
    model = MarkovModel(order, vocabulary).fit(training)
    total, correct, count = 0.0, 0, 0
    for labels in held_out:
        ll, right = model.score(labels)
        total, correct, count = total + ll, correct + right, count + len(labels)
    return Scores(f"Markov order {order}", total / count, correct / count, count)


def score_table(scores: Sequence[Scores]) -> str:
    """A markdown table: log-likelihood per event, perplexity, accuracy."""
    lines = ["| model | log-likelihood / event | perplexity | next-event accuracy | events |",
             "| --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {s.name} | {s.log_likelihood:.3f} | {math.exp(-s.log_likelihood):.2f} | "
              f"{s.accuracy:.3f} | {s.events} |" for s in scores]
    return "\n".join(lines)


def metrics_table(columns: dict[str, dict[str, float]]) -> str:
    """A markdown table with one row per metric and one column per source."""
    names = list(columns)
    metrics = list(dict.fromkeys(k for c in columns.values() for k in c))
    lines = ["| metric | " + " | ".join(names) + " |",
             "| --- |" + " ---: |" * len(names)]
    lines += [f"| {m} | " + " | ".join(f"{columns[n].get(m, float('nan')):.3f}" for n in names)
              + " |" for m in metrics]
    return "\n".join(lines)


def piece_notes(piece: Piece) -> list[Note]:
    """A melody piece on the 16th-note grid (every note at least one step long)."""
    notes = []
    for e in piece.events:
        start = round(e.start * STEPS_PER_QUARTER)
        notes.append(Note(start, max(round(e.end * STEPS_PER_QUARTER), start + 1), e.pitch))
    return notes


def piece_hits(piece: Piece) -> list[DrumHit]:
    return sorted({DrumHit(round(e.start * STEPS_PER_QUARTER), e.pitch) for e in piece.events})


def window(items: Sequence[Any], start_of: Callable[[Any], int], first: int, last: int) -> list:
    return [x for x in items if first <= start_of(x) < last]


def melody_generation(model: MelodyModel, pieces: Sequence[Piece], primer_steps: int,
                      num_steps: int, seed: int = 0) -> dict[str, dict[str, float]]:
    """Mean melody metrics of the model's continuations and of the pieces' own."""
    generated, data = [], []
    for index, piece in enumerate(pieces):
        notes = piece_notes(piece)
        primer = [Note(n.start_step, min(n.end_step, primer_steps), n.pitch)
                  for n in window(notes, lambda n: n.start_step, 0, primer_steps)]
        reference = window(notes, lambda n: n.start_step, primer_steps, primer_steps + num_steps)
        if not primer or not reference:
            continue
        continuation = model.generate(primer, num_steps, primer_steps=primer_steps,
                                      seed=seed + index)
        generated.append(melody_metrics(primer, continuation))
        data.append(melody_metrics(primer, reference))
    return {"model": mean_metrics(generated), "held-out data": mean_metrics(data)}


def drums_continuation(model: DrumsModel, piece: Piece, primer_steps: int, num_steps: int,
                       seed: int) -> tuple[list[DrumHit], list[DrumHit]]:
    """(the model's continuation of the piece's first steps, the piece's own next steps)."""
    hits = piece_hits(piece)
    primer = window(hits, lambda h: h.step, 0, primer_steps)
    reference = [DrumHit(h.step - primer_steps, h.pitch) for h in
                 window(hits, lambda h: h.step, primer_steps, primer_steps + num_steps)]
    return model.generate(primer, num_steps, primer_steps=primer_steps, seed=seed), reference


def drums_generation(model: DrumsModel, pieces: Sequence[Piece], primer_steps: int,
                     num_steps: int, seed: int = 0) -> dict[str, dict[str, float]]:
    """Mean drum metrics of the model's continuations and of the pieces' own."""
    generated, data = [], []
    for index, piece in enumerate(pieces):
        continuation, reference = drums_continuation(model, piece, primer_steps, num_steps,
                                                     seed + index)
        generated.append(drum_metrics(continuation, num_steps))
        data.append(drum_metrics(reference, num_steps))
    return {"model": mean_metrics(generated), "held-out data": mean_metrics(data)}


def vocabulary_size(config_id: str) -> int:
    """The number of event classes of a magenta config (the softmax size)."""
    from psc_looper.models.families import family_of

    return int(family_of(config_id).configs()[config_id].encoder_decoder.num_classes)


def likelihood_table(name: str, model: ScoredModel, config_id: str,
                     training_records: Sequence[Path], held_out_records: Sequence[Path],
                     ) -> list[Scores]:
    """The model and the Markov baselines on the held-out records."""
    from psc_looper.training.datasets import read_examples, read_labels

    held_out = read_examples(held_out_records)
    training_labels = read_labels(training_records)
    held_out_labels = [labels for _, labels in held_out]
    vocabulary = vocabulary_size(config_id)
    return [rnn_scores(name, model, held_out)] + [
        markov_scores(order, vocabulary, training_labels, held_out_labels)
        for order in MARKOV_ORDERS
    ]
