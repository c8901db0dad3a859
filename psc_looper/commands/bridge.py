"""The SuperCollider bridge a command starts for itself (``run``, ``maps --learn``):
up for the command's duration, supervised when there is a backend to look after, or a
clear word on why there is none."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from psc_looper.sc.launcher import SERVER_PORT

if TYPE_CHECKING:
    from psc_looper.app import Backend
    from psc_looper.looper.engine import Looper
    from psc_looper.sc.launcher import Bridge
    from psc_looper.sc.period import Probed


@contextlib.contextmanager
def command_bridge(bridge_port: int, backend_port: int, *, server_port: int = SERVER_PORT,
                   midi_out: str | None = None, backend: Backend | None = None,
                   sample_rate: int | None = None, period: int | None = None,
                   probe: bool = False, jack_args: tuple[str, ...] | None = None,
                   ) -> Iterator[Bridge | None]:
    """The bridge on ``bridge_port`` sending to ``backend_port``, or None when it cannot
    start (said on stdout). With ``backend`` it is supervised: restarted when it dies or
    goes silent, every sounding note then released, and the status view shows JACK's
    period and xruns. ``probe`` (with no ``period``): JACK's period chosen by a short
    probe (``sc.period``). ``jack_args``: jackd's driver (``devices.audio_device``)."""
    from psc_looper.sc.jack import PERIOD, SAMPLE_RATE
    from psc_looper.sc.launcher import Bridge, BridgeConfig, BridgeError, SuperColliderMissing
    from psc_looper.sc.period import probed
    from psc_looper.sc.supervisor import Supervisor

    rate = sample_rate or SAMPLE_RATE

    def started(frames: int | None) -> Bridge:
        return Bridge(BridgeConfig(port=bridge_port, backend_port=backend_port,
                                   server_port=server_port, midi_out=midi_out,
                                   sample_rate=sample_rate, period=frames,
                                   jack_args=jack_args)).start()

    try:
        if probe and period is None:  # the smallest period that runs without xruns here
            bridge, choice = probed(started)
            period = choice.period
            print(f"psc-looper: {choice.describe(rate)}", flush=True)
        else:
            bridge = started(period)
    except SuperColliderMissing as exc:
        print(f"psc-looper: {exc}; running the backend alone", flush=True)
        yield None
        return
    except BridgeError as exc:
        print(f"psc-looper: the SuperCollider bridge did not start: {exc}", flush=True)
        yield None
        return
    print(f"psc-looper: SuperCollider bridge up on port {bridge.port} (log {bridge.log_path})",
          flush=True)
    supervisor = None
    if backend is not None:
        supervisor = Supervisor(bridge, backend.peer, backend.looper.panic).start()
        backend.looper.add_status("supervisor", supervisor.describe)
        watch_audio(backend.looper, bridge, period or PERIOD, rate)
    try:
        yield bridge
    finally:
        if supervisor is not None:
            supervisor.stop()
        bridge.stop()


def watch_audio(looper: Looper, bridge: Probed, period: int, rate: int) -> None:
    """The audio line (JACK's period and the xruns since now) in the terminal's status
    view, and its values in the snapshot's facts for the stage view."""
    from psc_looper.sc.period import XrunWatch

    watch = XrunWatch(bridge, period, rate)
    looper.add_status("audio", watch.describe)
    looper.add_facts("audio", lambda: watch.view()._asdict())
