"""Layers of the recorded loop tracks: record replaces, overdub adds, undo, redo, clear.

A track sounds the union of its layers since its last *replacing* layer (a record
or a clear). History is one stack across tracks, so a bare undo takes back the last
change wherever it was; ``undo(track)`` takes back that track's last change. A new
layer on a track drops that track's redo entries. ``Layers`` is pure data;
``LayerTracks`` adds when a change sounds (the next loop start); the Looper owns one
``LayerTracks`` under its lock. A layer ``by`` a generator (the band) is one like the
others whose notes that generator rewrites from loop to loop while it is live.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from psc_looper.looper.notes import LoopNote, Track

LAYERED_TRACKS = (Track.BASS, Track.CHORDS)  # the drums keep their part history (drums/)


@dataclass(eq=False)
class Layer:
    """One take (or a clear) on one track; identity matters, not contents."""

    track: Track
    notes: tuple[LoopNote, ...]
    replaces: bool  # a record or a clear: the layers below it fall silent
    by: str = ""  # "": played; else what generated it ("band")

    @property
    def kind(self) -> str:
        if self.by:
            return self.by
        if self.replaces:
            return "record" if self.notes else "clear"
        return "overdub"


@dataclass
class Layers:
    _done: list[Layer] = field(default_factory=list)  # oldest first, all tracks
    _undone: list[Layer] = field(default_factory=list)  # most recently undone last

    def add(self, track: Track, notes: Iterable[LoopNote], replaces: bool, by: str = "") -> Layer:
        """Push a layer (a take or a clear); that track's redo entries are dropped."""
        layer = Layer(track, tuple(n for n in notes if n.track == track), replaces, by)
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

    def drop(self, layer: Layer) -> bool:
        """Take ``layer`` out of the history (done or undone); False if it is in neither."""
        kept = [d for d in self._done if d is not layer], [u for u in self._undone
                                                           if u is not layer]
        found = len(kept[0]) + len(kept[1]) < len(self._done) + len(self._undone)
        self._done, self._undone = kept
        return found

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


class LayerTracks:
    """The recorded tracks' layers, and which changes sound from the next loop start.

    The Looper owns one under its lock and calls every method holding it; ``sound``
    (given by the Looper) sets a track's loop notes. Undo, redo and clear while
    playing wait for the next loop start (``sound_due``); a finished take sounds at
    once (it ends on a loop start). ``overdub`` says whether the next take adds a
    layer instead of replacing the track.
    """

    def __init__(self, sound: Callable[[Track, list[LoopNote]], None]) -> None:
        self._sound = sound
        self._layers = Layers()
        self._due: set[Track] = set()  # tracks to re-sound at the next loop start
        self.overdub = False

    def commit(self, track: Track, notes: list[LoopNote], overdub: bool) -> Layer:
        """A finished take becomes a layer (replacing, unless an overdub) and sounds now."""
        layer = self._layers.add(track, notes, replaces=not overdub)
        self.overdub = False
        self._sound_track(track)
        return layer

    def revise(self, layer: Layer | None, notes: list[LoopNote]) -> None:
        """Late notes of an ended take (unless its layer was undone meanwhile)."""
        if layer is not None and self._layers.revise(layer, notes):
            self._sound_track(layer.track)

    def push(self, track: Track, notes: list[LoopNote], by: str, playing: bool) -> Layer:
        """A generated replacing layer: it sounds from the next loop start (now if stopped)."""
        layer = self._layers.add(track, notes, replaces=True, by=by)
        self.changed(layer, playing)
        return layer

    def rewrite(self, layer: Layer, notes: list[LoopNote], playing: bool) -> bool:
        """New notes for a generated layer that is live (False: undone or dropped); they
        sound from the next loop start (now if stopped)."""
        if not self._layers.revise(layer, notes):
            return False
        self.changed(layer, playing)
        return True

    def drop(self, layer: Layer, playing: bool) -> None:
        """Forget a generated layer; its track sounds what is left (next loop start)."""
        if self._layers.drop(layer):
            self.changed(layer, playing)

    def undo(self, track: Track | None) -> Layer | None:
        return self._layers.undo(track)

    def redo(self, track: Track | None) -> Layer | None:
        return self._layers.redo(track)

    def clear(self, track: Track | None) -> Layer | None:
        """A silent replacing layer on ``track`` (None: the last track changed); None if
        nothing was recorded yet."""
        if track is None:
            done, _undone = self._layers.history()
            if not done:
                return None
            track = done[-1].track
        return self._layers.add(track, (), replaces=True)

    def changed(self, layer: Layer, playing: bool) -> None:
        """Undo, redo or clear changed ``layer``'s track: it sounds at the next loop start
        (at once when stopped)."""
        if playing:
            self._due.add(layer.track)
        else:
            self._sound_track(layer.track)

    def sound_due(self) -> None:
        """At a loop start (or on play): what undo, redo and clear changed."""
        for track in sorted(self._due):
            self._sound_track(track)

    def restore(self, done: Iterable[Layer], undone: Iterable[Layer]) -> None:
        """A song's history; every layered track sounds it now."""
        self._layers.restore(done, undone)
        self._due.update(LAYERED_TRACKS)
        self.sound_due()

    def history(self) -> tuple[list[Layer], list[Layer]]:
        """A copy of (done, undone), oldest first: what a song saves."""
        done, undone = self._layers.history()
        return ([Layer(d.track, d.notes, d.replaces, d.by) for d in done],
                [Layer(u.track, u.notes, u.replaces, u.by) for u in undone])

    def counts(self) -> dict[Track, tuple[int, int]]:
        return self._layers.counts()

    def due_counts(self) -> dict[Track, int]:
        """Notes of each track that changes at the next loop start (``sound_due``)."""
        return {t: len(self._layers.sounding(t)) for t in self._due}

    def _sound_track(self, track: Track) -> None:
        self._due.discard(track)
        self._sound(track, self._layers.sounding(track))
