"""Turns: the improv feature's phases and every transition between them, in one table;
and when a pianist who never breathes lets the machine in (after a number of bars
played without a breath, at the first key on or after the next bar line).

The boundary and breath rules are in ``policy``; holding and calling the machine in
are still flags of the feature beside its phase. Pure.
"""

from __future__ import annotations

from enum import StrEnum

from psc_looper.improv.policy import EPSILON
from psc_looper.looper.recording import quantize


class Phase(StrEnum):
    LISTENING = "listening"  # collecting the pianist's notes
    GENERATING = "generating"  # a model is continuing the primer (whole line)
    READY = "ready"  # a line (or the primed follower) waits for the boundary and a breath
    LEADING = "leading"  # keys sound the machine's pitches


class Turn(StrEnum):
    """What happens to the feature."""

    GENERATE = "generate"  # the primer is full, or the machine is called: a whole line
    STREAM = "stream"  # the same in follower mode: the follower is primed, nothing to wait
    ANSWER = "answer"  # the line came back with pitches
    SILENCE = "silence"  # the line came back empty, or the generation failed
    TAKE_OVER = "take over"  # a key at the boundary after a breath (or called, or through)
    LINE_DONE = "line done"  # the turn's keys are used up
    HOLD = "hold"  # held while leading: the keys go back to the pianist at once


TRANSITIONS: dict[tuple[Phase, Turn], Phase] = {
    (Phase.LISTENING, Turn.GENERATE): Phase.GENERATING,
    (Phase.LISTENING, Turn.STREAM): Phase.READY,
    (Phase.GENERATING, Turn.ANSWER): Phase.READY,
    (Phase.GENERATING, Turn.SILENCE): Phase.LISTENING,
    (Phase.READY, Turn.TAKE_OVER): Phase.LEADING,
    (Phase.LEADING, Turn.LINE_DONE): Phase.LISTENING,
    (Phase.LEADING, Turn.HOLD): Phase.LISTENING,
}


class TurnError(RuntimeError):
    """A transition the table does not have (a bug in the feature, never the pianist's)."""


def next_phase(phase: Phase, turn: Turn) -> Phase:
    """The phase after ``turn`` happens in ``phase``; TurnError if it cannot happen there."""
    try:
        return TRANSITIONS[(phase, turn)]
    except KeyError:
        raise TurnError(f"improv: {turn.value!r} cannot happen while {phase.value}") from None

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
