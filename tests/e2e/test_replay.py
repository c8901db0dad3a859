"""A demo replayed through real SuperCollider: its keys and controller as simulated MIDI."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from psc_looper.cli import main
from psc_looper.looper.engine import Origin
from psc_looper.osc.ports import OscOut
from psc_looper.osc.protocol import NOTE_ON
from psc_looper.rig.replay import UDP_START_SECONDS, ReplayOptions, replay_config
from psc_looper.sc.onsets import load_mono, rms_between
from psc_looper.sc.testing import LiveBridge
from psc_looper.sessions.reader import read_session
from tests.e2e.conftest import MakeBackend

pytestmark = pytest.mark.e2e

# 7/8 and a tempo set from the controller, play at 3 s, a bass line at 5.9-8.7 s, stop
DEMO = Path(__file__).resolve().parents[2] / "demos" / "1-groove-7-8.mid"
SOUNDING = 0.02  # RMS around a played note
SILENT = 0.002  # RMS where nothing plays


def test_a_demo_replayed_into_the_bridge_sounds_where_its_notes_were_played(
        live_bridge: LiveBridge, make_backend: MakeBackend, tmp_path: Path) -> None:
    session = read_session(DEMO)
    config = replay_config(session, ReplayOptions())
    app = make_backend(qpm=config.qpm, structure=config.structure)
    lock = threading.Lock()  # the listener runs on the OSC server thread
    played: list[tuple[float, int]] = []  # wall time the backend sent a key's sound, pitch

    def on_output(messages: list[OscOut], _at: float | None, origin: Origin) -> None:
        if origin is Origin.PIANIST:
            with lock:
                played.extend((time.time(), int(a[0])) for address, a in messages
                              if address.startswith("/play"))

    app.looper.add_output_listener(on_output)
    wav = tmp_path / "demo.wav"
    start = live_bridge.record_from(wav, lead=0.3)
    time.sleep(max(0.0, start - time.time()))
    began = time.time() + UDP_START_SECONDS
    assert main(["replay", str(DEMO), "--bridge", f"127.0.0.1:{live_bridge.process.port}"]) == 0
    stopped = began + session.inputs[-1].time  # the demo ends with the stop button
    time.sleep(max(0.0, stopped + 0.8 - time.time()))
    live_bridge.stop_recording()

    keys = [e.args[0] for e in session.inputs if e.address == NOTE_ON]
    with lock:
        assert [pitch for _, pitch in played] == keys  # each key went through sclang
    audio, rate = load_mono(wav)
    for at, pitch in played:
        level = rms_between(audio, rate, at - start, at - start + 0.15)
        assert level > SOUNDING, (pitch, at - start, level)
    # before play (controller only: meter, tapped tempo) and after the stop
    for quiet in ((began + 0.6, began + 2.8), (stopped + 0.4, stopped + 0.7)):
        level = rms_between(audio, rate, quiet[0] - start, quiet[1] - start)
        assert level < SILENT, (quiet, level)
