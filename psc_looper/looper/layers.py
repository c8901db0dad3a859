"""Layers of the recorded loop tracks: record replaces, overdub adds, undo, redo, clear.

A track sounds the union of its layers since its last *replacing* layer (a record
or a clear). History is one stack across tracks, so a bare undo takes back the last
change wherever it was; ``undo(track)`` takes back that track's last change. A new
layer on a track drops that track's redo entries. Pure data: the Looper owns one
``Layers`` under its lock and decides when the result sounds (the next loop start).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from psc_looper.looper.notes import LoopNote, Mode, Track

LAYERED_TRACKS = (Track.BASS, Track.CHORDS)  # the drums keep their part history (drums/)


@dataclass(eq=False)
class Layer:
    """One take (or a clear) on one track; identity matters, not contents."""

    track: Track
    notes: tuple[LoopNote, ...]
    replaces: bool  # a record or a clear: the layers below it fall silent

    @property
    def kind(self) -> str:
        if self.replaces:
            return "record" if self.notes else "clear"
        return "overdub"


@dataclass
class Layers:
    _done: list[Layer] = field(default_factory=list)  # oldest first, all tracks
    _undone: list[Layer] = field(default_factory=list)  # most recently undone last

    def add(self, track: Track, notes: Iterable[LoopNote], replaces: bool) -> Layer:
        """Push a layer (a take or a clear); that track's redo entries are dropped."""
        layer = Layer(track, tuple(n for n in notes if n.track == track), replaces)
        self._done.append(layer)
        self._undone = [u for u in self._undone if u.track != track]
        return layer

    def revise(self, layer: Layer, notes: Iterable[LoopNote]) -> bool:
        """Replace a live layer's notes (late notes of a take); False if it was undone."""
        if not any(layer is d for d in self._done):
            return False
        layer.notes = tuple(n for n in notes if n.track == layer.track)
        return True

    def undo(self, track: Track | None = None) -> Layer | None:
        """Take back the last layer (of ``track``); None if there is none."""
        return _move_last(self._done, self._undone, track)

    def redo(self, track: Track | None = None) -> Layer | None:
        """Put back the last undone layer (of ``track``); None if there is none."""
        return _move_last(self._undone, self._done, track)

    def sounding(self, track: Track) -> list[LoopNote]:
        """The notes the track plays: its layers from the last replacing one up."""
        notes: list[LoopNote] = []
        for layer in self.stack(track):
            notes.extend(layer.notes)
        return sorted(notes)

    def stack(self, track: Track) -> list[Layer]:
        """The track's sounding layers, bottom first."""
        layers = [d for d in self._done if d.track == track]
        base = max((i for i, d in enumerate(layers) if d.replaces), default=0)
        return layers[base:]

    def counts(self) -> dict[Track, tuple[int, int]]:
        """Per layered track: (layers sounding, layers that redo would bring back)."""
        return {
            t: (sum(1 for d in self.stack(t) if d.notes),
                sum(1 for u in self._undone if u.track == t))
            for t in LAYERED_TRACKS
        }

    def history(self) -> tuple[list[Layer], list[Layer]]:
        """(done oldest first, undone oldest first): what a song saves."""
        return list(self._done), list(self._undone)

    def restore(self, done: Iterable[Layer], undone: Iterable[Layer]) -> None:
        self._done, self._undone = list(done), list(undone)


def _move_last(source: list[Layer], target: list[Layer], track: Track | None) -> Layer | None:
    for i in range(len(source) - 1, -1, -1):
        if track is None or source[i].track == track:
            layer = source.pop(i)
            target.append(layer)
            return layer
    return None


class LayerControl:
    """Looper mixin: takes become layers; undo, redo and clear sound from the next loop start.

    Uses the Looper's lock and fields (``_lock``, ``_take``, ``_closing``, ``_playing``,
    ``_mode``); its own fields ``_layers``, ``_layers_due``, ``_overdub`` and
    ``_closing_layer`` are guarded by the same lock (``_init_layers`` makes them).
    """

    def _init_layers(self) -> None:
        self._layers = Layers()
        self._layers_due: set[Track] = set()  # tracks to re-sound at the next loop start
        self._overdub = False  # the next take adds a layer instead of replacing
        self._closing_layer: Layer | None = None

    # ------------------------------------------------------------------ actions
    def record(self, track: Track, overdub: bool = False) -> None:
        """Arm a take on ``track`` (bass or chords): a record replaces, an overdub adds."""
        mode = Mode(track.value)
        with self._lock:
            self.set_mode(mode)
            self._overdub = overdub

    def undo(self, track: Track | None = None) -> None:
        """Take back the last layer (of ``track``); a take in progress is cancelled instead."""
        with self._lock:
            take = self._take
            if take is not None and track in (None, take.track):
                self._take = None
                self._mode, self._overdub = Mode.FREE, False
                self._warn(f"{take.track}: take cancelled", level=logging.INFO)
                return
            layer = self._layers.undo(track)
            self._layer_changed(layer, "undo", track)

    def redo(self, track: Track | None = None) -> None:
        with self._lock:
            self._layer_changed(self._layers.redo(track), "redo", track)

    def clear(self, track: Track | None = None) -> None:
        """Silence a track (the last one changed if None); undo brings it back."""
        with self._lock:
            if track is None:
                done, _undone = self._layers.history()
                if not done:
                    self._warn("clear: nothing recorded yet")
                    return
                track = done[-1].track
            self._layer_changed(self._layers.add(track, (), replaces=True), "clear", track)

    # ------------------------------------------------------------------ under the lock
    def _commit_take(self, track: Track, notes: list[LoopNote], overdub: bool) -> Layer:
        """A finished take becomes a layer and sounds at once (it ends on a loop start)."""
        layer = self._layers.add(track, notes, replaces=not overdub)
        self._overdub = False
        self._sound_layers(track)
        return layer

    def _revise_take(self, layer: Layer | None, notes: list[LoopNote]) -> None:
        """Late notes of an ended take (unless its layer was undone meanwhile)."""
        if layer is not None and self._layers.revise(layer, notes):
            self._sound_layers(layer.track)

    def _sound_layers(self, track: Track) -> None:
        self._layers_due.discard(track)
        self._set_track(track, self._layers.sounding(track))

    def _sound_due_layers(self) -> None:
        """At a loop start (or on play): what undo, redo and clear changed."""
        for track in sorted(self._layers_due):
            self._sound_layers(track)

    def _layer_changed(self, layer: Layer | None, what: str, track: Track | None) -> None:
        if layer is None:
            self._warn(f"{what}: nothing to {what}" + (f" on {track}" if track else ""))
            return
        if self._closing_layer is layer:
            self._closing = self._closing_layer = None
        if self._playing:
            self._layers_due.add(layer.track)
        else:
            self._sound_layers(layer.track)
        self._warn(f"{what} {layer.track} {layer.kind}", level=logging.INFO)
