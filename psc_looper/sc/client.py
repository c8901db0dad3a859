"""A control client for the running bridge: its ``/bridge/*`` and ``/sim/*`` commands.

One UDP socket sends and receives (a ``UdpCapture``), so the bridge's replies
(which go back to the sender's address) land in its record, which ``first`` and
``wait_for`` search. The client also sends what the backend sends (``play``,
``stop``, ``panic``), plain or time-tagged.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from pythonosc.osc_bundle_builder import IMMEDIATELY
from pythonosc.osc_message_builder import build_msg

from psc_looper.osc.capture import Received, UdpCapture
from psc_looper.osc.ports import bundle_at
from psc_looper.osc.protocol import (
    CC_EVENT,
    NOTE_OFF,
    NOTE_ON,
    PANIC_ADDRESS,
    Instrument,
    play_address,
    stop_address,
)

OscArg = int | float | str
# The bridge's simulated MIDI input (with PSC_SIM=1) for each message it forwards to
# the backend: same arguments (number, value, channel, source), fired as by a device.
SIM_ADDRESSES = {NOTE_ON: "/sim/noteon", NOTE_OFF: "/sim/noteoff", CC_EVENT: "/sim/cc"}
KEPT_REPLIES = 5000  # the client may live as long as the app: keep the newest only


class BridgeClient(UdpCapture):
    """Talks to the bridge at ``host:port`` from its own ephemeral UDP port."""

    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        super().__init__(keep=KEPT_REPLIES)
        self.target = (host, port)

    # -- sending ------------------------------------------------------------------

    def send(self, address: str, *args: OscArg, at: float | None = None) -> None:
        """A plain message, or a bundle time-tagged with wall-clock time ``at``."""
        message = build_msg(address, list(args))
        if at is None:
            self.send_datagram(message.dgram, self.target)
            return
        bundle = bundle_at(at if at > 0 else IMMEDIATELY)
        bundle.add_content(message)
        self.send_datagram(bundle.build().dgram, self.target)

    def send_bundle(self, messages: Sequence[tuple[str, Sequence[OscArg]]], at: float) -> None:
        """Several messages in one bundle time-tagged with wall-clock time ``at``."""
        bundle = bundle_at(at)
        for address, args in messages:
            bundle.add_content(build_msg(address, list(args)))
        self.send_datagram(bundle.build().dgram, self.target)

    def play(self, instrument: Instrument, note: int = 60, velocity: int = 100,
             at: float | None = None) -> None:
        self.send(play_address(instrument), note, velocity, at=at)

    def stop(self, instrument: Instrument, note: int = 60, at: float | None = None) -> None:
        self.send(stop_address(instrument), note, 0, at=at)

    def panic(self) -> None:
        self.send(PANIC_ADDRESS)

    # -- simulated MIDI input (bridge started with sim=True) -----------------------

    def sim_note_on(self, note: int, velocity: int = 100, channel: int = 0,
                    source: str | int = "keyboard") -> None:
        self.send(SIM_ADDRESSES[NOTE_ON], note, velocity, channel, source)

    def sim_note_off(self, note: int, velocity: int = 0, channel: int = 0,
                     source: str | int = "keyboard") -> None:
        self.send(SIM_ADDRESSES[NOTE_OFF], note, velocity, channel, source)

    def sim_cc(self, cc: int, value: int, channel: int = 0,
               source: str | int = "nanoKONTROL2") -> None:
        self.send(SIM_ADDRESSES[CC_EVENT], cc, value, channel, source)

    # -- requests with replies ------------------------------------------------------

    def request(self, address: str, *args: OscArg, reply: str, timeout: float = 5.0,
                at: float | None = None) -> Received:
        """Send and wait for the next message at ``reply`` that arrives after sending."""
        since = time.time()
        self.send(address, *args, at=at)
        return self.first(reply, timeout=timeout, since=since)

    def ping(self, timeout: float = 2.0) -> float:
        """Round trip to sclang and back, in seconds."""
        token = time.perf_counter_ns() % 2_000_000_000
        start = time.perf_counter()
        self.request("/bridge/ping", token, reply="/bridge/pong", timeout=timeout)
        return time.perf_counter() - start

    def status(self, timeout: float = 2.0) -> dict[str, int]:
        """Voices per instrument, plus ``port``, ``voices``, ``midi_out``, ``recording``."""
        args = self.request("/bridge/status", reply="/bridge/status", timeout=timeout).args
        head = dict(zip(("port", "voices", "midi_out", "recording"), args[:4], strict=True))
        pairs = args[4:]
        head.update({str(pairs[i]): int(pairs[i + 1]) for i in range(0, len(pairs), 2)})
        return {k: int(v) for k, v in head.items()}

    def start_recording(self, path: str, at: float | None = None, timeout: float = 5.0) -> float:
        """Record the server's output to a stereo 16-bit WAV, from wall-clock ``at`` if given.

        Returns how late the recording started after ``at`` (0.0: on time), when
        opening the file took longer than the lead.
        """
        reply = self.request("/bridge/record", str(path), reply="/bridge/recording",
                             timeout=timeout, at=at)
        return float(reply.args[1]) if len(reply.args) > 1 else 0.0

    def stop_recording(self, timeout: float = 15.0) -> str:
        """Stop and close the recording; returns its path ("" if none was running). The
        bridge keeps recording 1.4 s (its disk buffer) before it closes the file, and a
        loaded machine may take seconds more: hence the long default timeout."""
        return str(self.request("/bridge/stoprecord", reply="/bridge/recorded",
                                timeout=timeout).args[0])

    def monitor(self, low: float = 0.003, high: float = 0.01) -> None:
        """Ask for ``/bridge/onset`` and ``/bridge/silent`` reports of the output level."""
        self.request("/bridge/monitor", float(low), float(high), reply="/bridge/monitoring")

    def level(self, timeout: float = 2.0) -> float:
        """The output level now (an amplitude follower; starts the monitor if needed)."""
        return float(self.request("/bridge/level", reply="/bridge/level", timeout=timeout).args[0])

    def announce(self, timeout: float = 2.0) -> int:
        """Ask the bridge to re-announce; returns the port in its ``/ready``."""
        return int(self.request("/bridge/announce", reply="/ready", timeout=timeout).args[0])

    def quit(self) -> None:
        self.send("/bridge/quit")
