"""The stage server on a real socket: the page, the state pushed, buttons pressing keys,
and every refusal (token, origin, a malformed message, a port in use) one log line with
nothing changed."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from psc_looper.looper.notes import Mode
from psc_looper.osc.events import ControlChange, InputEvent
from psc_looper.rig import VirtualRig
from psc_looper.stage import StageError, StageFeature, StageServer
from psc_looper.ui.keys import KEYS_SOURCE

TOKEN = "s3cret-token-for-tests"


def attach(rig: VirtualRig, token: str | None = None) -> StageServer:
    server = StageServer("127.0.0.1", 0, token)
    rig.backend.stage = rig.backend.attach(StageFeature(server, rig.backend.songs))
    return server


def ws_url(server: StageServer, query: str = "") -> str:
    return f"ws://127.0.0.1:{server.port}/ws{query}"


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_button_presses_the_key_of_its_action_and_the_state_shows_it(rig):
    server = attach(rig)
    heard: list[InputEvent] = []
    rig.backend.watch_input(heard.append)
    assert get(server.url()) == 200
    with connect(ws_url(server)) as ws:
        first = json.loads(ws.recv(timeout=5))
        assert first["mode"] == "free" and first["song"]["name"] == "untitled"
        ws.send(json.dumps({"action": "record:bass"}))
        state = json.loads(ws.recv(timeout=5))
    assert rig.looper.mode is Mode.BASS and state["mode"] == "bass"
    assert state["armed"].startswith("ARMED bass")
    (event,) = heard  # as the computer key's /ccevent: a session records and replays it
    assert isinstance(event, ControlChange) and event.source == KEYS_SOURCE


def test_off_loopback_every_request_needs_the_token(rig, caplog):
    server = attach(rig, TOKEN)
    assert server.url().endswith(f"/?token={TOKEN}")
    rig.looper.play()
    before = rig.looper.snapshot()
    caplog.set_level(logging.WARNING, "psc_looper.stage")
    assert get(f"http://127.0.0.1:{server.port}/") == 403
    assert get(f"http://127.0.0.1:{server.port}/?token=wrong") == 403
    for query in ("", "?token=wrong"):
        with pytest.raises(InvalidStatus, match="403"), connect(ws_url(server, query)):
            pass
    refusals = [r.getMessage() for r in caplog.records]
    assert len(refusals) == 4 and all("wrong or missing token" in r for r in refusals)
    assert all(TOKEN not in r and "\n" not in r for r in refusals)
    rig.advance_to_step(40)  # nothing changed, the loop plays on (into its second loop)
    after = rig.looper.snapshot()
    assert after.playing and after.mode is before.mode and after.loop_count == 1
    assert get(server.url()) == 200
    with connect(ws_url(server, f"?token={TOKEN}")) as ws:
        assert json.loads(ws.recv(timeout=5))["loop"] == 2


def test_a_socket_from_another_sites_page_is_refused(rig, caplog):
    server = attach(rig)
    caplog.set_level(logging.WARNING, "psc_looper.stage")
    with pytest.raises(InvalidStatus, match="403"), connect(
            ws_url(server), origin="http://evil.example"):  # type: ignore[arg-type]
        pass
    assert "another site" in caplog.records[-1].getMessage()


def test_a_malformed_message_is_one_line_and_the_page_plays_on(rig, caplog):
    server = attach(rig)
    rig.looper.play()
    caplog.set_level(logging.WARNING, "psc_looper.stage")
    with connect(ws_url(server)) as ws:
        ws.recv(timeout=5)
        for bad in ("{oops", '{"action": "format_disk"}', '{"do": "panic"}', b"\x00\x01"):
            ws.send(bad)
        rig.advance_to_step(20)  # the loop moves on; the page still hears it
        deadline = time.monotonic() + 5
        while json.loads(ws.recv(timeout=5))["bar"] != 1:
            assert time.monotonic() < deadline
    lines = [r.getMessage() for r in caplog.records if r.name == "psc_looper.stage.server"]
    # one line: the next bad one within guard.LOG_INTERVAL_SECONDS is counted, not logged
    assert len(lines) == 1 and "ignored a message" in lines[0] and "not JSON" in lines[0]
    with connect(ws_url(server)) as ws:  # over the size limit: that socket closed, one line
        ws.recv(timeout=5)
        ws.send("x" * 5000)
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)
    time.sleep(0.2)
    (closed,) = [r.getMessage() for r in caplog.records[len(lines):]]
    assert "closed the page" in closed and "exceeds limit" in closed
    with connect(ws_url(server)) as ws:  # a page connects again
        assert json.loads(ws.recv(timeout=5))["playing"]
    assert rig.looper.snapshot().playing and rig.looper.mode is Mode.FREE


def test_the_state_goes_out_at_most_twenty_times_a_second():
    server = StageServer("127.0.0.1", 0, None)
    counter = iter(range(10**9))
    server.start(lambda: str(next(counter)), lambda _action: True)  # new every time asked
    try:
        with connect(ws_url(server)) as ws:
            ws.recv(timeout=5)
            start, got = time.monotonic(), 0
            while time.monotonic() - start < 1.0:
                ws.recv(timeout=5)
                got += 1
    finally:
        server.stop()
    assert 10 <= got <= 21


def test_a_port_in_use_is_one_line_naming_the_option():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(StageError) as caught:
            StageServer("127.0.0.1", port, None)
    message = str(caught.value)
    assert f"127.0.0.1:{port} is in use" in message and "--web-port" in message
    assert "\n" not in message


@pytest.mark.parametrize(("host", "reason"), [
    ("192.0.2.1", "Cannot assign requested address"),  # an address not on this machine
    ("no-such-host.invalid", "Name or service not known")])
def test_an_address_it_cannot_listen_on_is_one_line_naming_the_options(host, reason):
    with pytest.raises(StageError) as caught:
        StageServer(host, 0, "t")
    assert str(caught.value) == (f"stage view: {host}:0 cannot be opened ({reason}) (choose "
                                 "another with --web-port or --web-host)")


def test_run_with_the_web_port_in_use_exits_2_with_one_line_before_starting(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "psc_looper", "run", "--no-sc", "--no-models", "--no-record",
             "--status", "off", "--duration", "5", "--listen-port", "0", "--web",
             "--web-port", str(port)],
            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"psc-looper: error: stage view: 127.0.0.1:{port} is in use (choose another with "
        "--web-port)"]
    assert "listening" not in done.stdout
