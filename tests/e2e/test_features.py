"""The looper's features heard through real SuperCollider: bass take, drums, the machine's answer.

Keys and controller go in as simulated MIDI inside sclang; what is asserted is in
the server's recorded output, on the backend's step grid (see sound.py).
"""

from __future__ import annotations

import math
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from psc_looper.app import Backend
from psc_looper.improv.options import Boundary, Fit, ImprovOptions
from psc_looper.looper.click import click_track
from psc_looper.looper.engine import Origin
from psc_looper.looper.notes import Mode, Track
from psc_looper.osc.ports import OscOut
from psc_looper.osc.protocol import Instrument, play_address
from psc_looper.sc.explain import explained
from psc_looper.sc.onsets import load_mono
from psc_looper.sc.testing import LiveBridge
from tests.e2e.conftest import MakeBackend
from tests.e2e.sound import (
    BASS_RECORD,
    BUILD_BEAT,
    GENERATE_GROOVE,
    IMPROV,
    MUTE_CLICK,
    ONE_BAR,
    PLAY,
    STOP,
    TOLERANCE,
    LoopStarts,
    heard,
    loop_hits,
    off_grid,
    press,
    record_steps,
    sleep_until,
    step_wall,
    wait_until,
)

pytestmark = pytest.mark.e2e

LOOP = ONE_BAR.steps
CLICK_STEPS = [n.onset for n in click_track(ONE_BAR)]
BASS_LINE = {2: 40, 6: 43, 10: 45}  # loop step -> pitch: off the beat, between the clicks


def test_a_recorded_bass_line_sounds_with_the_click_in_the_next_loop(
        live_bridge: LiveBridge, make_backend: MakeBackend, tmp_path: Path) -> None:
    app = make_backend(structure=ONE_BAR)
    press(live_bridge, PLAY)
    press(live_bridge, BASS_RECORD)
    wait_until(lambda: app.looper.mode is Mode.BASS and app.looper.snapshot().playing,
               "playing in bass mode")
    for step, pitch in BASS_LINE.items():  # one step long each, in the first loop
        sleep_until(step_wall(app, step))
        live_bridge.sim_note_on(pitch, 100)
        sleep_until(step_wall(app, step + 1))
        live_bridge.sim_note_off(pitch)
    wav = tmp_path / "bass.wav"
    start = record_steps(live_bridge, app, wav, LOOP, 2 * LOOP)
    press(live_bridge, STOP)

    # heard where the take has them (a key held up over half a step on a loaded machine
    # moves on to the next step: quantization is the looper tests' business)
    recorded = app.looper.track_notes(Track.BASS)
    assert [n.pitch for n in recorded] == list(BASS_LINE.values()), recorded
    fit = heard(live_bridge, wav, start, app, LOOP, LOOP)
    assert fit.steps == sorted(set(CLICK_STEPS) | {n.onset for n in recorded}), fit
    assert not off_grid(fit), fit


def test_the_beat_then_a_generated_groove_sound_from_the_next_loop_start(
        live_bridge: LiveBridge, make_backend: MakeBackend, drums_bundle: Path,
        tmp_path: Path) -> None:
    # the model in this process: its TensorFlow is loaded already (the bundle was built here)
    app = make_backend(structure=ONE_BAR, drums_bundle=drums_bundle, isolate_models=False,
                       seed=7)
    drums = app.drums
    starts = LoopStarts(app)
    press(live_bridge, PLAY)
    press(live_bridge, MUTE_CLICK)  # only the drums sound
    press(live_bridge, BUILD_BEAT)  # no bass line: kick on 1, closed hat on the 8ths
    wait_until(lambda: drums.current is not None, "the beat built")
    beat_wav = tmp_path / "beat.wav"
    beat_start = record_steps(live_bridge, app, beat_wav, LOOP, 2 * LOOP)

    press(live_bridge, GENERATE_GROOVE)
    wait_until(lambda: drums.current is not None and drums.current.name.startswith("groove"),
               "a groove generated")
    next_free = app.looper.schedule.step_at(app.clock.now() + app.looper.lookahead + 0.1)
    groove_loop = math.ceil(next_free / LOOP) * LOOP
    groove_wav = tmp_path / "groove.wav"
    groove_start = record_steps(live_bridge, app, groove_wav, groove_loop, groove_loop + LOOP)
    press(live_bridge, STOP)

    beat = starts.drums_at(LOOP)
    assert beat and sorted(beat) == sorted(drums.previous.notes)  # type: ignore[union-attr]
    assert starts.drums_at(0) == ()
    # from step 0: a sound before the beat's loop (recorded from 0.2 s before it) would
    # be an onset on step 14 or 15; a hat right after the kick rises less over its tail
    fit = heard(live_bridge, beat_wav, beat_start, app, 0, 2 * LOOP, ratio=1.6)
    assert fit.steps == sorted({LOOP + n.onset for n in beat}), fit
    assert not off_grid(fit), fit

    played = starts.drums_at(groove_loop)
    assert played and sorted(played) == sorted(drums.current.notes)  # type: ignore[union-attr]
    # hits on every step ring into each other: too dense for onsets, so the recording is
    # fitted as a mix of the drum samples at the groove's steps (and the beat's tails)
    audio, rate = load_mono(groove_wav)
    step = app.looper.schedule.step_seconds
    origin = step_wall(app, groove_loop) - groove_start
    loop_audio = audio[round(origin * rate):round((origin + LOOP * step) * rate)]

    def fit_moved(by: float) -> float:
        hits = loop_hits(beat, by - LOOP * step, step) + loop_hits(played, by, step)
        return explained(loop_audio, rate, hits)

    on_time = max(fit_moved(lag) for lag in np.arange(-TOLERANCE, TOLERANCE + 1e-9, 0.0025))
    misplaced = max(fit_moved(k * step) for k in (-1, -0.5, 0.5, 1))
    assert on_time >= 0.6 and on_time - misplaced >= 0.3, (on_time, misplaced)


