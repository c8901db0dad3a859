"""One real bridge (jackd + scsynth + sclang) for the whole session, and a stand-in backend."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from psc_looper.osc.capture import UdpCapture
from psc_looper.sc.testing import LiveBridge, running_bridge


@pytest.fixture(scope="session")
def bridge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBridge]:
    """Started once; never skipped: a missing SuperCollider fails loudly."""
    with running_bridge(tmp_path_factory.mktemp("bridge")) as live:
        yield live


@pytest.fixture
def quiet(bridge: LiveBridge) -> LiveBridge:
    """The bridge with every voice freed, nothing scheduled, and the output silent."""
    bridge.panic()
    deadline = time.monotonic() + 2
    while bridge.status()["voices"] and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)  # the onset monitor's level falls back below its threshold
    return bridge


@pytest.fixture
def peer(bridge: LiveBridge) -> Iterator[UdpCapture]:
    """A stand-in backend listening where the bridge sends MIDI and /ready."""
    inbox = UdpCapture(port=bridge.backend_port)
    yield inbox
    inbox.close()
