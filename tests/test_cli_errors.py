"""Errors a user meets: one line naming the file and the reason, exit code 2; a traceback
only with -v."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from psc_looper.cli import main

ROOT = Path(__file__).resolve().parent.parent
RUN = ["run", "--no-sc", "--no-record", "--status", "off", "--duration", "0.1"]


@pytest.fixture
def binary_toml(tmp_path: Path) -> Path:
    path = tmp_path / "pedal.toml"
    path.write_bytes(bytes(range(256)) * 8)
    return path


def test_a_controller_file_that_is_not_toml_is_one_line(binary_toml, capsys):
    assert main([*RUN, "--no-models", "--controller", str(binary_toml)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"psc-looper: error: {binary_toml}: not a controller map (TOML text), "
                   "it is not UTF-8 text"]


def test_verbose_adds_the_traceback(binary_toml, capsys):
    assert main(["-v", *RUN, "--no-models", "--controller", str(binary_toml)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and err.strip().endswith("it is not UTF-8 text")


@pytest.mark.parametrize("content, reason", [
    (None, "no such bundle file"),
    (b"garbage", "corrupt or truncated"),
    ("drums", "is a drums_rnn bundle, not melody_rnn"),
])
def test_bad_bundles_are_one_line_from_the_real_command(tmp_path, content, reason):
    path = tmp_path / "melody.mag"
    if content == "drums":
        path = ROOT / "psc_looper" / "bundles" / "drums.mag"
    elif content is not None:
        path.write_bytes(content)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "psc_looper", *RUN, "--melody-bundle", str(path),
                           "--drums-bundle", str(path)],
                          capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"psc-looper: error: {path}: ") and reason in last
