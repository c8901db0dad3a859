"""The looper driven step by step on the virtual clock, asserting on what came out."""

import pytest

from psc_looper.app import BackendConfig
from psc_looper.control.mapping import MappingError
from psc_looper.looper.notes import Mode, Track
from psc_looper.rig import VirtualRig
from psc_looper.timing.meter import LoopStructure, Meter
from tests.helpers import plays, unmatched_notes

STEP = 0.125  # seconds per 16th at the default 120 qpm

# nanoKONTROL2 default map
PLAY, STOP, PANIC, BASS_REC, CHORDS_REC, CLICK_MUTE = 41, 42, 46, 65, 67, 48
NUM_DOWN = 58


@pytest.fixture
def rig():
    return VirtualRig()


def steps_of(rig, sent, t0):
    return [round((s.at - t0) / STEP, 6) for s in sent]


def test_clicks_play_on_their_steps_time_tagged_ahead(rig):
    rig.press(PLAY)
    t0 = rig.step_time(0)
    rig.advance_to_step(63)
    clicks = [s for s in plays(rig.sent) if "click" in s.address]
    assert steps_of(rig, plays(clicks, "click0"), t0) == [0, 32]
    assert steps_of(rig, plays(clicks, "click1"), t0) == [16, 48]
    assert len(plays(clicks, "click2")) == 12
    # every loop event was sent exactly the lookahead before its time
    assert all(s.at - s.sent == pytest.approx(rig.looper.lookahead) for s in clicks)


def test_no_drift_after_many_loops(rig):
    rig.press(PLAY)
    t0 = rig.step_time(0)
    rig.advance_to_step(32 * 500 + 1)
    last = plays(rig.sent, "click0")[-1]
    assert last.at == pytest.approx(t0 + 32 * 500 * STEP, abs=1e-9)


def test_tempo_change_applies_from_the_next_unsent_step_without_a_jump(rig):
    rig.press(PLAY)
    rig.advance_to_step(10)
    t11 = rig.step_time(11)
    rig.looper.set_qpm(60)
    assert rig.step_time(11) == pytest.approx(t11)
    rig.advance_to(t11 + 2)
    beat = [s for s in plays(rig.sent, "click2") if s.at > t11]
    assert beat[0].at == pytest.approx(t11 + 0.25)  # step 12, one 60-qpm step after 11


def test_structure_change_waits_for_the_next_loop_start(rig):
    rig.press(PLAY)
    t0 = rig.step_time(0)
    rig.advance_to_step(5)
    rig.press(NUM_DOWN)  # 4/4 -> 3/4
    assert rig.looper.structure.meter == Meter(4, 4)
    rig.advance_to_step(32 + 48 + 1)
    assert rig.looper.structure == LoopStructure(Meter(3, 4), 2)
    assert steps_of(rig, plays(rig.sent, "click0"), t0) == [0, 32, 56, 80]
    assert steps_of(rig, plays(rig.sent, "click1"), t0) == [16, 44, 68]


def record(rig, mode_cc, notes, loop_start=0):
    """Play ``notes`` (onset, pitch, duration in steps, possibly fractional) in a mode."""
    if mode_cc is not None:
        rig.press(mode_cc)
    events = []
    for onset, pitch, duration in notes:
        events += [(loop_start + onset, 0, pitch), (loop_start + onset + duration, 1, pitch)]
    for when, kind, pitch in sorted(events):
        rig.advance_to_step(when)
        rig.note_off(pitch) if kind else rig.note_on(pitch, 90)


def test_recorded_bass_line_loops_with_its_durations_and_mode_returns_to_free(rig):
    rig.press(PLAY)
    rig.advance_to_step(0)
    rig.press(BASS_REC)
    assert rig.looper.mode is Mode.BASS and rig.looper.snapshot().recording is None
    # the last note rounds to step 32, the next loop's start, where the take has its
    # first note: the next downbeat played along, heard with the keys, never a dyad
    record(rig, None, [(0.1, 36, 4), (8.4, 43, 2), (16, 41, 6), (31.6, 38, 0.9)])
    live = [s for s in plays(rig.sent, "bass") if s.at is None]
    assert [s.args[0] for s in live] == [36, 43, 41]  # heard live with the bass sound
    assert [s.args[0] for s in plays(rig.sent, "wurly")] == [38]
    rig.advance_to_step(34)
    assert rig.looper.mode is Mode.FREE
    notes = rig.looper.track_notes(Track.BASS)
    assert [(n.onset, n.pitch, n.duration) for n in notes] == [
        (0, 36, 4), (8, 43, 2), (16, 41, 6)]
    rig.output.clear()
    t64 = rig.step_time(64)
    rig.advance_to_step(95)
    looped = [s for s in plays(rig.sent, "bass") if s.at >= t64]
    assert sorted((round((s.at - t64) / STEP), s.args[0]) for s in looped) == [
        (0, 36), (8, 43), (16, 41)]
    stops = [s for s in rig.sent if s.address == "/stopbass" and s.args[0] == 41 and s.at > t64]
    assert [round((s.at - t64) / STEP) for s in stops] == [22]


