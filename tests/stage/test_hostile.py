"""The stage view against a hostile local process: a thousand sockets, a page that never
reads, a flood of button presses, bad requests. Each is refused or contained with a few
log lines; the loop, the other pages and the server's stop are unharmed."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from psc_looper.stage import StageServer
from psc_looper.stage import server as stage_server
from psc_looper.stage.guard import MAX_CONNECTIONS, Bucket, Throttle
from tests.stage.test_server import attach, ws_url


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_throttle_logs_a_kind_once_an_interval_then_counts_what_it_left_out(caplog):
    clock = Clock()
    throttle = Throttle(logging.getLogger("t"), interval=5.0, clock=clock)
    caplog.set_level(logging.WARNING, "t")
    logged = [throttle.warning("bad", f"line {i}") for i in range(100)]
    assert logged.count(True) == 1 and throttle.warning("other", "another kind")
    clock.now = 5.0
    assert throttle.warning("bad", "line later")
    assert [r.getMessage() for r in caplog.records] == [
        "line 0", "another kind", "line later (99 more like it left out)"]


def test_a_bucket_lets_a_burst_then_its_rate_through():
    clock = Clock()
    bucket = Bucket(rate=20.0, clock=clock)
    assert sum(bucket.take() for _ in range(1000)) == 20
    clock.now = 0.5
    assert sum(bucket.take() for _ in range(1000)) == 10


def started(state: str = "{}") -> tuple[StageServer, list[str]]:
    server = StageServer("127.0.0.1", 0, None)
    pressed: list[str] = []
    server.start(lambda: state, lambda action: pressed.append(action) or True)
    return server, pressed


def stop_within(server: StageServer, seconds: float) -> None:
    stopper = threading.Thread(target=server.stop, daemon=True)
    stopper.start()
    stopper.join(seconds)
    assert not stopper.is_alive(), f"stop() took over {seconds} s"


def test_a_thousand_sockets_cost_a_bounded_number_of_threads_and_get_a_503(caplog):
    caplog.set_level(logging.WARNING, "psc_looper.stage")
    server, _ = started()
    before = threading.active_count()
    silent = []
    try:
        for _ in range(1000):
            silent.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
        time.sleep(1.0)  # the refusals' threads are done
        assert threading.active_count() - before <= 2 * MAX_CONNECTIONS + 4
        refused = silent[-1]
        assert refused.recv(200).startswith(b"HTTP/1.1 503")
        refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
        assert 1 <= len(refusals) <= 2 and "connections open already" in refusals[0]
    finally:
        for sock in silent:
            sock.close()
    time.sleep(0.5)  # the held slots free as their sockets close
    with connect(ws_url(server), open_timeout=5) as ws:  # a page gets in again
        assert ws.recv(timeout=5) == "{}"
    stop_within(server, 5)


def test_a_page_that_never_reads_stalls_no_one_and_is_closed(monkeypatch, caplog):
    monkeypatch.setattr(stage_server, "STALL_SECONDS", 1.5)
    caplog.set_level(logging.WARNING, "psc_looper.stage")
    server = StageServer("127.0.0.1", 0, None)
    counter = iter(range(10**9))
    server.start(lambda: f"{next(counter)}:" + "x" * 400_000, lambda _action: True)
    try:
        stuck = connect(ws_url(server), max_size=None)  # its client stops reading: 16 queued
        with connect(ws_url(server), max_size=None) as healthy:
            start, got = time.monotonic(), 0
            while time.monotonic() - start < 4.0:
                healthy.recv(timeout=2)
                got += 1
        assert got >= 40  # 20 a second, the stuck page beside it notwithstanding
        closed = [r.getMessage() for r in caplog.records if "read nothing" in r.getMessage()]
        assert len(closed) == 1 and "\n" not in closed[0]
        stuck.close_socket()
    finally:
        stop_within(server, 5)


def test_a_flood_of_presses_is_rate_limited_with_a_line_or_two(caplog):
    caplog.set_level(logging.WARNING, "psc_looper.stage")
    server, pressed = started()
    try:
        with connect(ws_url(server)) as ws:
            ws.recv(timeout=5)
            start = time.monotonic()
            for _ in range(2000):
                ws.send('{"action": "panic"}')
            ws.send('{"action": "next_song"}')
            time.sleep(0.5)
            elapsed = time.monotonic() - start
    finally:
        stop_within(server, 5)
    assert 20 <= len(pressed) <= 20 + 20 * elapsed + 1
    lines = [r.getMessage() for r in caplog.records]
    assert 1 <= len(lines) <= 2 and "over 20 presses a second" in lines[0]


@pytest.mark.parametrize("request_bytes", [
    b"GET /\xff\xfe HTTP/1.1\r\nHost: \xff\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 20000 + b"\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
    b"\x16\x03\x01\x02\x00not http at all",
    b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
])
def test_a_bad_request_is_answered_or_dropped_and_the_server_serves_on(request_bytes):
    server, _ = started()
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=8) as sock:
            sock.sendall(request_bytes)
            answer = sock.recv(200)  # an error status, or closed; never the page
        assert b"200 OK" not in answer
        with connect(ws_url(server)) as ws:
            assert json.loads(ws.recv(timeout=5)) == {}
    finally:
        stop_within(server, 5)


def test_a_flood_of_song_and_panic_presses_on_the_real_backend_leaves_the_loop_playing(rig):
    server = attach(rig)
    rig.looper.play()
    with connect(ws_url(server)) as ws:
        ws.recv(timeout=5)
        for i in range(600):
            ws.send(json.dumps({"action": ("next_song", "panic", "next_section")[i % 3]}))
        time.sleep(0.5)
        rig.advance_to_step(40)  # the loop goes on: into its second loop
        deadline = time.monotonic() + 5
        while json.loads(ws.recv(timeout=5))["loop"] != 2:
            assert time.monotonic() < deadline
    after = rig.looper.snapshot()
    assert after.playing and after.loop_count == 1


@pytest.mark.parametrize("frame, said", [
    (b"\x81\x82\x00\x00\x00\x00\xff\xfe", "invalid start byte"),  # text, not UTF-8
    (b"\x83\x80\x00\x00\x00\x00", "invalid opcode"),
    (b"\x81\x02hi", "incorrect masking"),
    (b"\x81\xff" + (2**62).to_bytes(8, "big") + bytes(4), "exceeds limit"),
])
def test_a_broken_frame_closes_that_page_with_one_line(caplog, frame, said):
    caplog.set_level(logging.WARNING, "psc_looper.stage")
    server, pressed = started()
    try:
        with connect(ws_url(server)) as ws:
            ws.recv(timeout=5)
            ws.socket.sendall(frame)
            with pytest.raises(ConnectionClosed):
                ws.recv(timeout=5)
        with connect(ws_url(server)) as ws:  # the next page is served
            assert ws.recv(timeout=5) == "{}"
    finally:
        stop_within(server, 5)
    (line,) = [r.getMessage() for r in caplog.records]
    assert "closed the page" in line and said in line and pressed == []
