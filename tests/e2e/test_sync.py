"""MIDI clock through the real bridge: the loop's clock reaches a (captured) MIDI
output at its time tags; a (simulated) MIDI clock input leads the loop."""

from __future__ import annotations

import re
import time

import numpy as np
import pytest

from psc_looper.osc.protocol import CLOCK_PULSE, CLOCK_START, CLOCK_STOP
from psc_looper.sc.testing import LiveBridge
from psc_looper.sync import SyncOptions
from tests.e2e.conftest import MakeBackend

pytestmark = pytest.mark.e2e


def test_the_loops_clock_reaches_the_bridges_midi_output(
        live_bridge: LiveBridge, make_backend: MakeBackend) -> None:
    backend = make_backend(qpm=120.0, sync=SyncOptions(clock_out="sim"))
    live_bridge.request("/sim/clockout", 1, reply="/sim/clockout")
    try:
        since = time.time()
        backend.looper.play()
        time.sleep(2.0)
        backend.looper.stop()
        stopped = time.time()
        live_bridge.first("/sim/clocked", since=stopped,
                          where=lambda r: r.args[0] == CLOCK_STOP, timeout=2)
    finally:
        live_bridge.request("/sim/clockout", 0, reply="/sim/clockout")
    got = live_bridge.matching("/sim/clocked", since=since)
    kinds = [r.args[0] for r in got]
    assert kinds[0] == CLOCK_START and kinds[-1] == CLOCK_STOP
    assert set(kinds[1:-1]) == {CLOCK_PULSE}
    pulses = np.array([r.args[2] for r in got if r.args[0] == CLOCK_PULSE])  # sclang's time
    assert 70 <= len(pulses) <= 100  # 48 a second for about 1.9 s (lookahead: 0.25 s)
    assert np.median(np.diff(pulses)) == pytest.approx(0.5 / 24, abs=0.0005)


def test_a_midi_clock_into_the_bridge_leads_the_loop(
        live_bridge: LiveBridge, make_backend: MakeBackend) -> None:
    backend = make_backend(qpm=100.0, sync=SyncOptions(clock_in="drum machine"))

    def clock_byte(kind: int, value: int = 0) -> None:
        live_bridge.send("/sim/clockbyte", kind, value, "drum machine")

    period = 60.0 / 125.0 / 24
    due = time.perf_counter() + 0.05

    def pulses(count: int) -> None:
        nonlocal due
        for _ in range(count):
            time.sleep(max(0.0, due - time.perf_counter()))
            clock_byte(CLOCK_PULSE)
            due += period

    # The precision is measured on the virtual clock (tests/sync); here the pulses come
    # from a sleeping Python thread through the bridge, late in bursts on loaded cores.
    slack = 8.0
    pulses(24 * 3)
    assert backend.looper.qpm == pytest.approx(125.0, abs=slack)  # stopped, following
    clock_byte(CLOCK_START)
    pulses(24 * 4)
    assert backend.looper.next_due() is not None  # started by the leader
    line = backend.looper.snapshot().extras["sync"]
    found = re.match(r"clock-in drum machine leads at (\d+\.\d) qpm", line)
    assert found and float(found[1]) == pytest.approx(125.0, abs=slack), line
    time.sleep(1.5)  # the leader vanishes: the loop plays on at its tempo
    assert backend.looper.next_due() is not None
    assert backend.looper.qpm == pytest.approx(125.0, abs=slack)
    assert any("drum machine stopped sending clock" in w
               for w in backend.looper.snapshot().warnings)
    clock_byte(CLOCK_STOP)
    deadline = time.monotonic() + 2
    while backend.looper.next_due() is not None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert backend.looper.next_due() is None
