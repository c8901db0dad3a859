"""Turns: when a pianist who never breathes lets the machine in — after a number of bars
played without a breath, at the first key on or after the next bar line. Pure functions;
the breath and boundary rules themselves are in ``policy``."""

from __future__ import annotations

from psc_looper.improv.policy import EPSILON
from psc_looper.looper.recording import quantize

THROUGH_BARS = 4  # bars played without a breath before the machine may come in


def crosses_bar_line(key_step: float, previous_key_step: float | None, steps_per_bar: int) -> bool:
    """Whether the key at ``key_step`` is the first on or after a bar line (the previous
    key came before it)."""
    if previous_key_step is None:
        return True
    return quantize(previous_key_step) // steps_per_bar < quantize(key_step) // steps_per_bar


def played_through(key_step: float, previous_key_step: float | None,
                   last_breath_step: float, bars: int, steps_per_bar: int) -> bool:
    """A continuous line: ``bars`` bars (0: never) played since the last breath (the key
    after a rest, or the phrase's first key), and this key is the first at a bar line."""
    if bars <= 0 or key_step - last_breath_step < bars * steps_per_bar - EPSILON:
        return False
    return crosses_bar_line(key_step, previous_key_step, steps_per_bar)
