"""The Song: everything that makes a song, as plain frozen data (no I/O, no live objects).

Loop structure, tempo and improv options (``PerformerSettings``, the performer config's
``[loop]``/``[improv]``/``[band]`` tables), the bass/chords layer history, the drum part and its
history, mutes and volumes, the chord chart, model bundles and seed, and sections.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from psc_looper.config.performer import PerformerSettings
from psc_looper.drums.state import DrumState
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.sync.options import SyncSource

FORMAT_VERSION = 1  # the song file format this version reads and writes
# What a song may hold so that it plays on time: the notes sounding together (the
# layers the history keeps and the drum part), on one step and in the whole loop; also
# the most any one layer or drum part may hold. More is refused at load and at save.
MAX_NOTES_PER_STEP = 64
MAX_NOTES_PER_LOOP = 4096


class SongError(ValueError):
    """A song or set-list file that cannot be used (the message names the file and why)."""


@dataclass(frozen=True)
class SongLayer:
    """One layer of a bass or chords track, in history order."""

    track: Track
    replaces: bool  # a record or a clear (False: an overdub)
    notes: tuple[LoopNote, ...]
    undone: bool = False  # on the redo stack
    by: str = ""  # "": played; "band": the band's (it writes it on while it plays)


@dataclass(frozen=True)
class Section:
    """A part of a song the footswitch moves to: its own chart, improv options, mutes,
    and optionally its own tempo/structure (tables as in the performer config)."""

    name: str
    chart: str = ""
    tables: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # [loop] [improv] [band]
    mutes: tuple[Track, ...] | None = None  # None: leave the mutes as they are


@dataclass(frozen=True)
class Song:
    name: str
    settings: PerformerSettings = field(default_factory=PerformerSettings)
    layers: tuple[SongLayer, ...] = ()
    drums: DrumState = field(default_factory=DrumState)  # the part history (drums.feature)
    volumes: Mapping[Track, float] = field(default_factory=dict)
    mutes: frozenset[Track] = frozenset()
    chart: str = ""
    melody_bundle: str | None = None
    drums_bundle: str | None = None
    improv_bundle: str | None = None  # an ImprovRNN: answers while the harmony is known
    seed: int | None = None
    sections: tuple[Section, ...] = ()
    sync: SyncSource | None = None  # who leads the time (None: the set list's or the run's)
    count_in: bool = False  # a bar of click before a take recorded from stop

    @property
    def first_chart(self) -> str:
        """The chart the song starts on: its own, else its first section's with one."""
        return self.chart or next((s.chart for s in self.sections if s.chart), "")


def sounding_stack(song: Song, track: Track) -> tuple[list[SongLayer], list[SongLayer]]:
    """(the track's layers that sound, bottom first; those a later record replaced),
    the undone ones left out."""
    kept = [la for la in song.layers if la.track == track and not la.undone]
    start = max((i for i, la in enumerate(kept) if la.replaces), default=0)
    return kept[start:], kept[:start]


def check_playable(song: Song) -> None:
    """``ValueError`` saying what is over the limits (``MAX_NOTES_PER_STEP``/``_LOOP``)."""
    parts = [(f"layer {i} ({la.track})", la.notes) for i, la in enumerate(song.layers, 1)]
    parts += [(f"drum part {p.name!r}", p.notes) for p in (song.drums.current,
                                                           song.drums.previous) if p]
    for name, notes in parts:
        if len(notes) > MAX_NOTES_PER_LOOP:
            raise ValueError(f"{name} holds {len(notes):,} notes, more than the "
                             f"{MAX_NOTES_PER_LOOP:,} a loop may hold")
    sounding = [n for notes in _sounding_layers(song) for n in notes]
    if song.drums.current is not None:
        sounding += song.drums.current.notes
    if len(sounding) > MAX_NOTES_PER_LOOP:
        raise ValueError(f"{len(sounding):,} notes sound together, more than the "
                         f"{MAX_NOTES_PER_LOOP:,} a loop may hold")
    steps = Counter(n.onset for n in sounding)
    if steps:
        step, count = steps.most_common(1)[0]
        if count > MAX_NOTES_PER_STEP:
            raise ValueError(f"{count:,} notes on step {step}, more than the "
                             f"{MAX_NOTES_PER_STEP} a step may hold")


def _sounding_layers(song: Song) -> list[tuple[LoopNote, ...]]:
    """The notes of the layers that sound: per track, from its last record or clear on,
    without the undone ones."""
    out = []
    for track in {la.track for la in song.layers}:
        out += [la.notes for la in sounding_stack(song, track)[0]]
    return out
