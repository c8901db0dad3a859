"""A bridge for tests: real jackd + scsynth + sclang on free ports, simulated MIDI on.

``running_bridge(tmp)`` yields a ``LiveBridge``: a ``BridgeClient`` (``sim_note_on``,
``sim_cc``, ``play``, ``start_recording``, ``stop_recording``, ``status``, ...)
that also knows ``backend_port`` (where the bridge sends MIDI and ``/ready``;
bind a stand-in ``UdpCapture(port=...)`` or start the real backend there) and finds
onsets in a recording (``onsets``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from psc_looper.sc.client import BridgeClient
from psc_looper.sc.launcher import Bridge, BridgeConfig
from psc_looper.sc.onsets import find_onsets
from psc_looper.sc.procs import free_udp_port


class LiveBridge(BridgeClient):
    """A client of a running test bridge, with its ports and its process."""

    def __init__(self, process: Bridge) -> None:
        super().__init__(process.port)
        self.process = process
        self.backend_port = process.config.backend_port

    def record_from(self, path: Path, lead: float = 0.5) -> float:
        """Record from ``lead`` s from now; returns the wall-clock time of the first sample.

        Schedule sounds after that time, then ``stop_recording()``; an onset at
        ``t`` seconds into the file sounded at wall-clock ``start + t``. Raises
        when the machine was too busy to start the recording on time.
        """
        start = time.time() + lead
        late = self.start_recording(str(path), at=start)
        if late > 0:
            self.stop_recording()
            raise RuntimeError(f"recording started {late:.3f} s late: machine overloaded")
        return start

    def wait_level(self, above: float | None = None, below: float | None = None,
                   timeout: float = 3.0) -> float:
        """Poll the output level until it is above or below a bound; returns it."""
        deadline = time.monotonic() + timeout
        while True:
            level = self.level()
            if (above is None or level > above) and (below is None or level < below):
                return level
            if time.monotonic() > deadline:
                raise TimeoutError(f"output level {level:.4f} not above {above} / below {below}")
            time.sleep(0.03)

    @staticmethod
    def onsets(path: str | Path, **kwargs: float) -> list[float]:
        """Onset times (seconds from the recording's start); see ``find_onsets``."""
        return find_onsets(path, **kwargs)


def bridge_test_config(tmp: Path, **overrides: Any) -> BridgeConfig:
    """Free ports, simulated MIDI, quick re-announcement, log in ``tmp``."""
    config = BridgeConfig(port=free_udp_port(), server_port=free_udp_port(),
                          backend_port=free_udp_port(), sim=True, ready_interval=0.5,
                          log_path=tmp / "bridge.log", recordings_dir=private_root(tmp))
    return replace(config, **overrides)  # replace() rejects a name BridgeConfig lacks


def private_root(folder: Path) -> Path:
    """The outermost folder holding ``folder`` (or itself) that is private to this user
    (mode 700, as the bridge wants its recordings folder): a test's temporary folders are
    its siblings or below it."""
    folder = folder.resolve()
    for candidate in reversed([folder, *folder.parents]):
        info = candidate.stat()
        if info.st_uid == os.geteuid() and not info.st_mode & 0o077:
            return candidate
    raise ValueError(f"{folder} is not in a private folder")


@contextmanager
def running_bridge(tmp: Path, **overrides: Any) -> Iterator[LiveBridge]:
    with Bridge(bridge_test_config(tmp, **overrides)) as process:
        live = LiveBridge(process)
        try:
            yield live
        finally:
            live.close()
