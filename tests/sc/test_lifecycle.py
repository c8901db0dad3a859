"""Starting and stopping leaves nothing behind, even when the start fails."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from psc_looper.sc.launcher import Bridge, BridgeError
from psc_looper.sc.procs import group_alive
from psc_looper.sc.testing import LiveBridge, bridge_test_config

pytestmark = pytest.mark.e2e


def test_busy_port_fails_at_once(tmp_path: Path) -> None:
    config = bridge_test_config(tmp_path)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as squatter:
        squatter.bind(("127.0.0.1", config.port))  # sclang would move to the next port
        with pytest.raises(BridgeError, match=f"port {config.port} is in use"):
            Bridge(config).start()


def test_failed_start_leaves_no_process(bridge: LiveBridge, tmp_path: Path) -> None:
    process = Bridge(bridge_test_config(tmp_path, samples_dir=tmp_path / "missing"))
    try:
        with pytest.raises(BridgeError, match="sclang exited with code 1"):
            process.start()
    finally:
        process.stop()
    assert "ERROR start-up: ERROR: no .wav samples" in process.log_path.read_text()
    assert process.jack.proc is None  # the session bridge's jackd was reused, not started
    assert not process.alive()
    assert process.pid is not None and not group_alive(process.pid)  # scsynth gone too


def test_session_bridge_runs_in_its_own_process_group(bridge: LiveBridge) -> None:
    assert bridge.process.alive()
    assert bridge.process.pid is not None and group_alive(bridge.process.pid)
    assert bridge.process.timings["bridge"] < 30
