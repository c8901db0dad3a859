"""Swing: the one mapping between musical time (the models' 16th steps) and played time.

The models, the loop's notes, the charts and the takes all count 16th steps on a
straight grid ("musical time"). How long each step lasts is the schedule's business
(``timing.schedule``), and this module is how it bends them: inside each quarter note
(four steps) the off-beat 8th (step 2) sounds at ``ratio`` of the quarter instead of at
half of it, and the 16ths between are placed linearly in each half. ``ratio`` runs from
0.5 (straight) through 2/3 (triplet swing) to 0.75 (dotted).

``warp`` maps a musical step to a played one (in straight-step units, quarters kept in
place); ``unwarp`` is its inverse, so a note played on a swung off-beat reads back as
musical step 2 and plays back on the swung off-beat, not dotted. Quarters stay whole, so
swing needs bars of whole quarters (``fits``); a loop in another meter plays straight.
``snap`` is quantizing: to the grid (the swung 16ths), straight 16ths or 8th triplets.
"""

from __future__ import annotations

import math
from enum import StrEnum

from psc_looper.timing.meter import Meter

STRAIGHT = 0.5
TRIPLET = 2 / 3
MIN_SWING = 0.5
MAX_SWING = 0.75
UNIT_STEPS = 4  # a quarter note: the span swing bends (two 8ths, four 16ths)
HALF = UNIT_STEPS / 2


class SwingError(ValueError):
    """A swing ratio outside ``MIN_SWING..MAX_SWING``."""


def check_swing(ratio: float) -> float:
    """``ratio`` as a float if it is a swing ratio (``SwingError`` names it if not)."""
    if isinstance(ratio, bool) or not isinstance(ratio, int | float) or math.isnan(ratio):
        raise SwingError(f"swing must be a number {MIN_SWING}..{MAX_SWING}, not {ratio!r}")
    if not MIN_SWING <= ratio <= MAX_SWING:
        raise SwingError(f"swing must be {MIN_SWING}..{MAX_SWING} (0.667 triplet), not {ratio:g}")
    return float(ratio)


def fits(meter: Meter) -> bool:
    """Whether swing can bend this meter: bars of whole quarter notes."""
    return meter.steps_per_bar % UNIT_STEPS == 0


def warp(step: float, ratio: float) -> float:
    """Where musical ``step`` is played, in straight steps (the identity when straight)."""
    if ratio == STRAIGHT:
        return step
    quarter, phase = divmod(step, UNIT_STEPS)
    if phase <= HALF:
        played = phase * 2 * ratio
    else:
        played = HALF * 2 * ratio + (phase - HALF) * 2 * (1 - ratio)
    return quarter * UNIT_STEPS + played


def unwarp(played: float, ratio: float) -> float:
    """The musical step played at straight position ``played`` (inverse of ``warp``)."""
    if ratio == STRAIGHT:
        return played
    quarter, phase = divmod(played, UNIT_STEPS)
    offbeat = HALF * 2 * ratio
    early = phase <= offbeat  # in the first 8th of the quarter
    step = phase / (2 * ratio) if early else HALF + (phase - offbeat) / (2 * (1 - ratio))
    return quarter * UNIT_STEPS + step


class Grid(StrEnum):
    """What quantizing snaps a played note to."""

    GRID = "grid"  # the loop's own 16ths (swung when the loop swings)
    SIXTEENTHS = "16th"  # straight 16ths, whatever the swing
    TRIPLETS = "triplet"  # 8th-note triplets (three to the quarter)


GRID_STEPS = {Grid.SIXTEENTHS: 1.0, Grid.TRIPLETS: UNIT_STEPS / 3}  # in straight steps


def snap(position: float, grid: Grid, ratio: float) -> float:
    """Musical ``position`` moved to the nearest point of ``grid`` (musical steps)."""
    if grid is Grid.GRID:
        return float(math.floor(position + 0.5))
    size = GRID_STEPS[grid]
    played = warp(position, ratio)
    return unwarp(math.floor(played / size + 0.5) * size, ratio)
