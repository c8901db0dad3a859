"""The free-length first take (loop pedal): from stop, press, play, press again: the loop is
as long as the take, rounded to whole bars at the tempo, or at the tempo that fits its bars."""

import pytest

from psc_looper.looper.notes import Track
from psc_looper.rig import VirtualRig
from tests.helpers import plays
from tests.looper.test_feel import play_at

WALK = [36, 38, 40, 41, 43, 45, 47, 48]


def walking(rig, qpm, bars, late=0.0):
    """Quarter notes for ``bars`` bars of 4/4 at ``qpm`` from now (each ``late`` s late)."""
    beat = 60.0 / qpm
    start = rig.now
    return [(start + k * beat + late, WALK[k % 8], beat * 0.8) for k in range(bars * 4)]


def test_a_free_take_sets_the_length_in_whole_bars_at_the_tempo():
    rig = VirtualRig()
    rig.advance(1.0)
    rig.backend.actions.run("free_record", "bass", 127)
    line = walking(rig, 120, 12, late=0.01)
    play_at(rig, line)
    rig.advance_to(line[0][0] + 12 * 2.0 + 0.3)  # a little late: still 12 bars
    rig.backend.actions.run("free_record", "bass", 127)
    snap = rig.looper.snapshot()
    assert snap.playing and snap.structure.bars == 12 and snap.qpm == 120
    notes = rig.looper.track_notes(Track.BASS)
    assert [n.onset for n in notes] == list(range(0, 192, 4))
    assert all(abs(n.offset - 0.08) <= 1 / 480 for n in notes)  # 10 ms at 120 qpm, kept
    t0 = rig.step_time(0)
    rig.advance_to_step(200)
    heard = [s.at - t0 for s in plays(rig.sent, "bass") if s.at is not None]
    assert heard[:48] == pytest.approx([k * 0.5 + 0.01 for k in range(48)], abs=0.0003)


def test_the_other_mode_derives_the_tempo_from_the_take():
    rig = VirtualRig()
    rig.backend.actions.run("bars", "12", 127)
    rig.backend.actions.run("free_record", "bass:tempo", 127)
    line = walking(rig, 100, 12)
    play_at(rig, line)
    rig.advance_to(line[0][0] + 12 * 4 * 0.6)
    rig.backend.actions.run("free_record", "bass:tempo", 127)
    snap = rig.looper.snapshot()
    assert snap.structure.bars == 12 and snap.qpm == pytest.approx(100)
    notes = rig.looper.track_notes(Track.BASS)
    assert [n.onset for n in notes] == list(range(0, 192, 4))
    assert all(n.offset == 0 for n in notes)


def test_a_free_take_starts_from_stop_and_a_too_short_one_is_a_line():
    rig = VirtualRig()
    rig.backend.actions.run("play", None, 127)
    rig.backend.actions.run("free_record", "bass", 127)
    assert "stop first" in rig.looper.snapshot().warnings[-1]
    rig.backend.actions.run("stop", None, 127)
    rig.backend.actions.run("free_record", "bass:tempo", 127)
    rig.advance(0.1)  # 2 bars in 0.1 s: 9600 qpm
    rig.backend.actions.run("free_record", "bass:tempo", 127)
    snap = rig.looper.snapshot()
    assert "free take dropped: qpm must be 40..300" in snap.warnings[-1]
    assert not snap.playing and snap.qpm == 120 and snap.structure.bars == 2
