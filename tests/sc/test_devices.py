"""Audio device and period choice with a real bridge on a JACK server of its own."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from psc_looper.commands.devices import audio_device
from psc_looper.sc.jack import running_period
from psc_looper.sc.launcher import ROOT, Bridge
from psc_looper.sc.period import XrunWatch, probed
from psc_looper.sc.procs import free_udp_port
from psc_looper.sc.testing import bridge_test_config

pytestmark = pytest.mark.e2e


def test_the_probe_keeps_a_bridge_on_the_chosen_device_and_period(tmp_path: Path) -> None:
    name = f"psc-devices-{os.getpid()}"  # not the session's server (tests/conftest.py)
    started: list[Bridge] = []

    def start(period: int) -> Bridge:
        config = bridge_test_config(tmp_path, jack_name=name, period=period,
                                    jack_args=audio_device("dummy"),
                                    log_path=tmp_path / f"bridge-{period}.log")
        started.append(Bridge(config))
        return started[-1].start()

    try:
        bridge, choice = probed(start, candidates=(128, 256), seconds=0.3)
        assert choice.period in (128, 256)  # 128 unless this machine xruns at it
        assert running_period(name) == choice.period
        assert bridge.client is not None
        bridge.client.ping()  # it answers (TimeoutError otherwise)
        assert XrunWatch(bridge, choice.period, 48000).describe().startswith(
            f"JACK {choice.period} frames @ 48000 Hz, 0 xruns")
        assert [b.alive() for b in started] == [False] * (len(started) - 1) + [True]
    finally:
        for bridge in started:
            bridge.stop()
    assert running_period(name) is None  # our jackd is gone with the bridge


def test_run_says_the_period_it_chose_and_the_status_shows_the_xruns(tmp_path: Path) -> None:
    env = {**os.environ, "JACK_DEFAULT_SERVER": f"psc-run-{os.getpid()}", "PYTHONPATH":
           os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    ports = [str(free_udp_port()) for _ in range(3)]
    done = subprocess.run(
        [sys.executable, "-m", "psc_looper", "run", "--no-models", "--no-record",
         "--status", "log", "--duration", "1.5", "--listen-port", ports[0],
         "--bridge-port", ports[1], "--sc-server-port", ports[2]],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    chosen = re.search(r"JACK period (\d+) frames \(", done.stdout)
    assert chosen is not None, done.stdout
    assert f"audio: JACK {chosen.group(1)} frames @ 48000 Hz, " in done.stderr
