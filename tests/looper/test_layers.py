"""Layers on the virtual clock: record replaces, overdub adds, undo/redo/clear at loop starts."""

import pytest

from psc_looper.looper.layers import Layers
from psc_looper.looper.notes import LoopNote, Mode, Track
from psc_looper.osc.protocol import Instrument
from psc_looper.rig import VirtualRig
from psc_looper.ui.status import render
from tests.helpers import plays, unmatched_notes
from tests.looper.test_engine import BASS_REC, CHORDS_REC, PLAY, STOP, record

OVERDUB_BASS, OVERDUB_CHORDS, UNDO, REDO, CLEAR = 33, 35, 38, 54, 70


@pytest.fixture
def rig():
    return VirtualRig()


def pitches(rig, track=Track.BASS):
    return sorted(n.pitch for n in rig.looper.track_notes(track))


def heard(rig, loop, name="bass"):
    """Pitches the loop sent for loop number ``loop`` (32-step loops, 0-based)."""
    start, end = rig.step_time(32 * loop), rig.step_time(32 * (loop + 1))
    return sorted(s.args[0] for s in plays(rig.sent, name) if s.at is not None
                  and start - 1e-9 <= s.at < end - 1e-9)


def two_layers(rig):
    """A bass take in loop 0 and an overdub in loop 1."""
    rig.press(PLAY)
    record(rig, BASS_REC, [(0, 36, 4), (16, 43, 4)])
    rig.advance_to_step(33)  # the take ends with the loop
    record(rig, OVERDUB_BASS, [(8, 48, 2)], loop_start=32)
    rig.advance_to_step(65)


def test_overdub_adds_a_layer_and_record_replaces_all(rig):
    two_layers(rig)
    assert pitches(rig) == [36, 43, 48]
    assert rig.looper.snapshot().layers[Track.BASS] == (2, 0)
    assert rig.looper.mode is Mode.FREE
    rig.advance_to_step(96)
    assert heard(rig, 2) == [36, 43, 48]
    record(rig, BASS_REC, [(4, 40, 2)], loop_start=96)
    rig.advance_to_step(129)
    assert pitches(rig) == [40]
    assert rig.looper.snapshot().layers[Track.BASS] == (1, 0)


def test_undo_and_redo_sound_from_the_next_loop_start(rig):
    two_layers(rig)
    rig.advance_to_step(70)
    rig.press(UNDO)
    assert pitches(rig) == [36, 43, 48]  # still playing this loop out
    assert rig.looper.snapshot().layers[Track.BASS] == (1, 1)
    assert "bass:100% 3 notes 1 layer +1 redo -> 2 next loop" in render(rig.looper.snapshot())
    rig.advance_to_step(97)
    assert pitches(rig) == [36, 43]
    assert heard(rig, 2) == [36, 43, 48]
    rig.advance_to_step(127)
    assert heard(rig, 3) == [36, 43]
    rig.press(REDO)
    rig.advance_to_step(159)
    assert heard(rig, 4) == [36, 43, 48]
    rig.press(UNDO)
    rig.press(UNDO)
    rig.advance_to_step(191)
    assert heard(rig, 5) == [] and pitches(rig) == []
    rig.press(UNDO)  # nothing left
    assert "undo: nothing to undo" in rig.looper.snapshot().warnings


def test_undo_of_a_take_in_progress_cancels_it_and_keeps_the_old_layers(rig):
    two_layers(rig)
    rig.press(CHORDS_REC)
    rig.advance_to_step(70)
    rig.note_on(60)
    rig.advance_to_step(72)
    rig.press(UNDO)
    rig.note_off(60)
    assert rig.looper.snapshot().recording is None and rig.looper.mode is Mode.FREE
    rig.advance_to_step(129)
    assert pitches(rig, Track.CHORDS) == [] and pitches(rig) == [36, 43, 48]
    assert "chords: take cancelled" in rig.looper.snapshot().warnings


def test_undo_with_a_track_only_touches_that_track(rig):
    rig.press(PLAY)
    record(rig, BASS_REC, [(0, 36, 4)])
    record(rig, CHORDS_REC, [(0, 60, 8)], loop_start=32)
    rig.advance_to_step(65)
    rig.backend.actions.run("undo", "bass", 127)
    rig.advance_to_step(97)
    assert pitches(rig) == [] and pitches(rig, Track.CHORDS) == [60]
    rig.backend.actions.run("redo", "chords", 127)  # nothing undone on chords
    assert "redo: nothing to redo on chords" in rig.looper.snapshot().warnings
    rig.backend.actions.run("undo", "click", 127)
    assert any("undo:click" in w for w in rig.looper.snapshot().warnings)


