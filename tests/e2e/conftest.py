"""End to end: a real bridge (jackd + scsynth + sclang) and the real backend on a RealClock.

``live_bridge`` (session) is a ``LiveBridge``: ``sim_note_on``, ``sim_cc``,
``start_recording``/``record_from``, ``stop_recording``, ``onsets``, ``monitor``,
``status``; ``make_backend(**config)`` starts a ``Backend`` listening on
``live_bridge.backend_port`` and sending to the bridge (one at a time: they share
that port), closed after the test; ``backend`` is one with the default config.
The models' session bundles (``drums_bundle``, ``melody_bundle``) come from
tests/models.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from psc_looper.app import Backend, BackendConfig
from psc_looper.sc.testing import LiveBridge, running_bridge
from tests.models.conftest import drums_bundle, make_bundle, melody_bundle  # noqa: F401

MakeBackend = Callable[..., Backend]
# Loop events leave this early (default 0.1 s): on shared, loaded cores the loop thread
# may be held up longer than 0.1 s, and a bundle that arrives after its time tag
# sounds late. What these tests check is where the server plays what it was sent.
LOOKAHEAD = 0.25


@pytest.fixture(scope="session")
def live_bridge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBridge]:
    with running_bridge(tmp_path_factory.mktemp("e2e-bridge")) as live:
        yield live


@pytest.fixture
def make_backend(live_bridge: LiveBridge) -> Iterator[MakeBackend]:
    started: list[Backend] = []

    def make(**config: object) -> Backend:
        live_bridge.panic()
        time.sleep(0.2)  # let the output fall silent for the onset monitor
        config.setdefault("lookahead", LOOKAHEAD)
        app = Backend(BackendConfig(listen_port=live_bridge.backend_port,  # type: ignore[arg-type]
                                    bridge_port=live_bridge.process.port, **config))
        started.append(app)
        app.start()
        return app

    yield make
    for app in started:
        app.close()


@pytest.fixture
def backend(make_backend: MakeBackend) -> Backend:
    return make_backend()
