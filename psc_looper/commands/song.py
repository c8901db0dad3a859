"""``psc-looper song``: show what a song or set-list file holds, check files before a gig,
or make a new song (``song new FILE``); ``psc-looper setlist new FILE SONG...`` makes a
set list.

(A song is also saved from a performance: the status view's ``s`` key or the
controller's ``song_save`` button; ``psc-looper run --song FILE`` saves back into FILE.)"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from psc_looper.config.performer import PerformerConfigError, settings_from_tables
from psc_looper.looper.notes import Track
from psc_looper.songs.check import check_bundles
from psc_looper.songs.file import load_song, read_toml, save_song
from psc_looper.songs.setlist import load_setlist, save_setlist
from psc_looper.songs.song import Song, SongError, sounding_stack
from psc_looper.timing.swing import STRAIGHT
from psc_looper.tomlfiles import line


def register(sub: argparse._SubParsersAction) -> None:
    song = sub.add_parser("song", help="show, check or make song and set-list files")
    song.add_argument("action", choices=("show", "check", "new"),
                      help="show: what the file holds; check: read every file (and a set "
                           "list's songs), one line per problem; new: write a new song")
    song.add_argument("files", type=Path, nargs="+", help="song or set-list .toml files")
    new = song.add_argument_group("song new FILE")
    new.add_argument("--name", help="the song's name (default: the file's)")
    new.add_argument("--changes", metavar="CHART", default="",
                     help='its chord chart, e.g. "Cm7 | Fm7 | Dm7b5 G7 | Cm7" (the loop '
                          "is as long, unless --bars)")
    new.add_argument("--qpm", type=float, default=None, help="its tempo (default 120)")
    new.add_argument("--bars", type=int, default=None, help="its loop's bars (1..64)")
    new.add_argument("--meter", default=None, help="its meter, e.g. 3/4 (default 4/4)")
    new.add_argument("--swing", type=float, default=None, help="its swing ratio (0.5: straight)")
    new.add_argument("--seed", type=int, default=None, help="seed the models' sampling")
    new.add_argument("--count-in", action="store_true",
                     help="a bar of click before a take from stop")
    song.set_defaults(func=main)
    setlist = sub.add_parser("setlist", help="make a set list of song files")
    setlist.add_argument("action", choices=("new",), help="new: write a new set list")
    setlist.add_argument("file", type=Path, help="the set list .toml to write")
    setlist.add_argument("songs", type=Path, nargs="+", help="its song .toml files, in order")
    setlist.add_argument("--name", help="the set list's name (default: the file's)")
    setlist.set_defaults(func=new_setlist)


def main(args: argparse.Namespace) -> int:
    if args.action == "new":
        return _new_song(args)
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
        sounding, replaced = sounding_stack(song, track)
        undone = sum(la.undone for la in song.layers if la.track == track)
        notes = sum(len(la.notes) for la in sounding)
        if sounding and not notes:  # cleared: a silent layer on top
            sounding = []
        extra = [f"{len(replaced)} replaced"] if replaced else []
        extra += [f"+{undone} undone"] if undone else []
        lines.append(f"  {track}: {len(sounding)} layer{'' if len(sounding) == 1 else 's'} "
                     "sounding" + (f" ({', '.join(extra)})" if extra else "")
                     + f", {notes} notes")
    current = song.drums.current
    lines.append(f"  drums: {current.name if current else 'none'}")
    band = song.settings.band
    if band.on:
        plays = " and ".join(p for p, on in (("bass", band.bass), ("drums", band.drums)) if on)
        lines.append(f"  band: {band.style}, {plays or 'silent'}")
    if song.chart:
        lines.append(f"  chart: {song.chart}")
    for section in song.sections:
        given = ", ".join(f"{k} {v}" for k, v in section.tables.get("band", {}).items())
        lines.append(f"  section {section.name}" + (f": {section.chart}" if section.chart else "")
                     + (f" (band {given})" if given else ""))
    return lines


def _load(path: Path, check: bool) -> Song:
    song = load_song(path)
    if check:
        check_bundles(song)
    return song


def _headline(song: Song) -> str:
    s = song.settings
    swing = f", swing {s.swing:.3g}" if s.swing != STRAIGHT else ""
    extra = f", seed {song.seed}" if song.seed is not None else ""
    extra += ", count-in" if song.count_in else ""
    return f"{s.qpm:g} qpm, {s.structure.meter} x{s.structure.bars} bars{swing}{extra}"


def _new_song(args: argparse.Namespace) -> int:
    """``song new FILE``: a song with no takes yet, from the options; an existing file or a
    bad option is one line and nothing is written."""
    if len(args.files) != 1:
        return _fail("song new takes one FILE")
    path: Path = args.files[0]
    if path.exists():
        return _fail(f"{path} is there already (choose another file)")
    loop = {k: v for k, v in (("qpm", args.qpm), ("bars", args.bars), ("meter", args.meter),
                              ("swing", args.swing)) if v is not None}
    tables = {"loop": loop, "improv": {"changes": args.changes} if args.changes else {}}
    if args.seed is not None and args.seed < 0:
        return _fail(f"--seed must be a whole number >= 0, not {args.seed}")
    try:
        settings = settings_from_tables(tables, "song new")
        song = Song(name=args.name or path.stem, settings=settings, seed=args.seed,
                    count_in=args.count_in)
        save_song(song, path)
    except (PerformerConfigError, SongError, OSError) as exc:
        return _fail(str(exc))
    print(f"wrote {path}: song {song.name}: {_headline(song)}; play it with "
          f"psc-looper run --song {path}")
    return 0


def new_setlist(args: argparse.Namespace) -> int:
    """``setlist new FILE SONG...``: each song must read; an existing file is refused."""
    path: Path = args.file
    if path.exists():
        return _fail(f"{path} is there already (choose another file)")
    try:
        names = [load_song(song).name for song in args.songs]
        save_setlist(path, args.name or path.stem, args.songs)
    except (SongError, OSError, ValueError) as exc:
        return _fail(str(exc))
    print(f"wrote {path}: set list {args.name or path.stem}: {', '.join(names)}; play it "
          f"with psc-looper run --setlist {path}")
    return 0


def _fail(message: str) -> int:
    print(f"psc-looper: {line(message)}", file=sys.stderr)
    return 2
