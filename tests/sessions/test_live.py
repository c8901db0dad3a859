"""A session recorded live (real-time backend, OSC over UDP) replays on the virtual clock
to the same notes on the same steps."""

import math
import socket
import time

from pythonosc.udp_client import SimpleUDPClient

from psc_looper.app import Backend, BackendConfig
from psc_looper.rig.replay import ReplayOptions, replay_config, replay_inputs, replay_virtual
from psc_looper.sessions.format import TICKS_PER_STEP
from psc_looper.sessions.reader import read_session
from psc_looper.sessions.recorder import Recorder

PLAY, STOP, BASS, BARS_DOWN, TEMPO_KNOB = 41, 42, 65, 43, 16
SOURCE = "nanoKONTROL2"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout=2.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the backend did not react in time"
        time.sleep(0.005)


def notes_on_steps(path):
    """(track, pitch, velocity, start step, length in steps) from the "play" marker on.
    A note's step is the one it was played in (its start, rounded down: the keys are played
    a little after their steps, and the loop keeps that feel, however late they arrive)."""
    session = read_session(path)
    play = next(tick for tick, text in session.markers if text == "play")
    return sorted((n.track, n.pitch, n.velocity,
                   math.floor((n.start - play) / TICKS_PER_STEP + 0.05),
                   round((n.end - n.start) / TICKS_PER_STEP)) for n in session.notes)


def perform_live(backend, port):
    client = SimpleUDPClient("127.0.0.1", port)
    looper = backend.looper

    def press(cc):
        client.send_message("/ccevent", [cc, 127, 0, SOURCE])
        client.send_message("/ccevent", [cc, 0, 0, SOURCE])

    def at_step(step):
        time.sleep(max(0.0, looper.schedule.time_of(step) - backend.clock.now()))

    client.send_message("/ccevent", [TEMPO_KNOB, 95, 0, SOURCE])
    press(BARS_DOWN)  # one bar: 16 steps
    wait_for(lambda: looper.structure.bars == 1 and looper.qpm != 120)
    press(PLAY)
    press(BASS)
    wait_for(lambda: looper.snapshot().playing)
    for k, pitch in enumerate((40, 43, 45, 47)):
        at_step(4 * k + 0.3)
        client.send_message("/processnoteon", [pitch, 70 + k, 0, "Digital Piano"])
        at_step(4 * k + 2.3)
        client.send_message("/processnoteoff", [pitch, 0, 0, "Digital Piano"])
    at_step(16 * 2 + 8.4)
    press(STOP)
    time.sleep(0.2)


def test_live_session_replays_to_the_same_notes_on_the_same_steps(tmp_path):
    port = free_port()
    backend = Backend(BackendConfig(listen_port=port, bridge_port=free_port()))
    recorder = backend.attach(Recorder(tmp_path / "live.mid"))
    backend.start()
    try:
        perform_live(backend, port)
    finally:
        backend.close()
    live = read_session(tmp_path / "live.mid")
    assert recorder.stats.inputs == len(live.inputs) == 1 + 2 * 4 + 4 * 2
    config = replay_config(live, ReplayOptions())
    replay_virtual(replay_inputs(live, ReplayOptions(), config), config,
                   tmp_path / "replayed.mid")
    recorded = notes_on_steps(tmp_path / "live.mid")
    assert [n for n in recorded if n[0] == "pianist: bass"] == [
        ("pianist: bass", p, 70 + k, 4 * k, 2) for k, p in enumerate((40, 43, 45, 47))]
    assert sorted(n[3] for n in recorded if n[0] == "bass") == [16, 20, 24, 28, 32, 36, 40]
    assert notes_on_steps(tmp_path / "replayed.mid") == recorded
