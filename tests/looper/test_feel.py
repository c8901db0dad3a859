"""Swing and the player's feel in the loop: a swung, laid-back take plays back where it was
played (not dotted, not on the grid); quantizing is per track and undoable; bad ratios and
lengths are one line and change nothing."""

import pytest

from psc_looper.app import BackendConfig
from psc_looper.looper.notes import Track
from psc_looper.rig import VirtualRig
from psc_looper.timing.swing import TRIPLET
from tests.helpers import plays, unmatched_notes
from tests.looper.test_engine import BASS_REC, PLAY, STOP

WALK = [36, 38, 40, 41, 43, 45, 47, 48]


def play_at(rig, notes):
    """(time, pitch, seconds held) played at their clock times."""
    events = sorted([(t, 1, p) for t, p, _ in notes] + [(t + d, 0, p) for t, p, d in notes])
    for when, on, pitch in events:
        rig.advance_to(when)
        rig.note_on(pitch, 90) if on else rig.note_off(pitch)


def swung_take(rig, lay_back=0.008, loop_start=32):
    """Eighths on the swung grid (off-beats at 2/3 of the beat), each ``lay_back`` late:
    the times they were played, relative to the take's loop start."""
    base = rig.step_time(loop_start)
    played = [(rig.step_time(loop_start + 2 * k) + lay_back, WALK[k % 8], 0.1)
              for k in range(16)]
    rig.press(BASS_REC)
    play_at(rig, played)
    return [t - base for t, _, _ in played]


def bass_onsets(rig, first_step, count):
    base = rig.step_time(first_step)
    return [s.at - base for s in plays(rig.sent, "bass") if s.at is not None
            and s.at >= base - 0.05][:count]


@pytest.mark.parametrize("swing", [0.5, 0.6, TRIPLET])
def test_a_swung_laid_back_take_plays_back_where_it_was_played(swing):
    rig = VirtualRig(BackendConfig(swing=swing))
    rig.press(PLAY)
    rig.advance_to_step(20)
    played = swung_take(rig)
    rig.advance_to_step(64 + 40)
    again = bass_onsets(rig, 64, 16)
    assert again == pytest.approx(played, abs=0.0003)  # a 480th of a step at most
    beat = 0.5
    assert played[1] - played[0] == pytest.approx(beat * swing)  # not dotted
    rig.press(STOP)
    assert not unmatched_notes(rig.sent)


def test_a_swung_offbeat_is_read_on_the_offbeat_and_the_click_stays_on_the_beat():
    rig = VirtualRig(BackendConfig(swing=TRIPLET))
    rig.press(PLAY)
    rig.advance_to_step(20)
    swung_take(rig, lay_back=0.0)
    notes = rig.looper.track_notes(Track.BASS)
    assert [n.onset for n in notes] == list(range(0, 32, 2))
    assert all(n.offset == 0 for n in notes)
    t0 = rig.step_time(0)
    beats = [round(s.at - t0, 6) for s in plays(rig.sent, "click2")][:3]
    assert beats == [0.5, 1.0, 1.5]  # quarters unmoved by the swing


def test_quantize_options_per_track_and_undo_brings_the_feel_back():
    rig = VirtualRig(BackendConfig(swing=0.6))
    rig.press(PLAY)
    rig.advance_to_step(20)
    swung_take(rig, lay_back=0.02)
    rig.advance_to_step(66)  # the take has ended
    felt = rig.looper.track_notes(Track.BASS)
    assert all(n.offset > 0.1 for n in felt)
    rig.backend.actions.run("quantize", "bass", 127)
    assert [n.offset for n in rig.looper.track_notes(Track.BASS)] == [0.0] * 16
    rig.backend.actions.run("quantize", "bass:16th", 127)  # straight 16ths: off-beats move
    straight = rig.looper.track_notes(Track.BASS)
    assert {n.offset for n in straight[1::2]} != {0.0}
    rig.backend.actions.run("undo", "bass", 127)
    rig.backend.actions.run("undo", "bass", 127)
    rig.advance_to_step(rig.looper.snapshot().loop_count * 32 + 33)  # undo: at the loop start
    assert rig.looper.track_notes(Track.BASS) == felt
    rig.backend.actions.run("quantize", "bass:triplet", 127)
    assert rig.looper.snapshot().warnings[-1] == "bass: quantized to triplet (undo: the feel back)"
    start = (rig.looper.snapshot().loop_count + 1) * 32
    rig.advance_to_step(start - 8)
    swung_take(rig, lay_back=0.02, loop_start=start)  # the next take is quantized too
    rig.advance_to_step(start + 40)
    assert {round(n.offset, 3) for n in rig.looper.track_notes(Track.BASS)} <= {0.0, 0.333}
    rig.backend.actions.run("quantize", "bass:feel", 127)
    assert "keep their feel" in rig.looper.snapshot().warnings[-1]


@pytest.mark.parametrize(("action", "argument"), [("swing", "0.8"), ("swing", "0.4"),
                                                  ("swing", "lots"), ("bars", "65"),
                                                  ("bars", "0"), ("bars", "twelve")])
def test_bad_swing_and_bars_are_one_line_and_change_nothing(action, argument):
    rig = VirtualRig()
    rig.press(PLAY)
    rig.backend.actions.run(action, argument, 127)
    snap = rig.looper.snapshot()
    assert snap.swing == 0.5 and snap.pending_swing is None
    assert snap.structure.bars == 2 and snap.pending_structure is None
    assert len(snap.warnings) == 1 and "\n" not in snap.warnings[0]


def test_bars_and_swing_actions_wait_for_the_loop_start():
    rig = VirtualRig()
    rig.press(PLAY)
    rig.advance_to_step(5)
    rig.backend.actions.run("bars", "12", 127)
    rig.backend.actions.run("swing", "0.667", 127)
    t8 = rig.step_time(8)
    rig.looper.set_qpm(120)
    assert rig.looper.structure.bars == 2 and rig.looper.schedule.swing == 0.5
    rig.advance_to_step(33)
    assert rig.looper.structure.bars == 12 and rig.looper.schedule.swing == 0.667
    assert rig.step_time(34) - rig.step_time(32) == pytest.approx(0.5 * 0.667)
    assert t8 == pytest.approx(rig.step_time(0) + 1.0)
    rig.press(STOP)


def test_a_meter_of_odd_eighths_plays_straight_until_the_quarters_come_back():
    rig = VirtualRig()
    rig.looper.change_structure(numerator=7, denominator=8)
    rig.looper.set_swing(TRIPLET)
    assert rig.looper.schedule.swing == 0.5 and "waits for a meter" in rig.looper.snapshot(
    ).warnings[-1]
    rig.looper.change_structure(numerator=6)
    rig.press(PLAY)
    assert rig.looper.schedule.swing == TRIPLET


def test_untimed_the_feel_is_sent_at_its_own_time_and_stop_ends_it():
    rig = VirtualRig(BackendConfig(timed=False, swing=0.6))
    rig.press(PLAY)
    rig.advance_to_step(20)
    played = swung_take(rig, lay_back=0.02)
    rig.advance_to_step(64 + 40)
    bass = [s for s in plays(rig.sent, "bass") if s.at is not None]
    assert bass and all(s.sent == pytest.approx(s.at) for s in bass)  # not a step early
    assert bass_onsets(rig, 64, 16) == pytest.approx(played, abs=0.0003)
    rig.press(STOP)
    assert not unmatched_notes(rig.sent)
