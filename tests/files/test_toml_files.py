"""Hostile and clumsy TOML files (songs, set lists, controller maps, performer configs)
through the real commands: exit code 2 and one line naming the file, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.files.cli import RUN, refused

ROOT = Path(__file__).resolve().parent.parent.parent
DEEP = "[" * 5000 + "]" * 5000
COMMANDS = {
    "song": lambda p: ["song", "check", str(p)],
    "setlist": lambda p: ["song", "show", str(p)],
    "run-song": lambda p: [*RUN, "--song", str(p)],
    "run-setlist": lambda p: [*RUN, "--setlist", str(p)],
    "maps": lambda p: ["maps", str(p)],
    "run-controller": lambda p: [*RUN, "--controller", str(p)],
    "run-config": lambda p: [*RUN, "--config", str(p)],
}
SONG_HEAD = "format = 1\n"


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "in.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("command, text", [
    ("song", f"{SONG_HEAD}name = {DEEP}\n"),
    ("setlist", f"{SONG_HEAD}songs = {DEEP}\n"),
    ("run-song", f"{SONG_HEAD}name = {DEEP}\n"),
    ("run-setlist", f"{SONG_HEAD}songs = {DEEP}\n"),
    ("maps", f"name = {DEEP}\n"),
    ("run-controller", f"name = {DEEP}\n"),
    ("run-config", f"[loop]\nbars = {DEEP}\n"),
    ("song", SONG_HEAD + ".".join(["a"] * 3000) + " = 1\n"),
    ("maps", "x = " + "{a = " * 2000 + "1" + "}" * 2000 + "\n"),
])
def test_deep_nesting_is_refused_before_parsing(tmp_path, capsys, command, text):
    path = _file(tmp_path, text)
    refused(COMMANDS[command](path), path, "nested deeper than 16 levels", capsys)


def test_deep_nesting_from_a_real_process_is_one_line(tmp_path):
    path = _file(tmp_path, f"{SONG_HEAD}name = {DEEP}\n")
    done = subprocess.run([sys.executable, "-m", "psc_looper", "song", "check", str(path)],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "nested deeper" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("command, text, reason", [
    ("maps", "buttons = [1, 2]\n", '[buttons] must be a table of CC = "action", not [1, 2]'),
    ("run-controller", "buttons = [1, 2]\n", "[buttons] must be a table"),
    ("maps", "[continuous]\n7 = 5\n", "[continuous] 7 = 5: an action is a string"),
    ("maps", "[buttons]\n300 = \"play\"\n", "key '300' is not a CC number 0..127"),
    ("maps", "channel = true\n", "channel must be -1..15, not True"),
    ("maps", "source = 3\n", "source must be a string, not 3"),
    ("maps", "sauce = \"x\"\n", "unknown key 'sauce'"),
    ("maps", "[buttons]\n10 = \"explode\"\n", "[buttons] 10 = 'explode': unknown action"),
    ("maps", "[continuous]\n1 = \"volume:kazoo\"\n", "volume takes click, bass"),
    ("maps", "[continuous]\n1 = \"volume\"\n", "volume needs one of click"),
    ("maps", "[buttons]\n16 = \"tempo\"\n", "tempo needs a knob, slider or pedal, not a button"),
    ("run-controller", "[buttons]\n10 = \"explode\"\n", "unknown action 'explode'"),
    ("run-controller", "[buttons]\n16 = \"tempo\"\n", "not a button"),
])
def test_a_bad_controller_map_is_refused_at_load(tmp_path, capsys, command, text, reason):
    path = _file(tmp_path, text)
    refused(COMMANDS[command](path), path, reason, capsys)


@pytest.mark.parametrize("command, text, reason", [
    ("song", "format = -5\n", "format must be 1, not -5"),
    ("song", "format = 0\n", "format must be 1, not 0"),
    ("song", f"{SONG_HEAD}name = 5\n", "name must be a string, not 5"),
    ("run-song", f"{SONG_HEAD}name = 5\n", "name must be a string, not 5"),
    ("song", f"{SONG_HEAD}[loop]\nbars = 65\n", "[loop] bars = 65"),
    ("song", f"{SONG_HEAD}layers = 3\n", "layers must be a list"),
    ("song", f"{SONG_HEAD}notes = 3\nlayers = [{{track='bass', kind='record', "
             "midi_track='x'}]\n", "notes must be a string, not 3"),
    ("song", f'{SONG_HEAD}chart = "Dm7 | {"Q" * 100_000}"\n', "unknown chord symbol 'QQQ"),
    ("run-config", f'[improv]\nchanges = "{"Q" * 100_000}"\n', "[improv] changes = 'QQQ"),
    ("maps", f'[buttons]\n1 = "{"x" * 100_000}"\n', "unknown action 'xxx"),
])
def test_loose_values_are_refused_with_the_path_once(tmp_path, capsys, command, text, reason):
    path = _file(tmp_path, text)
    refused(COMMANDS[command](path), path, reason, capsys)


@pytest.mark.parametrize("command", ["song", "maps", "run-config", "run-song"])
def test_a_fifo_or_a_folder_is_refused_at_once(tmp_path, capsys, command):
    import os

    fifo = tmp_path / "in.toml"
    os.mkfifo(fifo)
    refused(COMMANDS[command](fifo), fifo, "a FIFO, not a regular file", capsys)
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    refused(COMMANDS[command](folder), folder, "a folder, not a regular file", capsys)
