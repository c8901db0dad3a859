"""Switching the loop to another song (or section) exactly at a loop start.

``LoopSwitch`` is a Looper mixin: ``switch_at_loop_start`` stages the tempo, mix and
layers of what comes next; the next loop start applies them all at once, stops every
voice still sounding on that step (time-tagged with it, so nothing hangs over into
the next song) and then plays the new loop. Stopped, it applies at once. Its field
``_switch`` is guarded by the Looper's lock (``_init_switch`` makes it).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from psc_looper.looper.layers import LAYERED_TRACKS, Layer
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.timing.meter import LoopStructure
from psc_looper.timing.tempo import check_qpm


@dataclass(frozen=True)
class LoopSettings:
    """What a switch sets; None leaves it as it is."""

    name: str
    qpm: float | None = None
    structure: LoopStructure | None = None
    volumes: Mapping[Track, float] | None = None
    mutes: Mapping[Track, bool] | None = None
    layers: tuple[list[Layer], list[Layer]] | None = None  # (done, undone) history
    tracks: Mapping[Track, Sequence[LoopNote]] | None = None  # other tracks (the drums)
    release: bool = True  # stop every sounding voice at the switch


class LoopSwitch:
    def _init_switch(self) -> None:
        self._switch: LoopSettings | None = None

    def switch_at_loop_start(self, settings: LoopSettings) -> None:
        """Stage ``settings`` for the next loop start (at once when stopped); a later
        call before then replaces it. A bad tempo raises ``TempoError`` and stages nothing."""
        if settings.qpm is not None:
            check_qpm(settings.qpm)
        with self._lock:
            self._switch = settings
            if settings.structure is not None:
                self.change_structure(settings.structure.bars, settings.structure.meter.numerator,
                                      settings.structure.meter.denominator)
            if not self._playing:
                self._apply_switch()

    def pending_switch(self) -> str | None:
        with self._lock:
            return None if self._switch is None else self._switch.name

    def layer_history(self) -> tuple[list[Layer], list[Layer]]:
        """A copy of the layer history (done, undone) for a song save."""
        with self._lock:
            done, undone = self._layers.history()
            return ([Layer(d.track, d.notes, d.replaces) for d in done],
                    [Layer(u.track, u.notes, u.replaces) for u in undone])

    def _apply_switch(self) -> None:
        """Under the lock, at a loop start (``_loop_start``) or when stopped (step 0)."""
        switch, self._switch = self._switch, None
        if switch is None:
            return
        step = self._loop_start if self._playing else 0
        if switch.release and self._playing:
            self._voices.release_at(step)
            self._held.clear()
            self._sustain.clear()
        if switch.qpm is not None:
            self._schedule = self._schedule.with_tempo(switch.qpm, step)
        if switch.volumes is not None:
            self._volumes.update(switch.volumes)
        if switch.mutes is not None:
            self._mutes.update(switch.mutes)
        if switch.layers is not None:
            self._take = self._closing = self._closing_layer = None
            self._layers.restore(*switch.layers)
            self._layers_due.update(LAYERED_TRACKS)
            self._sound_due_layers()
        for track, notes in (switch.tracks or {}).items():
            self._pending_tracks.pop(track, None)
            self._set_track(track, list(notes))
        self._warn(f"now playing {switch.name}", level=logging.INFO)
