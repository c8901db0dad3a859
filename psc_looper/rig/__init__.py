"""The whole instrument run in-process: ``VirtualRig`` here, and built on it or on a
real-time backend ``replay`` (a session's input into a backend), ``heard`` (through
the SuperCollider bridge, recorded) and ``demos`` (the shipped demo sessions). With
the commands, the only place that builds a ``Backend``.

An in-process instrument on the virtual clock: dummy keyboard and controller in,
captured OSC out.

``VirtualRig`` builds a ``Backend`` on a ``VirtualClock`` with a ``CaptureOutput``
and lets a test or a replay drive the timeline: advance time (every step due is
played on the way) and send input as OSC datagrams through the same dispatcher the
UDP server feeds. Runs as fast as the machine allows, with identical results.
"""

from __future__ import annotations

from pythonosc.osc_message_builder import build_msg

from psc_looper.app import Backend, BackendConfig
from psc_looper.osc.ports import CaptureOutput, Sent
from psc_looper.osc.protocol import CC_EVENT, NOTE_OFF, NOTE_ON
from psc_looper.timing.clock import VirtualClock


class VirtualRig:
    def __init__(self, config: BackendConfig | None = None, source: str = "keyboard") -> None:
        self.clock = VirtualClock()
        self.output = CaptureOutput(self.clock)
        self.backend = Backend(config, self.clock, self.output)
        self.looper = self.backend.looper
        self.transport = self.backend.transport
        self.source = source
        self.controller_source = "nanoKONTROL2"

    @property
    def now(self) -> float:
        return self.clock.now()

    def advance_to(self, t: float) -> None:
        """Move time to ``t``, playing every step due on the way."""
        self.transport.run_until(t)
        self.clock.advance_to(t)

    def advance(self, seconds: float) -> None:
        self.advance_to(self.now + seconds)

    def step_time(self, step: float) -> float:
        """Clock time of absolute step ``step`` on the current schedule."""
        return self.looper.schedule.time_of(step)

    def advance_to_step(self, step: float) -> None:
        self.advance_to(self.step_time(step))

    def send(self, address: str, *args: int | float | str) -> int:
        """Deliver one OSC message as raw bytes through the dispatcher."""
        return self.backend.dispatcher.dispatch(build_msg(address, list(args)).dgram)

    def note_on(self, note: int, velocity: int = 100) -> None:
        self.send(NOTE_ON, note, velocity, 0, self.source)

    def note_off(self, note: int) -> None:
        self.send(NOTE_OFF, note, 0, 0, self.source)

    def cc(self, cc: int, value: int = 127) -> None:
        self.send(CC_EVENT, cc, value, 0, self.controller_source)

    def press(self, cc: int) -> None:
        """A controller button: press then release."""
        self.cc(cc, 127)
        self.cc(cc, 0)

    @property
    def sent(self) -> list[Sent]:
        return self.output.sent
