"""The Markov baseline: Witten-Bell interpolation computed by hand on a toy sequence."""

import math

import numpy as np
import pytest

from psc_looper.training.markov import MarkovModel


def test_order_one_likelihood_and_accuracy_match_the_hand_computation():
    model = MarkovModel(order=1, vocabulary=3).fit([[0, 1, 0, 1]])
    # Unigram (add-one): c = (2, 2, 0), N = 4, V = 3 -> (3/7, 3/7, 1/7).
    # After BOS only 0 was seen once:  P(0 | BOS) = (1 + 1 * 3/7) / (1 + 1) = 5/7
    # After 0 only 1 was seen twice:   P(1 | 0)   = (2 + 1 * 3/7) / (2 + 1) = 17/21
    # After 1 only 0 was seen once:    P(2 | 1)   = (0 + 1 * 1/7) / (1 + 1) = 1/14
    log_likelihood, correct = model.score([0, 1, 2])
    assert log_likelihood == pytest.approx(math.log(5 / 7) + math.log(17 / 21) + math.log(1 / 14))
    assert correct == 2  # 0 and 1 are the most likely; 2 is not


def test_unseen_history_backs_off_to_the_lower_order():
    model = MarkovModel(order=2, vocabulary=3).fit([[0, 1, 0, 1]])
    # History (2, 2) was never seen, nor was (2,): the unigram decides.
    assert model.distribution((2, 2)) == pytest.approx([3 / 7, 3 / 7, 1 / 7])


def test_every_distribution_sums_to_one_and_is_never_zero():
    rng = np.random.default_rng(0)
    model = MarkovModel(order=3, vocabulary=5).fit([list(rng.integers(0, 4, 50)) for _ in range(3)])
    for history in [(0, 1, 2), (3, 3, 3), (4, 4, 4), (-1, -1, 0)]:
        p = model.distribution(history)
        assert p.sum() == pytest.approx(1.0)
        assert (p > 0).all()
