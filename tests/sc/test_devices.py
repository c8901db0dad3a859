"""Audio device and period choice with a real bridge on a JACK server of its own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from psc_looper.commands.devices import audio_device
from psc_looper.sc.jack import running_period
from psc_looper.sc.launcher import Bridge
from psc_looper.sc.period import XrunWatch, probed
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
