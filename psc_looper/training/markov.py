"""Markov: the order-k baseline the shipped models must beat (Continuator-style, smoothed).

Over the same event classes as the RNN (its training labels), with Witten-Bell
interpolation down to an add-one unigram, so every class of the vocabulary keeps a
non-zero probability:

    P0(w)     = (c(w) + 1) / (N + V)
    Pj(w | h) = (c(h, w) + T(h) * P(j-1)(w | h')) / (c(h) + T(h))

where h is the last j events (BOS before the start), h' its last j - 1, c counts in
the training sequences and T(h) is the number of distinct classes seen after h
(Pj = P(j-1) for an unseen h).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

BOS = -1


class MarkovModel:
    """An interpolated order-``order`` Markov model over classes ``0..vocabulary - 1``."""

    def __init__(self, order: int, vocabulary: int) -> None:
        if order < 0 or vocabulary < 1:
            raise ValueError(f"bad order {order} or vocabulary {vocabulary}")
        self.order = order
        self.vocabulary = vocabulary
        self._unigram = np.zeros(vocabulary)
        self._follow: dict[tuple[int, ...], Counter[int]] = defaultdict(Counter)
        self.distribution = lru_cache(maxsize=200_000)(self._distribution)

    def fit(self, sequences: Iterable[Sequence[int]]) -> MarkovModel:
        for sequence in sequences:
            padded = [BOS] * self.order + list(sequence)
            for t in range(self.order, len(padded)):
                symbol = padded[t]
                self._unigram[symbol] += 1
                for j in range(1, self.order + 1):
                    self._follow[tuple(padded[t - j:t])][symbol] += 1
        self.distribution.cache_clear()
        return self

    def _distribution(self, history: tuple[int, ...]) -> np.ndarray:
        """P(. | the last ``order`` events ``history``) as an array over the vocabulary."""
        p = (self._unigram + 1) / (self._unigram.sum() + self.vocabulary)
        for j in range(1, self.order + 1):
            follow = self._follow.get(history[len(history) - j:])
            if not follow:
                continue
            seen = len(follow)
            total = sum(follow.values())
            counts = np.zeros(self.vocabulary)
            counts[list(follow)] = list(follow.values())
            p = (counts + seen * p) / (total + seen)
        return np.asarray(p)

    def score(self, sequence: Sequence[int]) -> tuple[float, int]:
        """(sum of natural-log probabilities, number of correct argmax predictions)."""
        padded = [BOS] * self.order + list(sequence)
        log_likelihood, correct = 0.0, 0
        for t in range(self.order, len(padded)):
            p = self.distribution(tuple(padded[t - self.order:t]))
            log_likelihood += math.log(p[padded[t]])
            correct += int(np.argmax(p) == padded[t])
        return log_likelihood, correct
