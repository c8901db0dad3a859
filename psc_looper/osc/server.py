"""The UDP server thread: receives datagrams and hands the raw bytes to a Dispatcher."""

from __future__ import annotations

import logging
import socket
import threading

from psc_looper.osc.dispatcher import Dispatcher

log = logging.getLogger(__name__)

MAX_DATAGRAM = 65536


class OscServer:
    """Listens on ``host:port`` in its own thread; owns only its socket."""

    def __init__(self, dispatcher: Dispatcher, host: str, port: int) -> None:
        self._dispatcher = dispatcher
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="osc-server", daemon=True)

    @property
    def address(self) -> tuple[str, int]:
        return self._sock.getsockname()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data, _ = self._sock.recvfrom(MAX_DATAGRAM)
            except TimeoutError:
                continue
            except OSError:
                if not self._stop.is_set():
                    log.exception("OSC socket failed")
                return
            self._dispatcher.dispatch(data)
