"""Supervision against real SuperCollider: kill sclang, kill scsynth; each time the bridge
comes back within seconds, nothing orphaned keeps its ports, and the loop is heard again."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from psc_looper.app import Backend, BackendConfig
from psc_looper.sc.procs import udp_port_free
from psc_looper.sc.supervisor import Supervisor
from psc_looper.sc.testing import LiveBridge, running_bridge

pytestmark = pytest.mark.e2e
BACK_WITHIN = 20.0  # seconds, boot included, on a loaded CI machine


def group_members(pgid: int) -> dict[int, str]:
    """pid -> command name of the live processes in a process group."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            found[int(stat.parent.name)] = name
    return found


def heard(live: LiveBridge, timeout: float) -> bool:
    """The loop's clicks make the output level rise within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if live.level(timeout=0.5) > 0.005:
                return True
        except TimeoutError:
            pass
        time.sleep(0.1)
    return False


def wait_restarts(supervisor: Supervisor, count: int) -> bool:
    deadline = time.monotonic() + BACK_WITHIN
    while supervisor.restarts < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return supervisor.restarts >= count


def test_killed_sclang_and_killed_scsynth_each_come_back_and_the_loop_plays_on(tmp_path):
    with running_bridge(tmp_path) as live:
        bridge = live.process
        backend = Backend(BackendConfig(listen_port=live.backend_port, bridge_port=bridge.port,
                                        qpm=180))
        backend.start()
        supervisor = Supervisor(bridge, backend.peer, backend.looper.panic).start()
        try:
            backend.looper.play()
            assert heard(live, 5)
            for victim in ("sclang", "scsynth"):
                members = group_members(bridge.pid)  # type: ignore[arg-type]
                pid = next(p for p, name in members.items() if name == victim)
                killed = time.monotonic()
                os.kill(pid, signal.SIGKILL)
                expected = 1 if victim == "sclang" else 2
                assert wait_restarts(supervisor, expected), f"no restart after killing {victim}"
                assert heard(live, 5), f"the loop is not heard after {victim} came back"
                took = time.monotonic() - killed
                assert took < BACK_WITHIN
                names = sorted(group_members(bridge.pid).values())  # type: ignore[arg-type]
                assert names.count("sclang") == names.count("scsynth") == 1  # no orphan left
                assert backend.looper.snapshot().playing
            assert "2 restarts" in supervisor.describe()
        finally:
            supervisor.stop()
            backend.close()
    assert udp_port_free(bridge.config.port) and udp_port_free(bridge.config.server_port)
