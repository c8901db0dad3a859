"""Running the real command line on a user's file: the one-line error contract."""

from __future__ import annotations

from pathlib import Path

from psc_looper.cli import main

RUN = ["run", "--no-sc", "--no-record", "--status", "off", "--duration", "0.1", "--no-models"]


def refused(argv: list[str], path: Path, reason: str, capsys) -> str:
    """Run ``argv``: exit code 2, one line naming ``path`` once and ``reason``, no
    traceback, nothing written in ``path``'s folder. Returns the line."""
    before = sorted(p.name for p in path.parent.iterdir())
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, lines[:3]
    assert "Traceback" not in captured.err and len(lines[0]) <= 400
    assert lines[0].count(str(path)) == 1, lines[0]
    assert reason in lines[0], lines[0]
    assert sorted(p.name for p in path.parent.iterdir()) == before
    return lines[0]
