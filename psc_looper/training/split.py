"""Split: the held-out pieces, chosen by group (a tune, a groove file) from a seed.

Whole groups are held out, never windows of a piece, so no held-out music is seen in
training. The choice depends only on the set of group names and the seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from psc_looper.training.pieces import Piece

DEFAULT_SEED = 2024
DEFAULT_FRACTION = 0.1


def held_out_groups(groups: Iterable[str], fraction: float, seed: int) -> set[str]:
    """``fraction`` of the distinct ``groups`` (at least one if any), chosen by ``seed``."""
    if not 0 < fraction < 1:
        raise ValueError(f"held-out fraction must be in (0, 1), not {fraction}")
    names = sorted(set(groups))
    if not names:
        return set()
    count = max(1, round(fraction * len(names)))
    return set(random.Random(seed).sample(names, count))


def split(
    pieces: Sequence[Piece], fraction: float = DEFAULT_FRACTION, seed: int = DEFAULT_SEED
) -> tuple[list[Piece], list[Piece]]:
    """(training, held-out) pieces, in their original order."""
    held = held_out_groups((p.group for p in pieces), fraction, seed)
    return [p for p in pieces if p.group not in held], [p for p in pieces if p.group in held]
