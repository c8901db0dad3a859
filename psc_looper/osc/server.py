"""The UDP server thread: receives datagrams and hands the raw bytes to a Dispatcher.

The socket asks for a ``RECEIVE_BUFFER_BYTES`` kernel buffer (forced past the system
cap when the process may), so a burst of thousands of datagrams waits in the kernel
instead of being dropped while the note path works. The port is bound exclusively
(no SO_REUSEADDR: another process cannot share it and steal the pianist's notes).
"""

from __future__ import annotations

import logging
import socket
import threading

from psc_looper.osc.dispatcher import Dispatcher

log = logging.getLogger(__name__)

MAX_DATAGRAM = 65536
RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024
SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33)  # Linux


def enlarge_receive_buffer(sock: socket.socket, size: int = RECEIVE_BUFFER_BYTES) -> int:
    """Ask for a ``size``-byte receive buffer; returns what the kernel granted."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, size)
    except OSError:  # not privileged: the system cap (net.core.rmem_max) applies
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, size)
    return sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)


class OscServer:
    """Listens on ``host:port`` in its own thread; owns only its socket and ``received``."""

    def __init__(self, dispatcher: Dispatcher, host: str, port: int) -> None:
        self._dispatcher = dispatcher
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.buffer_bytes = enlarge_receive_buffer(self._sock)
        self._sock.bind((host, port))
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="osc-server", daemon=True)
        self.received = 0  # datagrams read (written by the server thread only)
        if self.buffer_bytes < RECEIVE_BUFFER_BYTES:
            log.info("OSC receive buffer %d bytes (asked for %d; raise net.core.rmem_max)",
                     self.buffer_bytes, RECEIVE_BUFFER_BYTES)

    def set_receive_buffer(self, size: int) -> int:
        """Ask for another receive buffer size (benchmarks compare); returns the granted one."""
        self.buffer_bytes = enlarge_receive_buffer(self._sock, size)
        return self.buffer_bytes

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._sock.getsockname()
        return host, port

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data, source = self._sock.recvfrom(MAX_DATAGRAM)
            except TimeoutError:
                continue
            except OSError:
                if not self._stop.is_set():
                    log.exception("OSC socket failed")
                return
            self.received += 1
            try:
                self._dispatcher.dispatch(data, source)
            except Exception:  # the server thread outlives any bug in one datagram
                log.exception("dispatching a %d-byte datagram failed", len(data))
