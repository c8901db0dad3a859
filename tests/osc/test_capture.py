"""UdpCapture: records what arrives (plain and time-tagged), filters, bounds, bad datagrams."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from pythonosc.osc_bundle_builder import OscBundleBuilder
from pythonosc.osc_message_builder import build_msg

from psc_looper.osc.capture import UdpCapture


@pytest.fixture
def capture() -> Iterator[UdpCapture]:
    peer = UdpCapture(keep=3)
    yield peer
    peer.close()


def send(capture: UdpCapture, data: bytes) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(data, ("127.0.0.1", capture.port))


def test_filters_by_address_time_and_predicate(capture: UdpCapture) -> None:
    send(capture, build_msg("/a", [1]).dgram)
    capture.first("/a")
    since = time.time()
    send(capture, build_msg("/a", [2]).dgram)
    send(capture, build_msg("/a", [3]).dgram)
    assert capture.first("/a", since=since).args == (2,)
    assert capture.first("/a", where=lambda r: r.args[0] == 3).wall >= since
    assert [r.args for r in capture.matching("/a", since=since)] == [(2,), (3,)]
    with pytest.raises(TimeoutError, match="/b"):
        capture.first("/b", timeout=0.1)


def test_keeps_time_tags_and_only_the_newest(capture: UdpCapture) -> None:
    bundle = OscBundleBuilder(time.time() + 5)
    bundle.add_content(build_msg("/t", [0]))
    send(capture, bundle.build().dgram)
    assert capture.first("/t").timetag == pytest.approx(time.time() + 5, abs=0.5)
    for value in range(1, 5):
        send(capture, build_msg("/n", [value]).dgram)
    capture.first("/n", where=lambda r: r.args == (4,))
    assert [r.args for r in capture.received] == [(2,), (3,), (4,)]


def test_a_bad_datagram_is_skipped_and_receiving_goes_on(capture: UdpCapture) -> None:
    send(capture, b"#bundle\x00garbage")
    send(capture, build_msg("/ok", []).dgram)
    assert capture.first("/ok").args == ()
    assert [r.address for r in capture.received] == ["/ok"]


def test_replies_to_what_it_sent_come_back_to_it(capture: UdpCapture) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as echo:
        echo.bind(("127.0.0.1", 0))
        capture.send_datagram(build_msg("/ping", [7]).dgram, echo.getsockname())
        data, sender = echo.recvfrom(1024)
        echo.sendto(data, sender)
    assert capture.first("/ping").args == (7,)
