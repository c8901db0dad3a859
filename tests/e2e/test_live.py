"""Keyboard -> bridge -> backend -> bridge -> sound, with every process real."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from psc_looper.app import Backend
from psc_looper.sc.testing import LiveBridge

pytestmark = pytest.mark.e2e

PLAY_BUTTON, STOP_BUTTON = 41, 42  # nanoKONTROL2 transport, see controllers/nanokontrol2.toml
SUSTAIN_PEDAL = 64  # the keyboard's sustain pedal, see controllers/keyboard.toml


def test_a_pressed_key_sounds_and_stops(live_bridge: LiveBridge, backend: Backend) -> None:
    live_bridge.monitor()
    pressed = time.time()
    live_bridge.sim_note_on(60, 100)
    heard = live_bridge.first("/bridge/onset", since=pressed, timeout=2)
    assert heard.wall - pressed < 0.1  # MIDI -> sclang -> Python -> sclang -> scsynth
    assert live_bridge.status()["wurly"] == 1
    released = time.time()
    live_bridge.sim_note_off(60)
    live_bridge.first("/bridge/silent", since=released, timeout=2)
    assert live_bridge.status()["wurly"] == 0


def test_a_note_released_under_the_pedal_sounds_on_until_the_pedal_lifts(
        live_bridge: LiveBridge, backend: Backend) -> None:
    live_bridge.monitor()
    live_bridge.sim_cc(SUSTAIN_PEDAL, 127, source="keyboard")
    pressed = time.time()
    live_bridge.sim_note_on(60, 100)
    live_bridge.first("/bridge/onset", since=pressed, timeout=2)
    time.sleep(0.3)
    live_bridge.sim_note_off(60)  # the key is up, the pedal down
    time.sleep(0.8)
    assert live_bridge.status()["wurly"] == 1
    assert live_bridge.level() > 0.003  # still heard, 0.8 s after the key's release
    lifted = time.time()
    live_bridge.sim_cc(SUSTAIN_PEDAL, 0, source="keyboard")
    silent = live_bridge.first("/bridge/silent", since=pressed, timeout=2)
    assert silent.wall >= lifted  # it fell silent only after the pedal lifted
    assert live_bridge.status()["wurly"] == 0


def test_the_click_track_sounds_on_the_beat(live_bridge: LiveBridge, backend: Backend,
                                            tmp_path: Path) -> None:
    wav = tmp_path / "click.wav"
    recording_start = live_bridge.record_from(wav)
    time.sleep(max(0.0, recording_start + 0.05 - time.time()))
    live_bridge.sim_cc(PLAY_BUTTON, 127)
    time.sleep(2.3)
    first_beat = backend.clock.to_wall(backend.looper.schedule.time_of(0))
    live_bridge.sim_cc(STOP_BUTTON, 127)
    live_bridge.stop_recording()
    onsets = np.array(live_bridge.onsets(wav))
    assert len(onsets) >= 4, onsets
    gaps = np.diff(onsets[:5])
    # Exact to a sample on a quiet machine (see supercollider/README.md). When other
    # processes starve the non-realtime JACK dummy driver, the recording's sample
    # clock lags the wall clock by a few percent: hence the slack.
    assert np.all(np.abs(gaps - 60.0 / backend.looper.qpm) < 0.03), gaps
    # sounds at its time tag (the recorder starts up to one 64-sample block early)
    assert -0.03 <= onsets[0] - (first_beat - recording_start) <= 0.03


def test_with_keys_thru_the_bridge_sounds_each_key_as_the_looper_says(
        live_bridge: LiveBridge, make_backend) -> None:
    backend = make_backend(keys_thru=True)
    sent: list[str] = []
    send = backend.output.send
    backend.output.send = lambda out, at=None: (sent.extend(a for a, _ in out), send(out, at))
    time.sleep(0.2)  # the route reaches the bridge
    live_bridge.monitor()
    pressed = time.time()
    live_bridge.sim_note_on(60, 100)
    live_bridge.first("/bridge/onset", since=pressed, timeout=2)
    time.sleep(0.1)
    assert live_bridge.status()["wurly"] == 1  # played once, by the bridge
    assert "/playwurly" not in sent
    released = time.time()
    live_bridge.sim_note_off(60)  # the backend releases it
    live_bridge.first("/bridge/silent", since=released, timeout=2)
    assert live_bridge.status()["wurly"] == 0
    backend.actions.run("record", "bass", 127)  # now keys play the bass
    time.sleep(0.2)
    live_bridge.sim_note_on(40, 100)
    time.sleep(0.2)
    status = live_bridge.status()
    assert (status["bass"], status["wurly"]) == (1, 0)
    live_bridge.sim_note_off(40)
    time.sleep(0.2)
    assert live_bridge.status()["bass"] == 0 and "/playbass" not in sent
