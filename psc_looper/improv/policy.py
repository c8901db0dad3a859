"""Policy: when the machine may take over — at a musical boundary, after a breath.

Precedence: a hold blocks everything; a call skips both rules; otherwise the
boundary comes first (never before it) and then the breath (the first key at or
after the boundary that follows a rest; the rest may begin before the boundary).
Pure functions.
"""

from __future__ import annotations

from psc_looper.improv.options import Boundary
from psc_looper.looper.recording import quantize
from psc_looper.timing.meter import LoopStructure

ANY_STEP = -(2**62)  # a boundary every key has passed (Boundary.NONE)
EPSILON = 1e-6  # steps: clock arithmetic is not exact


def is_boundary(position: int, structure: LoopStructure, boundary: Boundary) -> bool:
    """Whether loop position ``position`` is where the machine may take over."""
    if boundary is Boundary.LOOP:
        return position == 0
    if boundary is Boundary.BAR:
        return structure.is_bar_start(position)
    return True


def had_breath(key_step: float, last_activity: float | None, keys_down: int,
               breath_steps: float) -> bool:
    """No key down and none pressed or released for ``breath_steps`` before ``key_step``."""
    if breath_steps <= 0 or last_activity is None:
        return True
    return keys_down == 0 and key_step - last_activity >= breath_steps - EPSILON


def may_take_over(
    key_step: float,
    boundary_step: int | None,
    last_activity: float | None,
    keys_down: int,
    breath_steps: float,
) -> bool:
    """The boundary rule then the breath rule for a key at fractional step ``key_step``.

    ``boundary_step`` is the armed boundary (None: not yet reached); a key rounding
    onto it (played up to half a step early) counts as on it.
    """
    if boundary_step is None or quantize(key_step) < boundary_step:
        return False
    return had_breath(key_step, last_activity, keys_down, breath_steps)
