"""Hearing a session: replay it through the real SuperCollider bridge and record the sound.

The session's keys and controller go into sclang as simulated MIDI (the bridge's
``/sim/*`` commands call the same handlers a device fires), a real-time backend
plays the loop and the machine's parts, and scsynth records its output to a WAV.
Takes as long as the session lasts.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from psc_looper.app import Backend
from psc_looper.rig.replay import ReplayOptions, replay_config, replay_inputs, replay_udp
from psc_looper.sc.client import SIM_ADDRESSES
from psc_looper.sc.launcher import Bridge, BridgeConfig
from psc_looper.sc.procs import free_udp_port
from psc_looper.sessions.reader import SessionFile

TAIL_SECONDS = 1.5  # recorded after the last input, for the last notes to ring out


@dataclass(frozen=True)
class Heard:
    """A session heard: its recording, and the xruns our jackd logged (None: not ours)."""

    wav: Path
    xruns: int | None


def hear(session: SessionFile, options: ReplayOptions, wav: Path) -> Heard:
    """Play ``session`` through the bridge in real time; the server's output goes to ``wav``
    (recorded in a private folder, as the bridge wants, then moved there)."""
    wav.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="psc-heard-") as private:
        recorded = Path(private).resolve() / wav.name
        xruns = _hear(session, options, recorded, wav.with_suffix(".bridge.log"))
        shutil.move(recorded, wav)
    return Heard(wav, xruns)


def _hear(session: SessionFile, options: ReplayOptions, wav: Path,
          log_path: Path) -> int | None:
    config = dataclasses.replace(replay_config(session, options), inline_generation=False,
                                 listen_port=free_udp_port(), bridge_port=free_udp_port())
    bridge_config = BridgeConfig(port=config.bridge_port, server_port=free_udp_port(),
                                 backend_port=config.listen_port, sim=True,
                                 log_path=log_path, recordings_dir=wav.parent)
    backend = Backend(config)  # loads the models (in their own processes) before the clock runs
    with Bridge(bridge_config) as bridge:
        backend.start()
        assert bridge.client is not None
        try:
            bridge.client.start_recording(str(wav.resolve()))
            replay_udp(replay_inputs(session, options, config), "127.0.0.1", bridge.port,
                       rename=SIM_ADDRESSES)
            time.sleep(TAIL_SECONDS)
        finally:
            backend.close()
            bridge.client.stop_recording()
        return bridge.jack.xruns()
