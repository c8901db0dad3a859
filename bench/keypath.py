"""The keys' note path measured from outside: a client presses keys one at a time into a
running backend and times each ``/processnoteon`` sent to its ``/playwurly`` back."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

from pythonosc.osc_message_builder import build_msg

from psc_looper.osc.protocol import NOTE_OFF, NOTE_ON


def press_keys(client: socket.socket, port: int, seconds: float, period: float,
               pitch_of: Callable[[int], int], hold: float = 0.0) -> list[float]:
    """Press a key every ``period`` seconds (the ``k``-th is ``pitch_of(k)``), held for
    ``hold``, for ``seconds``; the seconds each one took to come back as a sound."""
    latencies: list[float] = []
    target = ("127.0.0.1", port)
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pitch = pitch_of(len(latencies))
        started = time.perf_counter()
        client.sendto(build_msg(NOTE_ON, [pitch, 100, 0, "bench"]).dgram, target)
        while not client.recv(65536).startswith(b"/playwurly"):
            pass
        latencies.append(time.perf_counter() - started)
        time.sleep(hold)
        client.sendto(build_msg(NOTE_OFF, [pitch, 0, 0, "bench"]).dgram, target)
        time.sleep(max(0.0, started + period - time.perf_counter()))
    return latencies
