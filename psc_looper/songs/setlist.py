"""A set list: songs in order, from a TOML file beside them.

::

    format = 1
    name = "Friday at the Bird"
    songs = ["blue-bossa.toml", "autumn-leaves.toml"]   # relative to this file
    sync = "clock-in"     # optional: who leads, unless a song says otherwise

Only the list is read here; each song is read when it comes up (a bad one is a
status line then, and the song playing goes on). ``SongError`` names the file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from psc_looper.songs.file import read_toml, sync_of
from psc_looper.songs.song import FORMAT_VERSION, SongError
from psc_looper.sync.options import SyncSource
from psc_looper.tomlfiles import line, quote


@dataclass(frozen=True)
class SetList:
    name: str
    songs: tuple[Path, ...]
    sync: SyncSource | None = None


def load_setlist(path: Path | str) -> SetList:
    path = Path(path)
    data = read_toml(path, "set list")
    songs = data.get("songs")
    if not isinstance(songs, list) or not songs or not all(isinstance(s, str) for s in songs):
        raise SongError(f"{path}: songs must be a list of song files, e.g. "
                        'songs = ["first.toml", "second.toml"]')
    unknown = sorted(set(data) - {"format", "name", "songs", "sync"})
    if unknown:
        raise SongError(f"{path}: unknown key {quote(unknown[0])}")
    name = data.get("name", path.stem)
    if not isinstance(name, str):
        raise SongError(f"{path}: name must be a string, not {quote(name)}")
    paths = tuple(path.parent / s for s in songs)
    missing = [p for p in paths if not _is_file(p)]
    if missing:
        raise SongError(line(f"{path}: song {missing[0]} is not there"))
    return SetList(name, paths, sync_of(path, data.get("sync")))


def save_setlist(path: Path, name: str, songs: Sequence[Path]) -> None:
    """Write a set list of ``songs`` (named relative to ``path``'s folder)."""
    folder = path.parent.resolve()
    data = {"format": FORMAT_VERSION, "name": name,
            "songs": [os.path.relpath(Path(s).resolve(), folder) for s in songs]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(data))


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long, say
        return False
