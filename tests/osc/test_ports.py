import socket

import pytest
from pythonosc.osc_packet import OscPacket

from psc_looper.osc.ports import CaptureOutput, TeeOutput, UdpOutput
from psc_looper.timing.clock import VirtualClock


@pytest.fixture
def receiver():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(2)
    yield sock
    sock.close()


def test_timed_batch_is_one_bundle_tagged_with_the_wall_time(receiver):
    clock = VirtualClock(start=0.0, wall_origin=2_000_000_000.0)
    out = UdpOutput(*receiver.getsockname(), clock, timed=True)
    out.send([("/playkick", (36, 100)), ("/playclick0", (60, 110))], at=1.5)
    packet = OscPacket(receiver.recv(65536))
    assert [m.message.address for m in packet.messages] == ["/playkick", "/playclick0"]
    assert [m.time for m in packet.messages] == pytest.approx([2_000_000_001.5] * 2, abs=1e-6)


def test_untimed_output_sends_plain_messages(receiver):
    out = UdpOutput(*receiver.getsockname(), VirtualClock(), timed=False)
    out.send([("/playbass", (40, 90)), ("/stopbass", (40, 0))], at=5.0)
    first = receiver.recv(65536)
    second = receiver.recv(65536)
    assert first.startswith(b"/playbass") and second.startswith(b"/stopbass")


def test_failed_sends_do_not_raise_and_later_sends_still_arrive():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    out = UdpOutput("127.0.0.1", port, VirtualClock())
    for _ in range(3):  # nobody listens (the bridge is down)
        out.send([("/playbass", (40, 90))])
    out.send([("/blob", (b"x" * 70_000,))])  # too long for a datagram: sendto raises
    out.send([("/blob", (b"x" * 70_000,))], at=1.0)  # the same as a timed bundle
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # the bridge is back
    listener.bind(("127.0.0.1", port))
    listener.settimeout(2)
    try:
        out.send([("/playbass", (41, 90))])
        assert listener.recv(65536).startswith(b"/playbass")
    finally:
        listener.close()


def test_tee_and_capture_keep_times():
    clock = VirtualClock(start=3.0)
    a, b = CaptureOutput(clock), CaptureOutput(clock)
    TeeOutput(a, b).send([("/panic", ())], at=4.0)
    assert a.sent == b.sent and a.sent[0].at == 4.0 and a.sent[0].sent == 3.0
