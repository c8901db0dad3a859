"""The bridge's control round trip: ``/bridge/ping`` to sclang and its ``/bridge/pong``
back, against a plain Python UDP echo on the same loopback in the same run (the
baseline: what the socket and the client cost without sclang).

Starts the bridge (jackd + scsynth + sclang, as the tests do). Target: a median round
trip under 20 ms (shared cores give spikes; the median is what a performer feels at
the controls' replies). Reported: p50 / p95 / p99 / max in ms, and the bridge's median
as a multiple of the echo's.

    python -m bench bridge [--count 200]
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
from pathlib import Path

from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import build_msg

from bench.stats import summary, table
from psc_looper.sc.client import BridgeClient
from psc_looper.sc.testing import running_bridge

TARGET_MEDIAN_MS = 20.0
COLUMNS = ("p50", "p95", "p99", "max")


class PongEcho:
    """Answers each ``/bridge/ping`` with a ``/bridge/pong`` of the same arguments."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("127.0.0.1", 0))
        self.port: int = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                data, sender = self._sock.recvfrom(65536)
            except OSError:
                return  # closed
            args = OscMessage(data).params
            self._sock.sendto(build_msg("/bridge/pong", args).dgram, sender)

    def close(self) -> None:
        self._sock.close()


def round_trips(client: BridgeClient, count: int) -> list[float]:
    client.ping()  # warm up
    return [client.ping() for _ in range(count)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args(argv)
    echo = PongEcho()
    baseline = BridgeClient(echo.port)
    try:
        with tempfile.TemporaryDirectory() as tmp, running_bridge(Path(tmp)) as live:
            bridge_rows = round_trips(live, args.count)
            echo_rows = round_trips(baseline, args.count)
    finally:
        baseline.close()
        echo.close()
    rows = [("bridge (sclang)", summary(bridge_rows)), ("UDP echo (baseline)", summary(echo_rows))]
    print(f"/bridge/ping round trip, {args.count} each (ms)")
    print(table(rows, COLUMNS))
    bridge_median, echo_median = rows[0][1]["p50"], rows[1][1]["p50"]
    verdict = "met" if bridge_median < TARGET_MEDIAN_MS else "MISSED"
    print(f"bridge median {bridge_median:.2f} ms = {bridge_median / echo_median:.1f}x the echo's; "
          f"target < {TARGET_MEDIAN_MS:g} ms: {verdict}")


if __name__ == "__main__":
    main()
