"""Fuzz over real UDP: 20,000+ malformed datagrams of every kind, valid notes interleaved.

The backend listens on its real OSC server (stopped loop, captured output). Every
malformed datagram must change nothing and be counted; every valid note interleaved
must sound and be released; memory and log lines stay bounded; the backend answers.
"""

from __future__ import annotations

import logging
import random
import socket
import struct
import time
import tracemalloc
from collections.abc import Callable

from pythonosc.osc_message_builder import build_msg

from psc_looper.app import Backend, BackendConfig
from psc_looper.osc.dispatcher import LOG_INTERVAL_SECONDS
from psc_looper.osc.ports import CaptureOutput
from psc_looper.osc.protocol import CC_EVENT, NOTE_OFF, NOTE_ON, READY
from psc_looper.osc.strict import MAX_DATAGRAM_BYTES
from psc_looper.sc.procs import free_udp_port
from psc_looper.timing.clock import RealClock
from tests.helpers import plays, unmatched_notes

SEED = 15
MALFORMED_PER_KIND = 1300
ADDRESSES = (NOTE_ON, NOTE_OFF, CC_EVENT, READY)


def msg(address: str, *args: object) -> bytes:
    return build_msg(address, list(args)).dgram


def pad(text: bytes) -> bytes:
    return text + b"\x00" * (4 - len(text) % 4)


def bundle(*contents: bytes) -> bytes:
    data = b"#bundle\x00" + struct.pack(">Q", 1)
    for content in contents:
        data += struct.pack(">i", len(content)) + content
    return data


def note(r: random.Random) -> bytes:
    return msg(NOTE_ON, r.randrange(128), r.randrange(1, 128), 0, "fuzz")


# One generator per kind of malformed datagram; each takes the seeded Random.
KINDS: dict[str, Callable[[random.Random], bytes]] = {
    "random bytes": lambda r: r.randbytes(r.randrange(0, 200)),
    "truncated": lambda r: (m := note(r))[:r.randrange(1, len(m) - 1)],
    "trailing bytes": lambda r: note(r) + r.randbytes(r.randrange(1, 12)),
    "unknown type tag": lambda r: pad(r.choice(ADDRESSES).encode())
    + pad(b",ii" + bytes([r.choice(b"cbhdtTNFIrm[]")])) + struct.pack(">iii", 60, 100, 65),
    "unknown address": lambda r: msg("/" + r.randbytes(8).hex(), 1),
    "huge address": lambda r: msg("/" + "x" * r.randrange(MAX_DATAGRAM_BYTES, 30_000), 1),
    "arity": lambda r: msg(r.choice(ADDRESSES[:3]), *range(r.choice((0, 1, 5, 9)))),
    "range": lambda r: msg(r.choice(ADDRESSES[:3]), r.choice((-1, 128, 2**31 - 1)), 64),
    "type": lambda r: msg(r.choice(ADDRESSES[:3]), 60.0, "loud"),
    "ready out of range": lambda r: msg(READY, r.choice((0, 65536, -5))),
    "padding": lambda r: pad(NOTE_ON.encode())[:-1] + b"\x07" + pad(b",ii")
    + struct.pack(">ii", 60, 100),
    "not UTF-8": lambda r: msg(NOTE_ON, 60, 100, 0, "x")[:-4] + b"\xff\xfe\x00\x00",
    "deep bundle": lambda r: _nest(note(r), r.randrange(5, 300)),
    "many messages": lambda r: bundle(*[note(r)] * r.randrange(65, 120)),
    "bad bundle element": lambda r: bundle(note(r))[:-4] + b"\x00\x00\x01\x00",
    "one bad message in a bundle": lambda r: bundle(note(r), msg(NOTE_ON, 60, 300)),
}


def _nest(content: bytes, depth: int) -> bytes:
    for _ in range(depth):
        content = bundle(content)
    return content


def state(backend: Backend) -> tuple:
    snap = backend.looper.snapshot()
    return (snap.playing, snap.mode, snap.qpm, snap.structure, snap.pending_structure,
            snap.volumes, snap.mutes, snap.notes_per_track, snap.sounding)


def test_malformed_floods_change_nothing_and_valid_notes_still_play(caplog) -> None:
    r = random.Random(SEED)
    output = CaptureOutput(RealClock())
    config = BackendConfig(listen_port=free_udp_port())
    backend = Backend(config, output=output)
    backend.start()
    assert backend.server is not None
    server = backend.server
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    target = ("127.0.0.1", config.listen_port)
    datagrams = [(kind, make(r)) for kind, make in KINDS.items() for _ in range(MALFORMED_PER_KIND)]
    r.shuffle(datagrams)
    before = state(backend)
    sent = valid = 0
    tracemalloc.start()
    try:
        with caplog.at_level(logging.WARNING, logger="psc_looper.osc.dispatcher"):
            baseline = None
            for i, (_kind, data) in enumerate(datagrams):
                if i % 10 == 0:  # a valid note, released 5 datagrams later
                    pitch = 21 + (i // 10) % 88
                    sender.sendto(msg(NOTE_ON, pitch, 90, 0, "fuzz"), target)
                    pending_off = pitch
                    sent, valid = sent + 1, valid + 1
                if i % 10 == 5:
                    sender.sendto(msg(NOTE_OFF, pending_off, 0, 0, "fuzz"), target)
                    sent += 1
                sender.sendto(data, target)
                sent += 1
                if i % 200 == 199:  # let the server catch up: no kernel drop hides a result
                    _wait(lambda n=sent: server.received == n)
                    if baseline is None and i >= 2000:
                        baseline = tracemalloc.get_traced_memory()[0]
            _wait(lambda: server.received == sent)
            grown = tracemalloc.get_traced_memory()[0] - (baseline or 0)
        assert server.received == sent  # nothing lost to the kernel
        assert len(datagrams) >= 20_000
        counts = backend.dispatcher.malformed_counts()
        assert sum(counts.values()) == len(datagrams)  # every malformed one counted
        assert len(counts) <= 16  # counted by kind, not by address
        assert grown < 1_000_000, f"memory grew by {grown} bytes"
        assert len(caplog.records) <= len(counts) * (2 + 60 / LOG_INTERVAL_SECONDS)
        assert state(backend) == before  # nothing changed
        assert len(plays(output.sent)) == valid  # every valid note sounded, nothing else
        assert unmatched_notes(output.sent) == {}  # and was released
        sender.sendto(msg(NOTE_ON, 60, 100, 0, "fuzz"), target)  # still answering
        assert _wait(lambda: len(plays(output.sent)) == valid + 1)
        assert "malformed OSC ignored: " in (backend.dispatcher.summary() or "")
    finally:
        tracemalloc.stop()
        sender.close()
        backend.close()


def _wait(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        time.sleep(0.002)
    return check()