class MachineNotes:
    """The backend's outgoing key sounds the machine chose, with the wall time sent."""

    def __init__(self, backend: Backend) -> None:
        self._lock = threading.Lock()  # the listener runs on the OSC server thread
        self.sent: list[tuple[float, int]] = []
        backend.looper.add_output_listener(self._on_output)

    def _on_output(self, messages: list[OscOut], _at: float | None, origin: Origin) -> None:
        if origin is not Origin.MACHINE:
            return
        now = time.time()
        with self._lock:
            self.sent.extend((now, int(args[0])) for address, args in messages
                             if address == play_address(Instrument.KEYS))

    def first(self) -> tuple[float, int] | None:
        with self._lock:
            return self.sent[0] if self.sent else None


@pytest.mark.parametrize("follower", [True, False], ids=["follower", "whole-line"])
def test_in_improv_mode_a_key_sounds_the_machines_pitch(
        live_bridge: LiveBridge, make_backend: MakeBackend, melody_bundle: Path,
        tmp_path: Path, follower: bool) -> None:
    # answering after 4 notes at once; the whole line as generated (no register or chord
    # fitting), or the follower's pitch drawn at the key's step (in its own process)
    options = ImprovOptions(threshold=4, boundary=Boundary.NONE, breath_steps=0,
                            follow_register=False, fit=Fit.OFF, follower=follower)
    app = make_backend(structure=ONE_BAR, melody_bundle=melody_bundle, isolate_models=False,
                       seed=7, improv=options)
    machine = MachineNotes(app)
    press(live_bridge, PLAY)
    press(live_bridge, MUTE_CLICK)
    press(live_bridge, IMPROV)
    wait_until(lambda: app.looper.mode is Mode.IMPROV, "improv mode")
    for key in (60, 62, 64, 65):
        live_bridge.sim_note_on(key, 90)
        time.sleep(0.15)
        live_bridge.sim_note_off(key)
        time.sleep(0.1)
    wait_until(lambda: "ready" in app.looper.snapshot().extras["improv"],
               "the machine's line generated")
    time.sleep(0.3)  # a boundary (any step) passes
    assert machine.first() is None  # the pianist's own notes so far

    wav = tmp_path / "improv.wav"
    start = live_bridge.record_from(wav, lead=0.3)
    sleep_until(start + 0.3)
    key = 108  # the top key: the generated melody lies far below it
    live_bridge.sim_note_on(key, 100)
    wait_until(lambda: machine.first() is not None, "the machine's note sent")
    time.sleep(0.3)
    live_bridge.sim_note_off(key)
    sleep_until(start + 0.8)
    live_bridge.stop_recording()
    press(live_bridge, STOP)

    sent_at, pitch = machine.first()  # type: ignore[misc]
    assert follower or pitch != key  # the follower may fold its pitch onto the key's octave
    onsets = [start + t for t in live_bridge.onsets(wav)]
    assert len(onsets) == 1, onsets  # the machine's note, nothing else
    assert -TOLERANCE <= onsets[0] - sent_at <= 0.05, (onsets, sent_at)


def test_only_the_chosen_simulated_devices_reach_the_looper(
        live_bridge: LiveBridge, make_backend: MakeBackend) -> None:
    app = make_backend(midi_inputs=("keystation",))
    played: list[int] = []
    app.looper.add_output_listener(
        lambda out, _at, _origin: played.extend(a[0] for addr, a in out
                                                if addr == play_address(Instrument.KEYS)))
    for note, source in ((60, "Keystation 49"), (62, "Launchkey Mini"), (64, "Keystation 49")):
        live_bridge.sim_note_on(note, 100, source=source)
        live_bridge.sim_note_off(note, source=source)
    wait_until(lambda: played == [60, 64] and app.inputs.ignored() == {"Launchkey Mini": 2},
               "the Keystation's keys played, the Launchkey's two events ignored")
