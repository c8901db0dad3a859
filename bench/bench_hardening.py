"""The note path under load and under floods, with kernel drops, beside the idle backend.

Each row runs a real backend (UDP in and out, real clock) for ``--seconds`` while a
client plays one note every 5 ms and times ``/processnoteon`` in to ``/playwurly``
out (its own socket stands in for the bridge). Rows:

- idle: no models, loop stopped (the baseline);
- loaded: the shipped melody and drums models loaded (in their processes), improv
  mode, a loop playing bass and chords, a DrumsRNN groove asked for every 3 s, the
  session recorder and the status view (log mode) running;
- loaded + flood N/s: the same while another process sends N malformed datagrams a
  second (garbage, unknown type tags and addresses, trailing bytes, deep bundles, a
  /ready from a stranger) to the backend's port;
- loaded + web attack: the same with the stage view attached while another process
  holds ``SOCKETS`` TCP connections to it and, from one page, presses panic and
  next_song as fast as it can ("flood": presses sent; the line below the table: how
  many reached the loop, at most ``guard.MAX_PRESSES_PER_SECOND``).

Kernel drops are the socket's drop counter in /proc/net/udp (datagrams the kernel
discarded because the receive buffer was full); "read" counts what the server read.

    python -m bench hardening [--seconds 10] [--rates 1000 2000 4000] [--no-web]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import socket
import struct
import tempfile
import threading
import time
from pathlib import Path

from pythonosc.osc_message_builder import build_msg
from websockets.sync.client import connect

from bench.keypath import press_keys
from bench.stats import ratio_lines, summary, table
from psc_looper.app import Backend, BackendConfig
from psc_looper.bundles import DEFAULT_DRUMS_BUNDLE, DEFAULT_MELODY_BUNDLE
from psc_looper.looper.notes import LoopNote, Mode, Track
from psc_looper.osc.events import ControlChange, InputEvent
from psc_looper.osc.protocol import Instrument
from psc_looper.osc.server import RECEIVE_BUFFER_BYTES
from psc_looper.sessions.recorder import Recorder
from psc_looper.stage import StageFeature, StageServer
from psc_looper.ui.keys import KEYS_SOURCE
from psc_looper.ui.status import StatusView

NOTE_GAP = 0.005
SOCKETS = 1000  # the web attack's connections
PRESSES = ('{"action": "panic"}', '{"action": "next_song"}')
DEFAULT_BUFFER = 212992  # Linux's default net.core.rmem_default: the receive buffer before
COLUMNS = ("p50", "p99", "max", "notes", "flood", "read", "drops")


def flood_datagrams() -> list[bytes]:
    nested = build_msg("/processnoteon", [60, 100]).dgram
    for _ in range(40):
        nested = b"#bundle\x00" + bytes(8) + struct.pack(">i", len(nested)) + nested
    return [
        bytes(range(7, 97)),
        b"/ready\x00\x00,c\x00\x00\x00\x00\x00A",
        b"/processnoteon\x00\x00,iic" + bytes(4) + struct.pack(">iii", 62, 100, 7),
        build_msg("/processnoteon", [62, 100]).dgram + b"junkjunk",
        build_msg("/no/such/address/" + "x" * 200, [1]).dgram,
        build_msg("/ready", [57120]).dgram,  # a stranger's /ready
        nested[:4000],
    ]


def flood(port: int, rate: float, seconds: float, sent: mp.Value) -> None:
    """In its own process: ``rate`` malformed datagrams a second, in 10 ms bursts."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    datagrams = flood_datagrams()
    burst = max(1, round(rate / 100))
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        due = int(elapsed * rate)
        while count < min(due + burst, int(seconds * rate)):
            sock.sendto(datagrams[count % len(datagrams)], ("127.0.0.1", port))
            count += 1
        time.sleep(0.01)
    sent.value = count
    sock.close()


def web_attack(port: int, seconds: float, sent: mp.Value) -> None:
    """In its own process: one page pressing flat out while ``SOCKETS`` more are held."""
    with connect(f"ws://127.0.0.1:{port}/ws") as page:
        held = []
        for _ in range(SOCKETS):
            try:
                held.append(socket.create_connection(("127.0.0.1", port), timeout=2))
            except OSError:
                break
        count, end = 0, time.perf_counter() + seconds
        while time.perf_counter() < end:
            page.send(PRESSES[count % 2])
            count += 1
        for sock in held:
            sock.close()
    sent.value = count


