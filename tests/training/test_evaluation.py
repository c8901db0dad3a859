"""Evaluation helpers that need no model: baselines, tables, pieces on the step grid."""

import math

import pytest

from psc_looper.commands.train import spread
from psc_looper.models import DrumHit, Note
from psc_looper.training.evaluation import (
    Scores,
    markov_scores,
    metrics_table,
    piece_hits,
    piece_notes,
    score_table,
)
from psc_looper.training.pieces import Event, Piece


def test_markov_scores_are_per_event_means():
    scores = markov_scores(1, 3, [[0, 1, 0, 1]], [[0, 1, 2]])
    expected = (math.log(5 / 7) + math.log(17 / 21) + math.log(1 / 14)) / 3  # see test_markov
    assert scores.log_likelihood == pytest.approx(expected)
    assert scores.accuracy == pytest.approx(2 / 3)
    assert (scores.name, scores.events) == ("Markov order 1", 3)


def test_tables_show_perplexity_and_every_metric():
    table = score_table([Scores("m", math.log(0.5), 0.25, 8)])
    assert "| m | -0.693 | 2.00 | 0.250 | 8 |" in table
    table = metrics_table({"model": {"a": 1.0}, "data": {"a": 2.0, "b": 3.0}})
    assert "| a | 1.000 | 2.000 |" in table
    assert "| b | nan | 3.000 |" in table


def test_pieces_on_the_sixteenth_grid():
    tune = Piece("t", "t", 4, 4, (Event(60, 0.0, 0.5), Event(62, 0.5, 0.6), Event(64, 1.0, 2.0)))
    assert piece_notes(tune) == [Note(0, 2, 60), Note(2, 3, 62), Note(4, 8, 64)]
    groove = Piece("g", "g", 4, 4, (Event(36, 0.02, 0.27), Event(36, 0.0, 0.25),
                                    Event(42, 0.49, 0.74)))
    assert piece_hits(groove) == [DrumHit(0, 36), DrumHit(2, 42)]


def test_spread_takes_evenly_spaced_items():
    assert spread(list(range(10)), 3) == [0, 3, 6]
    assert spread([1, 2], 5) == [1, 2]
