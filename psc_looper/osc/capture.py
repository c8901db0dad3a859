"""A UDP peer that records every OSC message it receives: for tests and benchmarks.

Stands in for the SuperCollider bridge (or for the backend) on a real socket, so
tests assert on the traffic itself: when each datagram arrived (``perf_counter``),
its time tag (wall-clock seconds, None for a plain message), address and args.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

from pythonosc.osc_bundle import OscBundle
from pythonosc.osc_message import OscMessage
from pythonosc.parsing import osc_types


@dataclass(frozen=True)
class Received:
    arrived: float  # perf_counter() at receipt
    timetag: float | None  # bundle time tag as wall-clock seconds; None when untimed
    address: str
    args: tuple


class UdpCapture:
    """Binds ``host:port`` (port 0: any free one) and records in a thread until closed."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind((host, port))
        self._sock.settimeout(0.1)
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._new = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="osc-capture", daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self._sock.getsockname()[1]

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def wait_for(self, address: str, count: int = 1, timeout: float = 5.0) -> list[Received]:
        """Block until ``count`` messages to ``address`` arrived; return them (maybe fewer)."""
        deadline = time.monotonic() + timeout

        def matching() -> list[Received]:
            return [r for r in self._received if r.address == address]

        with self._new:
            while len(matching()) < count and (left := deadline - time.monotonic()) > 0:
                self._new.wait(left)
            return matching()

    def clear(self) -> None:
        with self._lock:
            self._received.clear()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1)
        self._sock.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            arrived = time.perf_counter()
            items = list(_parse(data, arrived))
            with self._new:
                self._received.extend(items)
                self._new.notify_all()


def _parse(data: bytes, arrived: float, timetag: float | None = None):
    if OscBundle.dgram_is_bundle(data):
        tag, _ = osc_types.get_date(data, len(b"#bundle\x00"))
        tag_seconds = None if tag == osc_types.IMMEDIATELY else tag
        for content in OscBundle(data):
            yield from _parse(content.dgram, arrived, tag_seconds)
    elif OscMessage.dgram_is_message(data):
        message = OscMessage(data)
        yield Received(arrived, timetag, message.address, tuple(message.params))
