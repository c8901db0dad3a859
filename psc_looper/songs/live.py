"""SongsFeature: the song (and set list) a performance plays, saving and switching it live.

Actions: ``song_save`` (capture now, write on the songs thread), ``next_song`` /
``previous_song`` (the set list), ``next_section`` (the footswitch: the song's next
section, past the last one the next song). A song or section switches at the next loop
start with every sounding note released (``looper.switch``). Files are read and written
on the ``SongWorker`` thread; a bad file is one status line and the loop plays on.

Threads: actions run on the OSC thread, loads on the songs thread. The song, set-list
position and section are guarded by ``_lock``; the lock order is ``_lock`` -> feature
locks -> Looper lock (captures and switches call the looper with ``_lock`` held, the
looper never calls back).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from psc_looper.config.performer import PerformerSettings, settings_from_tables
from psc_looper.drums.feature import DrumState
from psc_looper.host import Host
from psc_looper.improv.options import ImprovOptions
from psc_looper.looper.engine import Looper
from psc_looper.looper.layers import Layer
from psc_looper.looper.notes import Track
from psc_looper.looper.switch import LoopSettings
from psc_looper.songs.file import load_song, save_song
from psc_looper.songs.setlist import SetList, load_setlist
from psc_looper.songs.song import Section, Song, SongLayer
from psc_looper.songs.worker import SongWorker
from psc_looper.sync.options import SyncSource

log = logging.getLogger(__name__)

DEFAULT_SONG_DIR = Path("songs")


@dataclass(frozen=True)
class Opening:
    """What a performance opens with: a song (its file) and the set list it comes from."""

    song: Song | None = None
    path: Path | None = None
    setlist: SetList | None = None


def opening(song: Path | None, setlist: Path | None) -> Opening:
    """Read ``song`` (or the set list's first song) and ``setlist``, once each
    (``SongError`` naming the file)."""
    songs = load_setlist(setlist) if setlist is not None else None
    path = song if song is not None or songs is None else songs.songs[0]
    return Opening(load_song(path) if path is not None else None, path, songs)


@dataclass(frozen=True)
class Place:
    """Where the set is (for a stage view): the song, its section, what comes next."""

    song: str
    section: str | None  # None: the song as saved, no section entered yet
    next_section: str | None
    setlist: tuple[str, ...] = ()  # the set list's songs (file names without .toml)
    index: int = 0  # the song's place in it


class DrumParts(Protocol):
    """What songs need of the drums: their part history, to save and to restore."""

    def history(self) -> DrumState: ...

    def restore(self, state: DrumState, play: bool = True) -> None: ...


class ImprovSettings(Protocol):
    """What songs need of call and response: new options at a song or section switch."""

    def apply(self, options: ImprovOptions, chart: str = "", source: str = "chart") -> None: ...


class SyncSources(Protocol):
    """What songs need of sync: who leads, at a song switch (``sync = "..."``)."""

    def select(self, source: SyncSource | None) -> None: ...


class SongsFeature:
    """Songs and set lists (``host.Feature``): built with the features a song restores."""

    looper: Looper  # set by attach

    def __init__(self, drums: DrumParts | None, improv: ImprovSettings | None,
                 defaults: PerformerSettings, start: Opening = Opening(),
                 *, inline: bool = False, sync: SyncSources | None = None,
                 seed: int | None = None) -> None:
        """``seed``: the run's, saved with a song that has none of its own."""
        self._drums = drums
        self._sync = sync
        self._improv = improv
        self._inline = inline
        self._lock = threading.Lock()
        # --- guarded by _lock ---
        self._song = Song(name="untitled", settings=defaults, seed=seed)
        self._path: Path | None = None
        self._setlist = start.setlist
        self._opening = start
        self._index = 0  # position in the set list of the song playing (or coming)
        self._section = -1  # -1: the song as saved, no section entered yet

    def attach(self, host: Host) -> None:
        """Register the actions and the status line; start the songs thread."""
        self.looper = host.looper
        self.worker = SongWorker(self.looper.warn, inline=self._inline)
        actions = host.actions
        actions.register("song_save", self._save_action)
        actions.register("next_song", lambda _arg, _value: self.step_song(1))
        actions.register("previous_song", lambda _arg, _value: self.step_song(-1))
        actions.register("next_section", lambda _arg, _value: self.next_section())
        self.looper.add_status("song", self.describe)

    def open(self, settings: PerformerSettings | None = None) -> None:
        """Play the opening song now, its settings replaced by ``settings`` if given
        (``--config``, ``--set``). No song: the unsaved one plays on."""
        song = self._opening.song
        if song is not None:
            self.play_song(song if settings is None else replace(song, settings=settings),
                           self._opening.path)

    # ------------------------------------------------------------------ saving
    def capture(self) -> Song:
        """The song as it sounds now (quick: copies of the loop state, no I/O)."""
        with self._lock:
            song = self._song
        snap = self.looper.snapshot()
        done, undone = self.looper.layer_history()
        drums = self._drums
        settings = replace(song.settings, qpm=snap.qpm,
                           structure=snap.pending_structure or snap.structure,
                           swing=snap.swing if snap.pending_swing is None else snap.pending_swing)
        return replace(
            song, settings=settings,
            layers=tuple([_song_layer(d, False) for d in done]
                         + [_song_layer(u, True) for u in undone]),
            drums=drums.history() if drums else DrumState(),
            volumes={t: v for t, v in snap.volumes.items() if v != 1.0},
            mutes=frozenset(t for t, m in snap.mutes.items() if m),
            count_in=snap.count_in,
        )

    def save(self, path: Path | None = None, name: str | None = None) -> Path:
        """Capture now; write on the songs thread (a failure is a status line). ``name``
        renames the song (a new song's file is then ``songs/NAME.toml``)."""
        song = self.capture()
        with self._lock:
            if name:
                song = self._song = replace(song, name=name)
            path = path or self._path or _new_path(name=name)
            self._path = path
        self.worker.submit(f"save {path}", lambda: f"saved {save_song(song, path)}")
        return path

    # ------------------------------------------------------------------ switching
    def play_song(self, song: Song, path: Path | None) -> None:
        """Switch to ``song`` at the next loop start (at once when stopped)."""
        with self._lock:
            self._song, self._path, self._section = song, path, -1
            if self._drums is not None:
                self._drums.restore(song.drums, play=False)
            current = song.drums.current
            self.looper.switch_at_loop_start(LoopSettings(
                name=song.name, qpm=song.settings.qpm, structure=song.settings.structure,
                swing=song.settings.swing,
                volumes={t: song.volumes.get(t, 1.0) for t in Track},
                mutes={t: t in song.mutes for t in Track},
                layers=_history(song.layers),
                tracks={Track.DRUMS: current.notes if current else ()},
            ))
            self.looper.set_count_in(song.count_in)
            self._set_improv(song.settings.improv, song.chart, "song chart")
            if self._sync is not None:  # None: the command line's choice
                self._sync.select(song.sync or (self._setlist.sync if self._setlist else None))

    def step_song(self, delta: int) -> None:
        """The next (or previous) song of the set list, loaded on the songs thread."""
        with self._lock:
            if self._setlist is None:
                self.looper.warn("no set list (start with run --setlist FILE)")
                return
            index = self._index + delta
            if not 0 <= index < len(self._setlist.songs):
                self.looper.warn("the set list ends here" if delta > 0 else
                                 "already at the first song")
                return
            self._index = index
            path = self._setlist.songs[index]
        self.worker.submit(f"load {path}", lambda: self._load(path))

    def next_section(self) -> None:
        """The song's next section from the next loop start; after the last, the next song."""
        with self._lock:
            song, index = self._song, self._section + 1
            if index >= len(song.sections):
                more = self._setlist is not None and self._index + 1 < len(self._setlist.songs)
                if not more:
                    self.looper.warn(f"{song.name}: no section after this one")
                    return
            else:
                self._section = index
                self._enter(song, song.sections[index])
                return
        self.step_song(1)

    def describe(self) -> str:
        with self._lock:
            song, section, setlist, index = self._song, self._section, self._setlist, self._index
        parts = [song.name]
        if section >= 0:
            parts[0] += f" [{song.sections[section].name}]"
        chart = song.sections[section].chart if section >= 0 else ""
        if chart or song.chart:
            parts.append(f"chart {chart or song.chart}")
        if section + 1 < len(song.sections):
            parts.append(f"next section {song.sections[section + 1].name}")
        if setlist is not None:
            upcoming = setlist.songs[index + 1].stem if index + 1 < len(setlist.songs) else "end"
            parts.append(f"song {index + 1}/{len(setlist.songs)}, next {upcoming}")
        if self.worker.status:
            parts.append(self.worker.status)
        return " | ".join(parts)

    def place(self) -> Place:
        with self._lock:
            song, section, setlist, index = self._song, self._section, self._setlist, self._index
        following = section + 1 < len(song.sections)
        return Place(song.name, song.sections[section].name if section >= 0 else None,
                     song.sections[section + 1].name if following else None,
                     tuple(p.stem for p in setlist.songs) if setlist else (), index)

    @property
    def song(self) -> Song:
        with self._lock:
            return self._song

    def close(self) -> None:
        self.worker.close()

    # ------------------------------------------------------------------ helpers
    def _save_action(self, argument: str | None, _value: int) -> None:
        """``song_save`` (as it is) or ``song_save:NAME`` (named NAME)."""
        self.save(name=argument.strip() if argument else None)

    def _load(self, path: Path) -> str:
        song = load_song(path)  # SongError: a status line, the current song plays on
        self.play_song(song, path)
        return f"loaded {song.name}: plays from the next loop start"

    def _enter(self, song: Song, section: Section) -> None:
        """Stage a section (with ``_lock`` held)."""
        settings = settings_from_tables(section.tables, section.name, base=song.settings)
        loop = section.tables.get("loop", {})
        self.looper.switch_at_loop_start(LoopSettings(
            name=f"{song.name} [{section.name}]",
            qpm=settings.qpm if "qpm" in loop else None,
            structure=settings.structure if set(loop) & {"meter", "bars"}
            or "changes" in section.tables.get("improv", {}) else None,  # the chart's length
            swing=settings.swing if "swing" in loop else None,
            mutes=None if section.mutes is None else {t: t in section.mutes for t in Track},
            release=False,
        ))
        chart, source = ((section.chart, "section chart") if section.chart
                         else (song.chart, "song chart"))
        self._set_improv(settings.improv, chart, source)

    def _set_improv(self, options: ImprovOptions, chart: str, source: str) -> None:
        """The harmony, first that applies: the section's chart, the song's, the options'."""
        if self._improv is not None:
            self._improv.apply(options, chart, source)


def _song_layer(layer: Layer, undone: bool) -> SongLayer:
    return SongLayer(layer.track, layer.replaces, layer.notes, undone)


def _history(layers: tuple[SongLayer, ...]) -> tuple[list[Layer], list[Layer]]:
    done = [Layer(s.track, s.notes, s.replaces) for s in layers if not s.undone]
    undone = [Layer(s.track, s.notes, s.replaces) for s in layers if s.undone]
    return done, undone


def _new_path(folder: Path = DEFAULT_SONG_DIR, name: str | None = None) -> Path:
    """``songs/NAME.toml`` (the name made a file name), else one named by the time."""
    stem = file_stem(name) if name else ""
    return folder / (f"{stem}.toml" if stem else time.strftime("song-%Y%m%d-%H%M%S.toml"))


def file_stem(name: str) -> str:
    """'Blue Bossa' -> 'blue-bossa': letters, digits and dashes only."""
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())