def kernel_drops(port: int) -> int:
    """The drop counter of the UDP socket bound to ``port`` (Linux /proc/net/udp)."""
    for line in Path("/proc/net/udp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port:
            return int(fields[-1])
    return 0


def loaded_backend(config: BackendConfig, folder: Path) -> tuple[Backend, list[object]]:
    config.melody_bundle, config.drums_bundle = DEFAULT_MELODY_BUNDLE, DEFAULT_DRUMS_BUNDLE
    backend = Backend(config)
    looper = backend.looper
    looper.replace_track(Track.BASS, [LoopNote(s, Track.BASS, Instrument.BASS, 36 + s % 7, 90, 4)
                                      for s in range(0, 32, 4)])
    looper.replace_track(Track.CHORDS, [LoopNote(s, Track.CHORDS, Instrument.CHORDS, p, 70, 8)
                                        for s in range(0, 32, 8) for p in (60, 64, 67)])
    looper.set_mode(Mode.IMPROV)
    backend.attach(Recorder(folder / "bench.mid"))
    view = StatusView(looper, backend.dispatcher.malformed_counts, tty=False)
    return backend, [view]


def run_row(loaded: bool, rate: float, seconds: float, folder: Path,
            buffer: int | None = None, web: bool = False) -> dict[str, float]:
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.bind(("127.0.0.1", 0))
    client.settimeout(2)
    config = BackendConfig(listen_port=0, bridge_port=client.getsockname()[1])
    backend, views = loaded_backend(config, folder) if loaded else (Backend(config), [])
    stage = StageServer("127.0.0.1", 0, None) if web else None
    pressed: list[InputEvent] = []
    if stage is not None:
        backend.attach(StageFeature(stage, backend.songs))
        backend.watch_input(lambda e: pressed.append(e) if isinstance(e, ControlChange)
                            and e.source == KEYS_SOURCE else None)
    backend.start()
    assert backend.server is not None
    port = backend.server.address[1]
    if buffer is not None:
        backend.server.set_receive_buffer(buffer)
    for view in views:
        view.start()  # type: ignore[attr-defined]
    stop = threading.Event()
    grooves = threading.Thread(target=_grooves, args=(backend, stop), daemon=True)
    if loaded:
        backend.looper.play()
        grooves.start()
        time.sleep(1.0)  # the loop and the models settle
    sent = mp.Value("l", 0)
    attack = (web_attack, (stage.port, seconds, sent)) if stage else (
        flood, (port, rate, seconds, sent))
    flooder = mp.get_context("fork").Process(target=attack[0], args=attack[1])
    if rate or stage:
        flooder.start()
    latencies = press_keys(client, port, seconds, NOTE_GAP, lambda k: 48 + 2 * k % 36)
    notes = 2 * len(latencies)  # messages: a note-on and a note-off each
    if rate or stage:
        flooder.join()
    time.sleep(0.5)  # the server reads what is queued
    drops, read = kernel_drops(port), backend.server.received
    stop.set()
    for view in views:
        view.stop()  # type: ignore[attr-defined]
    backend.close()
    client.close()
    return {**summary(latencies), "notes": notes, "flood": sent.value, "read": read,
            "drops": drops, **({"pressed": len(pressed)} if web else {})}


def _grooves(backend: Backend, stop: threading.Event) -> None:
    while not stop.wait(3.0):
        backend.actions.run("generate_groove", None, 127)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rates", type=float, nargs="*", default=[1000.0, 2000.0, 4000.0])
    parser.add_argument("--no-web", dest="web", action="store_false",
                        help="leave out the stage view's row")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("idle backend (baseline)", run_row(False, 0, args.seconds, Path(tmp))))
        rows.append(("loaded backend", run_row(True, 0, args.seconds, Path(tmp))))
        for rate in args.rates:
            rows.append((f"loaded + flood {rate:g}/s",
                         run_row(True, rate, args.seconds, Path(tmp))))
        top = max(args.rates, default=0)
        if top:
            rows.append((f"  same, {DEFAULT_BUFFER // 1024} KB buffer (before)",
                         run_row(True, top, args.seconds, Path(tmp), DEFAULT_BUFFER)))
        if args.web:
            rows.append(("loaded + web attack",
                         run_row(True, 0, args.seconds, Path(tmp), web=True)))
    print(f"note path (ms) and datagrams, {args.seconds:g} s per row, one note every "
          f"{NOTE_GAP * 1000:g} ms; receive buffer {RECEIVE_BUFFER_BYTES // 1024} KB asked")
    print(table(rows, COLUMNS))
    print(ratio_lines(rows, "the idle backend"))
    for name, row in rows:
        if "pressed" in row:
            print(f"{name}: {row['flood']:.0f} presses sent, {row['pressed']:.0f} reached "
                  f"the loop in {args.seconds:g} s; {SOCKETS} sockets held")


if __name__ == "__main__":
    main()
