"""The bridge against a bad ``/keys/thru`` from any local process: whatever it says, a
key forwarded to the backend passes the backend's strict parser (``protocol.INBOUND``),
and the bridge answers on."""

from __future__ import annotations

import time

import pytest

from psc_looper.osc.capture import UdpCapture
from psc_looper.osc.dispatcher import Dispatcher
from psc_looper.osc.protocol import KEYS_THRU, NOTE_ON
from psc_looper.sc.testing import LiveBridge

NOTE = 62


@pytest.mark.parametrize("args", [
    ("kick", 1.0),  # an instrument a key never sounds as
    ("organ", 1.0), (3, 1.0), ("wurly", "loud"), ("wurly", float("nan")),
    ("wurly", 1e30), ("wurly", -1.0), ("wurly", 1.0, 7, b"\x00\xff"), ("wurly", b"\x01"), (),
])
def test_a_bad_keys_thru_never_makes_the_bridge_forward_a_key_the_backend_refuses(
        quiet: LiveBridge, peer: UdpCapture, args: tuple) -> None:  # type: ignore[type-arg]
    quiet.send(KEYS_THRU, *args)
    assert quiet.ping() < 1.0
    since = time.time()
    quiet.sim_note_on(NOTE, 100)
    key = peer.first(NOTE_ON, since=since, timeout=3)
    quiet.sim_note_off(NOTE)
    quiet.send(KEYS_THRU, "", 0.0)  # thru off again
    assert Dispatcher().handle(NOTE_ON, list(key.args)), key.args
    assert quiet.ping() < 1.0
