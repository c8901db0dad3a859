"""The bridge peer: /ready only from 127.0.0.1 on the bridge's port, silence after 5 s."""

from psc_looper.osc.peer import SILENT_SECONDS, BridgePeer


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_only_the_bridge_socket_naming_its_own_port_is_admitted():
    peer = BridgePeer(57120, Clock())
    assert peer.admit(("127.0.0.1", 57120), [57120])
    assert peer.admit(("127.0.0.1", 57120), [])
    assert not peer.admit(("127.0.0.1", 40000), [57120])  # another local process
    assert not peer.admit(("127.0.0.1", 57120), [13999])  # moving the output elsewhere
    assert not peer.admit(("192.168.1.5", 57120), [57120])
    assert not peer.admit(None, [57120])  # replayed, not from a socket


def test_a_bridge_that_stops_announcing_is_shown_silent():
    clock = Clock()
    peer = BridgePeer(57120, clock)
    assert peer.describe().startswith("waiting")
    clock.t += SILENT_SECONDS + 1
    assert peer.describe() == "SILENT: no /ready from 127.0.0.1:57120 in 6 s"
    peer.admit(("127.0.0.1", 57120), [57120])
    clock.t += 2
    assert peer.describe() == "ok (127.0.0.1:57120)" and peer.silent_for() == 2
    clock.t += SILENT_SECONDS
    assert peer.describe() == "SILENT for 7 s (127.0.0.1:57120)"
