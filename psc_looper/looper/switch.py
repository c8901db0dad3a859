"""Switching the loop to another song (or section) exactly at a loop start.

``Looper.switch_at_loop_start`` stages (``StagedSwitch``) the tempo, mix and layers
of what comes next; the next loop start applies them all at once, stops every voice
still sounding on that step (time-tagged with it, so nothing hangs over into the next
song) and then plays the new loop. Stopped, it applies at once. The Looper owns its
``StagedSwitch`` under its lock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from psc_looper.looper.layers import Layer
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.timing.meter import LoopStructure
from psc_looper.timing.tempo import check_qpm


@dataclass(frozen=True)
class LoopSettings:
    """What a switch sets; None leaves it as it is."""

    name: str
    qpm: float | None = None
    structure: LoopStructure | None = None
    swing: float | None = None
    volumes: Mapping[Track, float] | None = None
    mutes: Mapping[Track, bool] | None = None
    layers: tuple[list[Layer], list[Layer]] | None = None  # (done, undone) history
    tracks: Mapping[Track, Sequence[LoopNote]] | None = None  # other tracks (the drums)
    release: bool = True  # stop every sounding voice at the switch


class StagedSwitch:
    """What waits for the next loop start: at most one ``LoopSettings`` (a later stage
    replaces it). The Looper owns one under its lock and applies what ``take`` gives."""

    def __init__(self) -> None:
        self._next: LoopSettings | None = None

    def stage(self, settings: LoopSettings) -> None:
        """Stage ``settings``; a bad tempo raises ``TempoError`` and stages nothing."""
        if settings.qpm is not None:
            check_qpm(settings.qpm)
        self._next = settings

    def take(self) -> LoopSettings | None:
        """The staged settings (now applied by the caller), or None."""
        settings, self._next = self._next, None
        return settings
