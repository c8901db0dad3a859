"""The Song: everything that makes a song, as plain frozen data (no I/O, no live objects).

Loop structure, tempo and improv options (``PerformerSettings``, the performer config's
``[loop]``/``[improv]`` tables), the bass/chords layer history, the drum part and its
history, mutes and volumes, the chord chart, model bundles and seed, and sections.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from psc_looper.config.performer import PerformerSettings
from psc_looper.drums.state import DrumState
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.sync.options import SyncSource

FORMAT_VERSION = 1  # the song file format this version reads and writes


class SongError(ValueError):
    """A song or set-list file that cannot be used (the message names the file and why)."""


@dataclass(frozen=True)
class SongLayer:
    """One layer of a bass or chords track, in history order."""

    track: Track
    replaces: bool  # a record or a clear (False: an overdub)
    notes: tuple[LoopNote, ...]
    undone: bool = False  # on the redo stack


@dataclass(frozen=True)
class Section:
    """A part of a song the footswitch moves to: its own chart, improv options, mutes,
    and optionally its own tempo/structure (tables as in the performer config)."""

    name: str
    chart: str = ""
    tables: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # [loop], [improv]
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
