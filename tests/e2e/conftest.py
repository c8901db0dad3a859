"""End to end: a real bridge (jackd + scsynth + sclang) and the real backend on a RealClock.

``live_bridge`` (session) is a ``LiveBridge``: ``sim_note_on``, ``sim_cc``,
``start_recording``/``record_from``, ``stop_recording``, ``onsets``, ``monitor``,
``status``; ``backend`` (per test) is a started ``Backend`` listening on
``live_bridge.backend_port`` and sending to the bridge.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from psc_looper.app import Backend, BackendConfig
from psc_looper.sc.testing import LiveBridge, running_bridge


@pytest.fixture(scope="session")
def live_bridge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBridge]:
    with running_bridge(tmp_path_factory.mktemp("e2e-bridge")) as live:
        yield live


@pytest.fixture
def backend(live_bridge: LiveBridge) -> Iterator[Backend]:
    live_bridge.panic()
    time.sleep(0.2)  # let the output fall silent for the onset monitor
    app = Backend(BackendConfig(listen_port=live_bridge.backend_port,
                                bridge_port=live_bridge.process.port))
    app.start()
    try:
        yield app
    finally:
        app.close()