def test_a_pickup_just_before_the_loop_start_starts_the_take_in_the_next_loop(rig):
    rig.press(PLAY)
    record(rig, BASS_REC, [(31.7, 36, 2), (36, 40, 2)])
    rig.advance_to_step(33)
    assert rig.looper.mode is Mode.BASS  # the take runs through the second loop
    rig.advance_to_step(65)
    assert [(n.onset, n.pitch) for n in rig.looper.track_notes(Track.BASS)] == [(0, 36), (4, 40)]


def test_chords_keep_simultaneous_notes_and_a_new_take_replaces_the_old(rig):
    rig.press(PLAY)
    record(rig, CHORDS_REC, [(0, 60, 8), (0, 64, 8), (0, 67, 8)])
    rig.advance_to_step(33)
    assert len(rig.looper.track_notes(Track.CHORDS)) == 3
    record(rig, CHORDS_REC, [(4, 62, 4), (4, 65, 4)], loop_start=32)
    rig.advance_to_step(65)
    assert sorted(n.pitch for n in rig.looper.track_notes(Track.CHORDS)) == [62, 65]
    assert {n.onset for n in rig.looper.track_notes(Track.CHORDS)} == {4}


def test_every_note_started_is_stopped_and_stop_silences_everything(rig):
    rig.press(PLAY)
    record(rig, BASS_REC, [(0, 36, 30), (16, 43, 20)])  # notes that ring over the loop end
    rig.advance_to_step(40)
    rig.note_on(72)  # a held live key
    rig.press(STOP)
    assert not rig.looper.snapshot().playing
    assert unmatched_notes(rig.sent) == {}
    assert rig.sent[-1].address == "/panic"
    rig.note_off(72)  # releasing after stop sends nothing more
    assert rig.sent[-1].address == "/panic"


def test_panic_silences_but_keeps_the_loop_and_its_data(rig):
    rig.press(PLAY)
    record(rig, BASS_REC, [(0, 36, 30)])
    rig.advance_to_step(40)
    rig.note_on(60)
    rig.press(PANIC)
    assert unmatched_notes(rig.sent) == {}
    assert rig.looper.snapshot().playing
    assert len(rig.looper.track_notes(Track.BASS)) == 1
    rig.advance_to_step(64 + 1)
    assert plays(rig.sent)[-1].at > rig.step_time(40)


def test_key_release_stops_what_it_started_even_after_a_mode_change(rig):
    rig.note_on(60)
    rig.looper.set_mode(Mode.BASS)
    rig.note_off(60)  # released after the mode change: the keys' voice stops
    rig.note_on(60)  # same key again, now with the bass sound
    rig.note_off(60)
    assert [(s.address, s.args[0]) for s in rig.sent] == [
        ("/playwurly", 60), ("/stopwurly", 60), ("/playbass", 60), ("/stopbass", 60)]


def test_a_key_pressed_again_after_a_lost_release_ends_its_earlier_voice(rig):
    rig.note_on(60)
    rig.note_on(60, 70)  # the release in between was lost (a dropped datagram)
    assert [(s.address, s.args) for s in rig.sent] == [
        ("/playwurly", (60, 100)), ("/stopwurly", (60, 0)), ("/playwurly", (60, 70))]
    assert rig.looper.snapshot().sounding == 1
    rig.note_off(60)
    assert unmatched_notes(rig.sent) == {} and rig.looper.snapshot().sounding == 0


def test_live_notes_go_out_at_once_untagged(rig):
    rig.note_on(64, 80)
    sent = rig.sent[-1]
    assert (sent.address, sent.args, sent.at) == ("/playwurly", (64, 80), None)


