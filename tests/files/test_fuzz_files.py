"""Structure-aware fuzzing of the files a user hands the instrument: song files, set lists,
controller maps and performer configs. Each valid document is mutated (a value replaced
by a wrong type, a huge or odd value, a deep nest or an odd path; a key dropped or
added; the text cut or nested 5,000 deep) and loaded: the only outcome besides success
is the loader's own error, one line naming the file once. Seeded, a few seconds."""

from __future__ import annotations

import copy
import os
import random
import time
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from psc_looper.config.performer import PerformerConfigError, load_performer
from psc_looper.control.mapping import DEFAULT_MAP, MappingError, load_map
from psc_looper.drums.feature import DrumState, Part
from psc_looper.looper.notes import TRACK_INSTRUMENT, LoopNote, Track
from psc_looper.osc.protocol import Instrument
from psc_looper.songs.check import check_bundles
from psc_looper.songs.file import load_song, save_song
from psc_looper.songs.setlist import load_setlist
from psc_looper.songs.song import Section, Song, SongError, SongLayer
from psc_looper.timing.meter import LoopStructure
from psc_looper.tomlfiles import LINE_CHARS

MUTATIONS = 400  # per kind of file
ODD_PATHS = ["/dev/zero", ".", "pipe.mid", "../../../../etc/passwd", "", "nothing.mid",
             "a" * 5000, "/", "\u00e9\u00e8.mid", "x\\y.mid"]


def _deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


HOSTILE = [0, -1, -(10 ** 30), 10 ** 30, 1.5, float("inf"), float("nan"), True, "",
           "x" * 20_000, "Dm7 | G7", [], [1, "a"], {}, {"a": {"b": 1}}, _deep(12), _deep(40),
           {str(i): i for i in range(300)}, *ODD_PATHS]


def _paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    found: list[tuple] = []
    if len(prefix) > 5:
        return found
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) \
        if isinstance(doc, list) else []
    for key, value in items:
        found.append((*prefix, key))
        found += _paths(value, (*prefix, key))
    return found


def _mutate(doc: dict, rnd: random.Random) -> dict:
    doc = copy.deepcopy(doc)
    for _ in range(rnd.choice((1, 1, 2, 3))):
        paths = _paths(doc)
        where = rnd.choice(paths) if paths else ("extra",)
        parent: Any = doc
        for key in where[:-1]:
            parent = parent[key]
        roll = rnd.random()
        if roll < 0.15 and isinstance(parent, dict):
            del parent[where[-1]]
        elif roll < 0.25 and isinstance(parent, dict):
            parent[rnd.choice(["zzz", "format", "notes", "10", "-1", "1000"])] = \
                copy.deepcopy(rnd.choice(HOSTILE))
        else:
            parent[where[-1]] = copy.deepcopy(rnd.choice(HOSTILE))
    return doc


def _text(doc: dict, rnd: random.Random) -> str:
    text = tomli_w.dumps(doc)
    roll = rnd.random()
    if roll < 0.05:
        return text[: rnd.randrange(len(text) + 1)]
    if roll < 0.08:
        return text + "deep = " + "[" * 5000 + "]" * 5000 + "\n"
    if roll < 0.10:
        return text + ".".join(["k"] * 500) + " = 1\n"
    return text


@pytest.fixture
def folder(tmp_path) -> Path:
    os.mkfifo(tmp_path / "pipe.mid")
    (tmp_path / "folder.toml").mkdir()
    return tmp_path


def _song_doc(folder: Path) -> dict:
    bass = tuple(LoopNote(s, Track.BASS, TRACK_INSTRUMENT[Track.BASS], 36 + s, 90, 2)
                 for s in range(0, 32, 4))
    kick = Part("beat", (LoopNote(0, Track.DRUMS, Instrument.KICK, 36, 100, 1),),
                LoopStructure())
    song = Song("fuzz", layers=(SongLayer(Track.BASS, True, bass),
                                SongLayer(Track.BASS, False, bass[:2], undone=True)),
                drums=DrumState(kick), volumes={Track.BASS: 0.5}, mutes=frozenset({Track.CLICK}),
                chart="Dm7 G7 | Cmaj7", seed=3,
                sections=(Section("A", "Dm7", {"loop": {"bars": 1}}, (Track.BASS,)),))
    import tomllib

    return tomllib.loads(save_song(song, folder / "base.toml").read_text())


def _fuzz(folder: Path, base: dict, load, error: type[Exception], name: str) -> dict[str, int]:
    rnd = random.Random(f"psc-looper {name}")
    outcomes = {"loaded": 0, "refused": 0}
    path = folder / f"{name}.toml"
    for _ in range(MUTATIONS):
        path.write_text(_text(_mutate(base, rnd), rnd))
        begin = time.perf_counter()
        try:
            load(path)
            outcomes["loaded"] += 1
        except error as exc:
            message = str(exc)
            assert "\n" not in message and len(message) <= LINE_CHARS + len(str(path)), message
            assert message.count(str(path)) == 1 or (str(path) not in message and \
                name == "song" and "bundle" in message), message
            outcomes["refused"] += 1
        assert time.perf_counter() - begin < 2.0, path.read_text()[:300]
    assert outcomes["refused"] > MUTATIONS // 3  # the mutations reach the checks
    return outcomes


def test_fuzz_song_files(folder):
    def load(path: Path) -> None:
        check_bundles(load_song(path))
    outcomes = _fuzz(folder, _song_doc(folder), load, SongError, "song")
    assert outcomes["loaded"]


def test_fuzz_set_lists(folder):
    save_song(Song("one"), folder / "one.toml")
    base = {"format": 1, "name": "gig", "songs": ["one.toml", "base.toml", "one.toml"]}
    save_song(Song("two"), folder / "base.toml")
    _fuzz(folder, base, load_setlist, SongError, "setlist")


def test_fuzz_controller_maps(folder):
    import tomllib

    base = tomllib.loads(DEFAULT_MAP.read_text())
    _fuzz(folder, base, load_map, MappingError, "map")


def test_fuzz_performer_configs(folder):
    base = {"loop": {"qpm": 96, "meter": "7/8", "bars": 2},
            "improv": {"threshold": 12, "boundary": "loop", "changes": "Dm7 | G7",
                       "temperature": 0.9, "follow_register": False}}
    _fuzz(folder, base, load_performer, PerformerConfigError, "config")
