"""The backend over real UDP sockets, with a recording OSC peer in place of the bridge."""

import itertools
import socket
import time

import pytest
from pythonosc.osc_message_builder import build_msg

from psc_looper.app import Backend, BackendConfig
from psc_looper.osc.capture import UdpCapture

STEP = 0.125


@pytest.fixture
def peer():
    capture = UdpCapture()
    yield capture
    capture.close()


@pytest.fixture
def backend(peer):
    b = Backend(BackendConfig(listen_port=0, bridge_port=peer.port))
    b.start()
    yield b
    b.close()


def send(backend, address, *args):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.sendto(build_msg(address, list(args)).dgram, backend.server.address)
    sock.close()


def test_a_key_comes_back_at_once_untagged(backend, peer):
    send(backend, "/processnoteon", 60, 100, 0, "keyboard")
    (played,) = peer.wait_for("/playwurly")
    assert played.args == (60, 100) and played.timetag is None
    send(backend, "/processnoteoff", 60, 0, 0, "keyboard")
    assert peer.wait_for("/stopwurly")[0].args[0] == 60


def test_the_loop_arrives_time_tagged_on_a_grid_ahead_of_time(backend, peer):
    send(backend, "/ccevent", 41, 127, 0, "nanoKONTROL2")
    peer.wait_for("/playclick2", count=7, timeout=5)
    clicks = sorted((r for r in peer.received if r.address.startswith("/playclick")),
                    key=lambda r: r.timetag)
    assert [c.address for c in clicks[:5]] == ["/playclick0"] + ["/playclick2"] * 3 + [
        "/playclick1"]
    gaps = [b.timetag - a.timetag for a, b in itertools.pairwise(clicks)]
    assert gaps == pytest.approx([4 * STEP] * len(gaps), abs=1e-6)
    # each bundle arrived before its time tag (the lookahead), never after
    wall_minus_perf = time.time() - time.perf_counter()
    leads = [c.timetag - (c.arrived + wall_minus_perf) for c in clicks]
    assert all(0 < lead < 0.2 for lead in leads)


def test_garbage_is_ignored_and_the_backend_keeps_working(backend, peer):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for junk in (b"\xff" * 7, b"#bundle\x00short", build_msg("/processnoteon", [999, 1]).dgram):
        sock.sendto(junk, backend.server.address)
    sock.close()
    send(backend, "/processnoteon", 62, 90)
    assert peer.wait_for("/playwurly")[0].args == (62, 90)
    assert sum(backend.dispatcher.malformed_counts().values()) == 3
    assert backend.looper.snapshot().sounding == 1


def test_ready_is_honoured_only_from_the_bridge_and_never_moves_the_output(backend, peer):
    other = UdpCapture()
    try:
        for ready in (build_msg("/ready", [other.port]).dgram,
                      build_msg("/ready", [peer.port]).dgram,
                      b"/ready\x00\x00,c\x00\x00\x00\x00\x00A"):
            other.send_datagram(ready, backend.server.address)  # another local process
        peer.send_datagram(build_msg("/ready", [other.port]).dgram, backend.server.address)
        deadline = time.monotonic() + 2
        while sum(backend.dispatcher.malformed_counts().values()) < 4 and (
                time.monotonic() < deadline):
            time.sleep(0.01)
        assert backend.dispatcher.malformed_counts() == {"not-bridge": 3, "type-tags": 1}
        assert "SILENT" in backend.peer.describe() or "waiting" in backend.peer.describe()
        peer.send_datagram(build_msg("/ready", [peer.port]).dgram, backend.server.address)
        deadline = time.monotonic() + 2
        while not backend.peer.describe().startswith("ok") and time.monotonic() < deadline:
            time.sleep(0.01)
        assert backend.peer.describe().startswith("ok")
        send(backend, "/processnoteon", 64, 80)
        assert peer.wait_for("/playwurly")[0].args == (64, 80)
        assert not other.received
    finally:
        other.close()


def test_close_turns_every_note_off(peer):
    b = Backend(BackendConfig(listen_port=0, bridge_port=peer.port))
    b.start()
    send(b, "/processnoteon", 48, 100)
    peer.wait_for("/playwurly")
    b.close()
    assert peer.wait_for("/stopwurly")[0].args[0] == 48
    assert peer.wait_for("/panic")
