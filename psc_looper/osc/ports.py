"""Output ports: where the backend's OSC goes.

``OutputPort.send(messages, at)`` sends a batch of ``(address, args)``; ``at`` is
the clock time the batch should sound, or None for "now". ``UdpOutput`` sends a
time-tagged bundle when ``at`` is given and timing is on, plain messages
otherwise. ``CaptureOutput`` keeps everything for tests (as isobar's dummy output
and supriya's capture do). ``TeeOutput`` fans one batch out to several ports.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from pythonosc.osc_bundle_builder import OscBundleBuilder
from pythonosc.osc_message_builder import OscMessageBuilder, build_msg

from psc_looper.timing.clock import Clock

log = logging.getLogger(__name__)

OscOut = tuple[str, tuple[int | float | str, ...]]


def bundle_at(wall: float) -> OscBundleBuilder:
    """An empty bundle time-tagged with wall-clock seconds ``wall``."""
    # python-osc annotates the time tag as int; it takes (and encodes) float seconds.
    return OscBundleBuilder(wall)  # type: ignore[arg-type]


class OutputPort(Protocol):
    def send(self, messages: Sequence[OscOut], at: float | None = None) -> None: ...


@dataclass(frozen=True)
class Sent:
    """One captured outbound message: when it should sound, what, and when it was sent."""

    at: float | None
    address: str
    args: tuple[int | float | str, ...]
    sent: float


class CaptureOutput:
    """Keeps every message sent, with the clock time it was sent at. Thread-safe."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._sent: list[Sent] = []

    def send(self, messages: Sequence[OscOut], at: float | None = None) -> None:
        now = self._clock.now()
        with self._lock:
            self._sent.extend(Sent(at, a, tuple(args), now) for a, args in messages)

    @property
    def sent(self) -> list[Sent]:
        with self._lock:
            return list(self._sent)

    def clear(self) -> None:
        with self._lock:
            self._sent.clear()


class UdpOutput:
    """Sends OSC over UDP; time-tagged bundles for scheduled batches when ``timed``."""

    def __init__(self, host: str, port: int, clock: Clock, timed: bool = True) -> None:
        self._address = (host, port)
        self._clock = clock
        self.timed = timed
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # sendto: thread-safe

    def send(self, messages: Sequence[OscOut], at: float | None = None) -> None:
        if not messages:
            return
        target = self._address  # fixed: a restarted bridge listens on the same port
        try:
            if at is not None and self.timed:
                bundle = bundle_at(self._clock.to_wall(at))
                for address, args in messages:
                    bundle.add_content(build_msg(address, list(args)))
                self._sock.sendto(bundle.build().dgram, target)
            else:
                for address, args in messages:
                    self._sock.sendto(_message(address, args), target)
        except OSError as exc:  # the bridge may be down; the loop keeps going
            log.debug("OSC send to %s failed: %s", target, exc)

    def close(self) -> None:
        self._sock.close()


class TeeOutput:
    """Sends every batch to each of its ports in turn."""

    def __init__(self, *ports: OutputPort) -> None:
        self.ports = list(ports)

    def send(self, messages: Sequence[OscOut], at: float | None = None) -> None:
        for port in self.ports:
            port.send(messages, at)


def _message(address: str, args: Sequence[int | float | str]) -> bytes:
    builder = OscMessageBuilder(address)
    for value in args:
        builder.add_arg(value)
    return builder.build().dgram
