"""DrumsFeature on the virtual rig: parts swap at the loop start, undo, knob, failures, queue."""

import re
import threading

import pytest

from psc_looper.app import BackendConfig
from psc_looper.drums.feature import (
    TEMPERATURE_RANGE,
    DrumsConfig,
    DrumsFeature,
    temperature_from_knob,
)
from psc_looper.models import BundleError, DrumHit, GenerationError
from psc_looper.rig import VirtualRig
from tests.drums.conftest import ScriptedModel, drum_hits, drums_of, part_hits

PLAY, BUILD_BEAT, GENERATE, UNDO, TEMPERATURE_KNOB = 41, 34, 66, 37, 18
LOOP = 32  # steps of the default loop (2 bars of 4/4)
WAIT = 10  # seconds: a bound for thread hand-offs that take microseconds


def beat_then_groove(rig):
    """Play; the beat lands at loop 1, a groove asked for in loop 1 lands at loop 2."""
    rig.press(PLAY)
    rig.advance_to_step(2)
    rig.press(BUILD_BEAT)
    rig.advance_to_step(LOOP + 8)
    rig.press(GENERATE)
    return drums_of(rig)


def test_beat_plays_from_the_next_loop_start(drums_rig):
    rig = drums_rig()
    rig.press(PLAY)
    rig.advance_to_step(5)
    rig.press(BUILD_BEAT)
    rig.advance_to_step(2 * LOOP)
    assert drum_hits(rig, 0, LOOP) == []
    feature = drums_of(rig)
    assert drum_hits(rig, LOOP, 2 * LOOP) == part_hits(feature.current.notes)
    assert {(k, s) for k, s, _ in drum_hits(rig, LOOP, 2 * LOOP) if s != "clhat"} == {
        (0, "kick"), (16, "kick")}
    assert feature.status().startswith("beat | idle")


def test_groove_swaps_in_only_at_the_loop_boundary(drums_rig):
    rig = drums_rig()
    feature = beat_then_groove(rig)
    beat, groove = feature.previous, feature.current
    assert (beat.name, groove.name) == ("beat", "groove #1")
    assert groove.notes != beat.notes
    rig.advance_to_step(3 * LOOP)
    assert drum_hits(rig, LOOP, 2 * LOOP) == part_hits(beat.notes)
    assert drum_hits(rig, 2 * LOOP, 3 * LOOP) == part_hits(groove.notes)
    assert "groove #1 | idle" in rig.looper.snapshot().extras["drums"]


def test_undo_goes_back_to_the_previous_part_and_again_forward(drums_rig):
    rig = drums_rig()
    feature = beat_then_groove(rig)
    beat, groove = feature.previous, feature.current
    rig.advance_to_step(2 * LOOP + 4)
    rig.press(UNDO)
    rig.advance_to_step(3 * LOOP + 4)
    rig.press(UNDO)
    rig.advance_to_step(5 * LOOP)
    assert drum_hits(rig, 2 * LOOP, 3 * LOOP) == part_hits(groove.notes)
    assert drum_hits(rig, 3 * LOOP, 4 * LOOP) == part_hits(beat.notes)
    assert drum_hits(rig, 4 * LOOP, 5 * LOOP) == part_hits(groove.notes)


def test_the_next_groove_is_primed_with_the_current_one(drums_rig, monkeypatch):
    rig = drums_rig()
    feature = beat_then_groove(rig)
    spy = ScriptedModel([DrumHit(3, 51)])
    monkeypatch.setattr(feature, "model", spy)
    rig.press(GENERATE)
    ((primer, primer_steps, num_steps, _),) = spy.calls
    groove1 = sorted({(n.onset, n.pitch) for n in feature.previous.notes})
    assert [(h.step, h.pitch) for h in primer] == groove1
    assert (primer_steps, num_steps) == (LOOP, LOOP)
    assert feature.current.name == "groove #2"


def test_undo_with_nothing_before_says_so(drums_rig):
    rig = drums_rig()
    rig.press(UNDO)
    assert drums_of(rig).current is None
    assert "drums: no previous part to go back to" in rig.looper.snapshot().warnings


