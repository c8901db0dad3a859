"""A UDP peer that records every OSC message it receives: for tests, benchmarks, the bridge client.

Stands in for the SuperCollider bridge (or for the backend) on a real socket, so
tests assert on the traffic itself: when each datagram arrived (``perf_counter``
and wall clock), its time tag (wall-clock seconds, None for a plain message),
address and args. It can also send from its own socket (``send_datagram``), so a
peer that is answered at the sender's address (the bridge's replies) hears back.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pythonosc.osc_bundle import OscBundle
from pythonosc.osc_message import OscMessage
from pythonosc.parsing import osc_types

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Received:
    arrived: float  # perf_counter() at receipt
    timetag: float | None  # bundle time tag as wall-clock seconds; None when untimed
    address: str
    args: tuple
    wall: float  # time.time() at receipt


Match = Callable[[Received], bool]


class UdpCapture:
    """Binds ``host:port`` (port 0: any free one) and records in a thread until closed.

    ``keep`` bounds what is kept (the newest messages; None: everything). The list of
    received messages is owned by ``_lock`` (the receive thread appends under it).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, keep: int | None = None) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind((host, port))
        self._sock.settimeout(0.1)
        self._keep = keep
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._new = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"osc-capture-{self.port}",
                                        daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        port: int = self._sock.getsockname()[1]
        return port

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def matching(self, address: str | None = None, since: float = 0.0,
                 where: Match | None = None) -> list[Received]:
        """Messages at ``address`` (None: any) that arrived at or after wall-clock ``since``."""
        with self._lock:
            return self._matching(address, since, where)

    def wait_for(self, address: str, count: int = 1, timeout: float = 5.0, since: float = 0.0,
                 where: Match | None = None) -> list[Received]:
        """Block until ``count`` messages to ``address`` arrived; return them (maybe fewer)."""
        deadline = time.monotonic() + timeout
        with self._new:
            while (len(found := self._matching(address, since, where)) < count
                   and (left := deadline - time.monotonic()) > 0):
                self._new.wait(left)
            return found

    def first(self, address: str, timeout: float = 5.0, since: float = 0.0,
              where: Match | None = None) -> Received:
        """The first message at ``address`` since wall-clock ``since``; TimeoutError if none."""
        found = self.wait_for(address, 1, timeout, since, where)
        if not found:
            raise TimeoutError(f"no {address} on port {self.port} within {timeout} s")
        return found[0]

    def send_datagram(self, data: bytes, target: tuple[str, int]) -> None:
        """Send from this socket, so replies to the sender come back here."""
        self._sock.sendto(data, target)

    def clear(self) -> None:
        with self._lock:
            self._received.clear()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1)
        self._sock.close()

    def _matching(self, address: str | None, since: float, where: Match | None) -> list[Received]:
        return [r for r in self._received
                if (address is None or r.address == address) and r.wall >= since
                and (where is None or where(r))]

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            arrived, wall = time.perf_counter(), time.time()
            try:
                items = list(_parse(data, arrived, wall))
            except osc_types.ParseError as exc:  # a bad datagram must not end the thread
                log.warning("port %d: unreadable OSC datagram (%s)", self.port, exc)
                continue
            with self._new:
                self._received.extend(items)
                if self._keep is not None:
                    del self._received[:-self._keep]
                self._new.notify_all()


def _parse(data: bytes, arrived: float, wall: float,
           timetag: float | None = None) -> Iterator[Received]:
    if OscBundle.dgram_is_bundle(data):
        tag, _ = osc_types.get_date(data, len(b"#bundle\x00"))
        tag_seconds = None if tag == osc_types.IMMEDIATELY else tag
        for content in OscBundle(data):
            yield from _parse(content.dgram, arrived, wall, tag_seconds)
    elif OscMessage.dgram_is_message(data):
        message = OscMessage(data)
        yield Received(arrived, timetag, message.address, tuple(message.params), wall)
