"""Quitting ``run`` leaves no ``<defunct>`` children behind: every child that has exited
is waited for, whoever started it."""

from __future__ import annotations

import subprocess
import sys
import time

from psc_looper.cli import main
from psc_looper.sc.procs import defunct_children, reap_children

RUN = ["run", "--no-sc", "--no-record", "--status", "off", "--duration", "0.2", "--no-models"]


def _orphans(count: int) -> list[subprocess.Popen]:
    """Children that exit and that nobody waits for (as a model killed mid-generation)."""
    children = [subprocess.Popen([sys.executable, "-c", "pass"]) for _ in range(count)]
    deadline = time.monotonic() + 10
    while len(set(defunct_children()) & {c.pid for c in children}) < count:
        assert time.monotonic() < deadline, "children did not exit"
        time.sleep(0.02)
    return children


def test_reap_children_waits_for_every_exited_child():
    children = _orphans(3)
    assert reap_children() >= 3
    assert not set(defunct_children()) & {c.pid for c in children}


def test_quitting_run_leaves_no_defunct_children(capsys):
    children = _orphans(3)
    assert main(RUN) == 0
    assert "stopped, all notes off" in capsys.readouterr().out
    assert not set(defunct_children()) & {c.pid for c in children}