@pytest.mark.parametrize("error", [GenerationError("magenta said no"), RuntimeError("bug")])
def test_a_failed_generation_keeps_the_groove_and_shows_why(drums_rig, monkeypatch, error):
    rig = drums_rig()
    feature = beat_then_groove(rig)
    groove = feature.current

    def fail(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(feature.model, "generate", fail)
    rig.advance_to_step(2 * LOOP + 3)
    rig.press(GENERATE)
    rig.advance_to_step(4 * LOOP)
    assert feature.current is groove
    assert drum_hits(rig, 3 * LOOP, 4 * LOOP) == part_hits(groove.notes)
    message = f"groove generation failed: {error}"
    assert f"drums: {message}" in rig.looper.snapshot().warnings
    assert feature.status().endswith(f"error: {message}")


def test_without_a_bundle_the_beat_works_and_generate_says_why():
    rig = VirtualRig()
    rig.press(BUILD_BEAT)  # stopped: replaces at once
    rig.press(GENERATE)
    feature = drums_of(rig)
    assert feature.current.name == "beat"
    assert len(rig.looper.track_notes(feature.current.notes[0].track)) == len(
        feature.current.notes)
    assert "no model | error: no DrumsRNN bundle loaded" in feature.status()


@pytest.mark.parametrize("content", [b"", b"not a bundle at all"])
def test_a_bad_bundle_fails_at_start_up_naming_the_file(tmp_path, content):
    path = tmp_path / "broken_drums.mag"
    path.write_bytes(content)
    with pytest.raises(BundleError, match=re.escape(str(path))):
        VirtualRig(BackendConfig(drums_bundle=path))


def test_temperature_knob_is_live_for_the_next_generation(drums_rig, monkeypatch):
    rig = drums_rig()
    feature = drums_of(rig)
    spy = ScriptedModel()
    monkeypatch.setattr(feature, "model", spy)
    rig.cc(TEMPERATURE_KNOB, 0)
    assert feature.temperature == TEMPERATURE_RANGE[0]
    rig.cc(TEMPERATURE_KNOB, 127)
    rig.press(GENERATE)
    rig.cc(TEMPERATURE_KNOB, 64)
    rig.press(GENERATE)
    assert [call[3]["temperature"] for call in spy.calls] == [
        TEMPERATURE_RANGE[1], temperature_from_knob(64)]
    assert f"temp {temperature_from_knob(64):.2f}" in feature.status()
    assert 0.9 < temperature_from_knob(64) < 1.1


def test_beam_size_branch_factor_and_seed_come_from_the_config():
    rig = VirtualRig()
    model = ScriptedModel()
    feature = rig.backend.attach(DrumsFeature(
        model, config=DrumsConfig(0.7, beam_size=3, branch_factor=2),  # type: ignore[arg-type]
        seed=40, inline=True))
    feature.generate()
    feature.generate()
    assert [call[3] for call in model.calls] == [
        {"temperature": 0.7, "beam_size": 3, "branch_factor": 2, "seed": s} for s in (41, 42)]


class BlockingModel(ScriptedModel):
    """Generates only when released: lets a test look at the feature mid-generation."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Semaphore(0)
        self.release = threading.Event()

    def generate(self, *args, **kwargs):
        self.entered.release()
        assert self.release.wait(WAIT)
        return super().generate(*args, **kwargs)


def test_one_generation_runs_one_waits_and_the_loop_keeps_playing():
    rig = VirtualRig()
    model = BlockingModel()
    feature = rig.backend.attach(DrumsFeature(model))  # type: ignore[arg-type]
    rig.press(PLAY)
    feature.generate()
    assert model.entered.acquire(timeout=WAIT)
    assert " | generating | " in feature.status()
    feature.generate()
    feature.generate()  # replaces the waiting one
    assert " | generating (+1 queued) | " in feature.status()
    rig.advance_to_step(LOOP + 4)  # the loop and the keys go on meanwhile
    rig.note_on(60)
    assert rig.looper.snapshot().position == 4
    model.release.set()
    assert feature.wait_idle(WAIT)
    assert len(model.calls) == 2
    assert feature.current.name == "groove #2"
    assert " | idle | " in feature.status()
    feature.close()


def test_a_groove_for_a_loop_that_changed_meanwhile_is_dropped():
    rig = VirtualRig()
    model = BlockingModel()
    feature = rig.backend.attach(DrumsFeature(model))  # type: ignore[arg-type]
    feature.generate()
    assert model.entered.acquire(timeout=WAIT)
    rig.looper.change_structure(bars=1)
    model.release.set()
    assert feature.wait_idle(WAIT)
    assert feature.current is None
    assert "groove dropped: the loop changed to 1 bars of 4/4" in feature.status()
    feature.close()


def test_generate_after_close_says_why_and_stays_idle():
    rig = VirtualRig()
    feature = rig.backend.attach(DrumsFeature(ScriptedModel()))  # type: ignore[arg-type]
    feature.close()
    feature.generate()
    assert feature.current is None
    assert " | idle | " in feature.status()
    assert "error: worker drums is closed" in feature.status()
