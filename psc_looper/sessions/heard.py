"""Hearing a session: replay it through the real SuperCollider bridge and record the sound.

The session's keys and controller go into sclang as simulated MIDI (the bridge's
``/sim/*`` commands call the same handlers a device fires), a real-time backend
plays the loop and the machine's parts, and scsynth records its output to a WAV.
Takes as long as the session lasts. The caller gives the backend to play it with
(``app.Backend``: this module sits below the app and does not import it).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from psc_looper.config.backend import BackendConfig
from psc_looper.sc.client import SIM_ADDRESSES
from psc_looper.sc.launcher import Bridge, BridgeConfig
from psc_looper.sc.procs import free_udp_port
from psc_looper.sessions.reader import SessionFile
from psc_looper.sessions.replay import ReplayOptions, replay_config, replay_inputs, replay_udp

TAIL_SECONDS = 1.5  # recorded after the last input, for the last notes to ring out


class Playing(Protocol):
    """A backend as ``hear`` runs it."""

    def start(self) -> None: ...

    def close(self) -> None: ...


def hear(session: SessionFile, options: ReplayOptions, wav: Path,
         backend: Callable[[BackendConfig], Playing]) -> Path:
    """Play ``session`` through the bridge in real time with ``backend(config)``; the
    server's output goes to ``wav``."""
    config = dataclasses.replace(replay_config(session, options), inline_generation=False,
                                 listen_port=free_udp_port(), bridge_port=free_udp_port())
    bridge_config = BridgeConfig(port=config.bridge_port, server_port=free_udp_port(),
                                 backend_port=config.listen_port, sim=True,
                                 log_path=wav.with_suffix(".bridge.log"),
                                 recordings_dir=wav.parent.resolve())
    wav.parent.mkdir(parents=True, exist_ok=True)
    playing = backend(config)  # loads the models (in their own processes) before the clock runs
    with Bridge(bridge_config) as bridge:
        playing.start()
        assert bridge.client is not None
        try:
            bridge.client.start_recording(str(wav.resolve()))
            replay_udp(replay_inputs(session, options, config), "127.0.0.1", bridge.port,
                       rename=SIM_ADDRESSES)
            time.sleep(TAIL_SECONDS)
        finally:
            playing.close()
            bridge.client.stop_recording()
    return wav
