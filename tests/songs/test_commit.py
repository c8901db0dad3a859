"""A song save is atomic as a pair: a crash (or a full disk) at every file operation of a
save, and again during the next save, leaves a song that loads, old or new."""

from __future__ import annotations

import contextlib
import errno
from dataclasses import replace
from pathlib import Path

import pytest

from psc_looper.songs import commit
from psc_looper.songs.file import load_song, save_song

REAL_STEP = commit.step


class Crash(BaseException):
    """The process dies here: nothing after it runs, no cleanup."""


def _signature(song):
    return song.name, song.layers, song.drums.current


def _steps(monkeypatch, fail_at: int | None, error: BaseException, partial: bool = False):
    """Make the ``fail_at``-th file operation (from 0) raise ``error`` (a ``write`` cut in
    half first when ``partial``); returns the list of operations run."""
    done: list[str] = []

    def step(kind, path, data=None):
        if fail_at is not None and len(done) == fail_at:
            if partial and kind == "write":
                path.write_bytes(data[: len(data) // 2])
            raise error
        done.append(kind)
        REAL_STEP(kind, path, data)
    monkeypatch.setattr(commit, "step", step)
    return done


@pytest.fixture
def versions(song_file):
    """The song on disk (old, its files' bytes), and two later versions to save over it."""
    old = load_song(song_file)
    new = replace(old, name="new", layers=old.layers[:2])
    newer = replace(old, name="newer", layers=old.layers[1:])
    return song_file, _snapshot(song_file), old, new, newer


def _snapshot(song_file: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in song_file.parent.iterdir()}


def _restore(song_file: Path, files: dict[str, bytes]) -> None:
    for item in song_file.parent.iterdir():
        item.unlink()
    for name, data in files.items():
        (song_file.parent / name).write_bytes(data)


def _files(song_file: Path) -> list[str]:
    return sorted(p.name for p in song_file.parent.iterdir())


def test_a_crash_anywhere_in_two_saves_leaves_a_song_that_loads(versions, monkeypatch):
    song_file, files, old, new, newer = versions
    done = _steps(monkeypatch, None, Crash())
    save_song(new, song_file)
    count = len(done)
    assert count == 9  # each file written and renamed twice, the staged notes removed
    outcomes, litter = set(), set()
    for first in range(count):
        for partial in (False, True):
            _restore(song_file, files)
            _steps(monkeypatch, first, Crash(), partial)
            with pytest.raises(Crash):
                save_song(new, song_file)
            after_one = _signature(load_song(song_file))
            assert after_one in {_signature(old), _signature(new)}
            outcomes.add(after_one[0])
            litter.update(set(_files(song_file)) - {"blue.mid", "blue.toml"})
            crashed = _snapshot(song_file)
            for second in range(count + 1):  # and a crash in the next save, from there
                _restore(song_file, crashed)
                _steps(monkeypatch, second, Crash(), partial)
                with contextlib.suppress(Crash):
                    save_song(newer, song_file)
                loaded = _signature(load_song(song_file))
                assert loaded in {after_one, _signature(newer)}, (first, second)
                _steps(monkeypatch, None, Crash())
                save_song(newer, song_file)  # a save after any crash leaves no litter
                assert _files(song_file) == ["blue.mid", "blue.toml"], (first, second)
                assert _signature(load_song(song_file)) == _signature(newer)
    assert outcomes == {old.name, "new"}  # both outcomes happen: the test sees either
    assert litter == {"blue.mid.part", "blue.next.mid", "blue.next.mid.part", "blue.toml.part"}


def test_a_failed_save_leaves_no_part_files_and_a_song_that_loads(versions, monkeypatch):
    song_file, files, old, new, _ = versions
    for failing in range(9):
        _restore(song_file, files)
        _steps(monkeypatch, failing, OSError(errno.ENOSPC, "No space left on device"), True)
        with pytest.raises(OSError, match="No space left"):
            save_song(new, song_file)
        assert not [n for n in _files(song_file) if n.endswith(".part")], failing
        assert _signature(load_song(song_file)) in {_signature(old), _signature(new)}
        staged = commit.named_notes(song_file) == "blue.next.mid"
        assert _files(song_file) == sorted(["blue.mid", "blue.toml"] + ["blue.next.mid"] * staged)


def test_a_new_song_is_written_straight(tmp_path, monkeypatch):
    from psc_looper.songs.song import Song

    done = _steps(monkeypatch, None, Crash())
    save_song(Song(name="fresh"), tmp_path / "fresh.toml")
    assert done == ["write", "replace", "write", "replace"]
    assert _files(tmp_path / "fresh.toml") == ["fresh.mid", "fresh.toml"]
