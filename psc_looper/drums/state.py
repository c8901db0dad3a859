"""The drums' plain data: the DrumsRNN settings, a drum part and the part history.

Frozen values, no behaviour: a song (``psc_looper.songs``) stores and restores them
without the live feature (``drums.feature``, which re-exports them).
"""

from __future__ import annotations

from dataclasses import dataclass

from psc_looper.looper.notes import LoopNote
from psc_looper.timing.meter import LoopStructure


@dataclass(frozen=True)
class DrumsConfig:
    """DrumsRNN settings: the temperature until the knob moves, beam search width."""

    temperature: float = 1.0
    beam_size: int = 1
    branch_factor: int = 1


@dataclass(frozen=True)
class Part:
    """A drum part the loop can play: its name in the status line and its notes."""

    name: str  # "beat" or "groove #n"
    notes: tuple[LoopNote, ...]
    structure: LoopStructure


@dataclass(frozen=True)
class DrumState:
    """The part history and the counters that number grooves and offset their seeds."""

    current: Part | None = None
    previous: Part | None = None
    temperature: float = DrumsConfig.temperature
    requests: int = 0
    grooves: int = 0
