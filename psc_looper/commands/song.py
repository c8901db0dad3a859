"""``psc-looper song``: show what a song or set-list file holds, or check files before a gig.

(A song is saved from a performance: the status view's ``s`` key or the controller's
``song_save`` button; ``psc-looper run --song FILE`` saves back into FILE.)"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from psc_looper.looper.notes import Track
from psc_looper.songs.check import check_bundles
from psc_looper.songs.file import load_song, read_toml
from psc_looper.songs.setlist import load_setlist
from psc_looper.songs.song import Song, SongError
from psc_looper.timing.swing import STRAIGHT
from psc_looper.tomlfiles import line


def register(sub: argparse._SubParsersAction) -> None:
    song = sub.add_parser("song", help="show or check song and set-list files")
    song.add_argument("action", choices=("show", "check"),
                      help="show: what the file holds; check: read every file (and a set "
                           "list's songs), one line per problem")
    song.add_argument("files", type=Path, nargs="+", help="song or set-list .toml files")
    song.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.files:
        try:
            lines = _read(path, check=args.action == "check")
        except SongError as exc:
            print(f"psc-looper song: {line(str(exc))}", file=sys.stderr)
            failed += 1
            continue
        print("\n".join(lines) if args.action == "show" else f"{path}: ok", flush=True)
    return 2 if failed else 0


def _read(path: Path, check: bool) -> list[str]:
    """What ``show`` prints; ``check``: also read each song's bundles as ``run`` does."""
    if "songs" in read_toml(path, "song or set list"):
        setlist = load_setlist(path)
        lines = [f"set list {setlist.name}: {len(setlist.songs)} songs"]
        for number, song_path in enumerate(setlist.songs, 1):
            song = _load(song_path, check)
            lines.append(f"  {number}. {song.name} ({song_path.name}): {_headline(song)}")
        return lines
    song = _load(path, check)
    lines = [f"song {song.name}: {_headline(song)}"]
    for track in (Track.BASS, Track.CHORDS):
        layers = [la for la in song.layers if la.track == track]
        undone = sum(la.undone for la in layers)
        lines.append(f"  {track}: {len(layers) - undone} layers"
                     + (f" (+{undone} undone)" if undone else "")
                     + f", {sum(len(la.notes) for la in layers if not la.undone)} notes")
    current = song.drums.current
    lines.append(f"  drums: {current.name if current else 'none'}")
    if song.chart:
        lines.append(f"  chart: {song.chart}")
    for section in song.sections:
        lines.append(f"  section {section.name}" + (f": {section.chart}" if section.chart else ""))
    return lines


def _load(path: Path, check: bool) -> Song:
    song = load_song(path)
    if check:
        check_bundles(song)
    return song


def _headline(song: Song) -> str:
    s = song.settings
    swing = f", swing {s.swing:.3g}" if s.swing != STRAIGHT else ""
    return f"{s.qpm:g} qpm, {s.structure.meter} x{s.structure.bars} bars{swing}"