def test_clear_silences_the_last_track_changed_and_undo_brings_it_back(rig):
    two_layers(rig)
    rig.press(CLEAR)
    rig.advance_to_step(97)
    assert pitches(rig) == []
    rig.press(UNDO)
    rig.advance_to_step(129)
    assert pitches(rig) == [36, 43, 48]


def test_stopped_undo_is_immediate_and_nothing_is_left_sounding(rig):
    two_layers(rig)
    rig.advance_to_step(80)
    rig.press(STOP)
    rig.press(UNDO)
    assert pitches(rig) == [36, 43]
    assert not unmatched_notes(rig.sent)


def test_drum_undo_and_clear_go_to_the_drum_part_history(rig):
    rig.press(PLAY)
    record(rig, BASS_REC, [(0, 36, 4), (16, 43, 4)])
    rig.advance_to_step(33)
    rig.backend.actions.run("build_beat", None, 127)
    rig.advance_to_step(65)
    beat = rig.looper.track_notes(Track.DRUMS)
    assert beat
    rig.backend.actions.run("clear", "drums", 127)
    rig.advance_to_step(97)
    assert rig.looper.track_notes(Track.DRUMS) == []
    rig.backend.actions.run("undo", "drums", 127)
    rig.advance_to_step(129)
    assert rig.looper.track_notes(Track.DRUMS) == beat
    rig.advance_to_step(159)
    assert heard(rig, 4, "kick") == [n.pitch for n in beat if n.instrument == "kick"]


def note(pitch, onset=0):
    return LoopNote(onset, Track.BASS, Instrument.BASS, pitch)


def test_new_layer_drops_only_that_tracks_redo():
    layers = Layers()
    bass = layers.add(Track.BASS, [note(36)], replaces=True)
    layers.add(Track.CHORDS, [], replaces=True)
    assert layers.undo(Track.BASS) is bass and layers.undo() is not None
    layers.add(Track.BASS, [note(40)], replaces=False)
    assert layers.redo(Track.BASS) is None and layers.redo(Track.CHORDS) is not None
    assert not layers.revise(bass, [note(41)])  # undone: late notes go nowhere
    assert [n.pitch for n in layers.sounding(Track.BASS)] == [40]


def test_a_late_note_of_an_ended_overdub_lands_in_its_layer(rig):
    two_layers(rig)
    rig.press(OVERDUB_BASS)
    record(rig, None, [(4, 52, 2)], loop_start=64)
    rig.advance_to_step(96.3)  # the take has ended; this key rounds onto its end
    rig.note_on(50)
    rig.advance_to_step(97.5)
    rig.note_off(50)
    assert pitches(rig) == [36, 43, 48, 50, 52]
    assert {n.onset for n in rig.looper.track_notes(Track.BASS) if n.pitch == 50} == {0}
    assert rig.looper.snapshot().layers[Track.BASS] == (3, 0)


def test_count_in_plays_one_bar_of_click_before_a_recording_from_stop(rig):
    rig.backend.actions.run("count_in", None, 127)
    rig.press(48)  # the click muted: the count still sounds
    rig.press(BASS_REC)
    rig.press(PLAY)
    t0 = rig.step_time(0)
    assert rig.step_time(-16) == pytest.approx(rig.now + rig.looper.lookahead + 0.01)
    rig.advance_to_step(-6)
    rig.note_on(30)  # during the count: heard, not recorded
    rig.advance_to_step(-5)
    rig.note_off(30)
    record(rig, None, [(-0.3, 36, 4), (8, 43, 2)])
    rig.advance_to_step(33)
    count = [round((s.at - t0) / 0.125) for s in plays(rig.sent) if "click" in s.address
             and s.at < t0]
    assert count == [-16, -12, -8, -4]
    assert not [s for s in plays(rig.sent) if "click" in s.address and s.at >= t0]
    assert [(n.onset, n.pitch) for n in rig.looper.track_notes(Track.BASS)] == [(0, 36), (8, 43)]
    assert [s.args[0] for s in plays(rig.sent, "bass") if s.at is None] == [30, 36, 43]


def test_no_count_in_without_a_recording_mode(rig):
    rig.backend.actions.run("count_in", None, 127)
    rig.press(PLAY)
    assert rig.step_time(0) == pytest.approx(rig.now + rig.looper.lookahead + 0.01)
