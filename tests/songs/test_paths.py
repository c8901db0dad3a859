"""Paths a song names (its notes, its model bundles) that are not what they should be:
a FIFO, a device, a folder, the wrong file. Every command answers at once, in one line,
and ``song check`` refuses what ``run`` refuses."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from psc_looper.songs.file import load_song
from psc_looper.songs.song import SongError
from tests.files.cli import RUN, refused

BUNDLES = Path(__file__).resolve().parent.parent.parent / "psc_looper" / "bundles"


def answered(call, seconds: float = 1.0):
    """``call()``'s result, or its exception, if it returns within ``seconds``."""
    box: list = []

    def target() -> None:
        try:
            box.append(call())
        except BaseException as exc:
            box.append(exc)
    worker = threading.Thread(target=target, daemon=True)
    begin = time.perf_counter()
    worker.start()
    worker.join(seconds)
    assert box, f"no answer within {seconds} s"
    return box[0], time.perf_counter() - begin


def _notes(song_file: Path, notes: str) -> None:
    song_file.write_text(song_file.read_text().replace('notes = "blue.mid"', f'notes = "{notes}"'))


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "pipe.mid"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("notes, reason", [
    ("pipe.mid", "a FIFO, not a regular file"),
    ("/dev/zero", "a device, not a regular file"),
    (".", "a folder, not a regular file"),
])
def test_a_notes_path_that_is_not_a_file_answers_at_once(song_file, fifo, notes, reason):
    _notes(song_file, notes)
    error, seconds = answered(lambda: load_song(song_file))
    assert isinstance(error, SongError) and seconds < 1.0
    assert str(error).startswith(f"{song_file}: notes file ") and reason in str(error)


def test_a_huge_notes_file_is_refused_unread(song_file):
    song_file.with_suffix(".mid").write_bytes(b"MThd" + b"\0" * (9 << 20))
    with pytest.raises(SongError, match="larger than 8,388,608 bytes"):
        load_song(song_file)


@pytest.mark.parametrize("command", ["check", "show", "run"])
def test_the_commands_refuse_a_fifo_as_notes_in_one_line(song_file, fifo, capsys, command):
    _notes(song_file, "pipe.mid")
    argv = [*RUN, "--song", str(song_file)] if command == "run" else \
        ["song", command, str(song_file)]
    (_line, seconds) = answered(lambda: refused(argv, song_file, "a FIFO", capsys))
    assert seconds < 1.0


def test_a_set_list_with_a_fifo_song_answers_at_once(song_file, fifo, tmp_path, capsys):
    _notes(song_file, "pipe.mid")
    setlist = tmp_path / "gig.toml"
    setlist.write_text('format = 1\nsongs = ["blue.toml"]\n')
    before = sorted(p.name for p in tmp_path.iterdir())
    (_, seconds) = answered(lambda: refused(["song", "check", str(setlist)], song_file,
                                            "a FIFO", capsys))
    assert seconds < 1.0 and sorted(p.name for p in tmp_path.iterdir()) == before


def _models(song_file: Path, melody: str) -> None:
    text = song_file.read_text().replace("[models]\n", f'[models]\nmelody = "{melody}"\n')
    song_file.write_text(text)


@pytest.mark.parametrize("bundle, reason", [
    ("/etc/passwd", "not a magenta bundle"),
    ("/dev/zero", "not a bundle file: a device, not a regular file"),
    ("pipe.mid", "not a bundle file: a FIFO, not a regular file"),
    (".", "not a bundle file: a folder, not a regular file"),
    ("nothing.mag", "no such bundle file"),
    (str(BUNDLES / "drums.mag"), "is a drums_rnn bundle, not melody_rnn"),
])
def test_song_check_refuses_the_bundles_run_refuses(song_file, fifo, capsys, bundle, reason):
    _models(song_file, bundle)
    load_song(song_file)  # the file itself is fine
    path = song_file.parent / bundle
    (line, seconds) = answered(lambda: refused(["song", "check", str(song_file)], path, reason,
                                               capsys), 60)
    assert line.startswith(f"psc-looper song: {path}: ")
    if bundle != str(BUNDLES / "drums.mag"):  # the family check imports TensorFlow once
        assert seconds < 1.0


def test_check_and_run_say_the_same_line(song_file, capsys):
    from psc_looper.cli import main

    _models(song_file, "/etc/passwd")
    assert main(["song", "check", str(song_file)]) == 2
    check = capsys.readouterr().err.strip().removeprefix("psc-looper song: ")
    run = [a for a in RUN if a != "--no-models"]
    assert main([*run, "--song", str(song_file)]) == 2
    assert capsys.readouterr().err.strip() == f"psc-looper: error: {check}"