def test_volume_scales_and_clamps_velocity_and_mutes_silence_tracks(rig):
    rig.cc(4, 64)  # improv slider to ~50%
    rig.note_on(60, 100)
    assert rig.sent[-1].args == (60, 50)
    rig.cc(4, 0)
    rig.note_on(62, 100)  # volume 0: nothing sounds
    assert rig.sent[-1].args[0] == 60
    rig.press(PLAY)
    rig.press(CLICK_MUTE)
    rig.advance_to_step(32)
    assert plays(rig.sent, "click0") == []


def test_controller_events_from_other_devices_are_not_the_controller(rig):
    rig.controller_source = "Arturia KeyLab"
    rig.press(PLAY)
    assert not rig.looper.snapshot().playing
    rig.controller_source = "nanoKONTROL2 SLIDER/KNOB"
    rig.press(PLAY)
    assert rig.looper.snapshot().playing


def test_actions_of_features_not_built_say_so(tmp_path):
    path = tmp_path / "future.toml"
    path.write_text('source = "nanoKONTROL2"\n[buttons]\n39 = "summon_orchestra"\n')
    with pytest.raises(MappingError, match="unknown action 'summon_orchestra'"):
        VirtualRig(BackendConfig(controller_maps=[path]))  # refused at load (issue 26)
    rig = VirtualRig()
    rig.backend.actions._actions.pop("generate_groove", None)  # as without a drums model
    rig.press(66)
    assert "generate_groove: not built yet" in rig.looper.snapshot().warnings


def test_tap_tempo_sets_qpm_from_the_taps(rig):
    for i in range(4):
        rig.advance_to(10 + i * 0.6)
        rig.press(32)
    assert rig.looper.qpm == pytest.approx(100.0)


def test_out_of_range_structure_changes_warn_and_change_nothing():
    rig = VirtualRig(BackendConfig(structure=LoopStructure(Meter(2, 16), 1)))
    rig.press(NUM_DOWN)
    rig.press(61)  # denominator / 2 -> 8
    rig.press(43)  # bars - 1 -> 0
    assert rig.looper.structure == LoopStructure(Meter(2, 8), 1)
    assert len(rig.looper.snapshot().warnings) == 2


def test_switching_to_chords_during_a_bass_take_keeps_the_bass_played_so_far(rig):
    rig.press(PLAY)
    record(rig, BASS_REC, [(0, 36, 4), (8, 43, 2)])
    rig.advance_to_step(12)
    rig.note_on(45)  # held while the pianist switches to chords
    rig.advance_to_step(14)
    rig.press(CHORDS_REC)
    notes = rig.looper.track_notes(Track.BASS)
    assert [(n.onset, n.pitch, n.duration) for n in notes] == [(0, 36, 4), (8, 43, 2), (12, 45, 2)]
    assert rig.looper.mode is Mode.CHORDS
    rig.note_off(45)
    record(rig, None, [(16, 60, 8)])
    rig.advance_to_step(34)
    assert [n.pitch for n in rig.looper.track_notes(Track.CHORDS)] == [60]
    assert len(rig.looper.track_notes(Track.BASS)) == 3


def test_a_panic_while_playing_keeps_the_steps_already_sent_with_their_note_offs(rig):
    rig.press(PLAY)
    record(rig, BASS_REC, [(0, 36, 2), (8, 43, 2)])
    rig.advance_to_step(32 + 7.5)  # step 40 (the loop's bass at 8) is already sent
    rig.note_on(60)
    rig.press(PANIC)
    panic = rig.sent[-1]
    assert (panic.address, panic.args) == ("/panic", (1,))
    stopped = [(s.address, s.args[0]) for s in rig.sent if s.sent == panic.sent and s.at is None]
    assert ("/stopwurly", 60) in stopped and ("/stopbass", 43) not in stopped
    rig.advance_to_step(43)
    offs = [s for s in rig.sent if s.address == "/stopbass" and s.args[0] == 43]
    assert offs[-1].at == pytest.approx(rig.step_time(42))  # the bass's own note-off
    assert unmatched_notes(rig.sent) == {}


def test_a_stop_releases_the_steps_already_sent_and_drops_them_at_the_bridge(rig):
    rig.press(PLAY)
    record(rig, BASS_REC, [(8, 43, 2)])
    rig.advance_to_step(32 + 7.5)
    rig.press(STOP)
    assert (rig.sent[-1].address, rig.sent[-1].args) == ("/panic", ())
    assert ("/stopbass", (43, 0)) in [(s.address, s.args) for s in rig.sent[-3:]]
    assert unmatched_notes(rig.sent) == {}
