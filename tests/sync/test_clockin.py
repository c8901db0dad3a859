"""MIDI clock in on the virtual clock, with a scripted leader: the loop follows its
tempo and phase without a jump, its start/stop/continue, and survives bad clocks."""

import re

import numpy as np

from psc_looper.app import BackendConfig
from psc_looper.rig import VirtualRig
from psc_looper.sync import SyncOptions
from tests.sync.leader import DEVICE, ScriptedLeader


def following(qpm: float = 100.0, **leader) -> tuple[VirtualRig, ScriptedLeader]:
    rig = VirtualRig(BackendConfig(qpm=qpm, sync=SyncOptions(clock_in=DEVICE)))
    rig.steps = {}  # absolute step -> its time, since the last play
    rig.looper.add_step_listener(lambda step, _position, at: rig.steps.__setitem__(step, at))
    return rig, ScriptedLeader(rig, **leader)


def loop_beat_times(rig: VirtualRig, first: int, count: int) -> np.ndarray:
    """When the loop's beats ``first``.. sounded."""
    return np.array([rig.steps[4 * b] for b in range(first, first + count)])


def sent_step_times(rig: VirtualRig) -> np.ndarray:
    return np.array([rig.steps[k] for k in sorted(rig.steps)])


def test_tempo_is_followed_within_half_a_qpm_after_4_beats_of_a_jittery_clock():
    rig, leader = following(qpm=100, jitter=0.001)
    leader.qpm = 132.0
    leader.run(4)
    assert abs(rig.backend.sync.clock_in.qpm - 132.0) < 0.5
    assert abs(rig.looper.qpm - 132.0) < 0.5  # stopped: the loop's tempo is the leader's


def test_start_plays_the_loop_on_the_leaders_grid_and_stop_stops_it():
    rig, leader = following(jitter=0.001)
    leader.run(2)
    leader.start()
    assert rig.looper.next_due() is not None
    leader.run(16)
    ours = loop_beat_times(rig, 8, 8)  # after two bars the loop's beats are the leader's
    assert np.max(np.abs(ours - np.array(leader.beat_times[8:16]))) < 0.001
    line = rig.looper.snapshot().extras["sync"]
    assert re.fullmatch(rf"clock-in {DEVICE} leads at 1(19.9|20.0|20.1) qpm, phase [-+]0.\d ms",
                        line)
    leader.stop()
    assert rig.looper.next_due() is None


def test_a_tempo_change_is_followed_within_a_beat_without_a_jump():
    rig, leader = following(jitter=0.001)
    leader.run(2)
    leader.start()
    leader.run(8)
    leader.qpm = 140.0
    leader.run(1.1)
    assert abs(rig.backend.sync.clock_in.qpm - 140.0) < 0.5  # followed within a beat
    leader.run(12)
    late = loop_beat_times(rig, 9, 12) - np.array(leader.beat_times[9:21])
    assert np.max(np.abs(late[4:8])) < 0.0025  # 5 to 8 beats after the change
    assert np.max(np.abs(late[8:])) < 0.001  # back on the grid
    gaps = np.diff(sent_step_times(rig))
    # no jump: each step is at most the bend (10 %) off the one before, never reordered
    assert np.all(gaps > 0) and np.all(np.abs(np.diff(gaps)) / gaps[1:] < 0.2)


def test_a_ramp_is_followed():
    rig, leader = following()
    leader.run(2)
    leader.start()
    leader.run(4)
    start = leader.t
    leader.qpm = lambda t: 120.0 + 2.0 * (t - start)  # +2 qpm a second
    leader.run(16)
    # a line through the last beat lags a ramp by half a beat: here 2 qpm/s x 0.22 s
    assert abs(rig.backend.sync.clock_in.qpm - leader.qpm(leader.t)) < 0.6
    n = len(leader.beat_times)
    late = loop_beat_times(rig, n - 5, 4) - np.array(leader.beat_times[n - 5:n - 1])
    assert np.max(np.abs(late)) < 0.002


def test_continue_plays_from_the_song_position_on_the_leaders_bar():
    rig, leader = following()
    leader.run(2)
    leader.cont(position=32)  # two bars in
    leader.run(12)
    ours = loop_beat_times(rig, 8, 4)
    assert np.max(np.abs(ours - np.array(leader.beat_times[8:12]))) < 0.001


def test_a_clock_out_of_range_is_clamped_with_one_line():
    for qpm, clamped in ((10.0, 40.0), (1000.0, 300.0)):
        rig, leader = following()
        leader.qpm = qpm
        leader.run(8)
        assert rig.looper.qpm == clamped
        lines = [w for w in rig.looper.snapshot().warnings if "out of range" in w]
        assert lines == [f"clock-in: {qpm:.0f} qpm is out of range, clamped to {clamped:g}"]


def test_bytes_out_of_order_are_ignored_with_one_line_and_the_loop_keeps_time():
    rig, leader = following()
    leader.run(2)
    leader.start()
    leader.run(4)
    leader.byte(10)  # start while playing
    leader.byte(10)
    leader.byte(2, 64)  # song position while playing
    leader.byte(8)  # a doubled pulse
    leader.run(4)
    leader.byte(11)  # continue while playing
    warnings = rig.looper.snapshot().warnings
    assert sum("start while playing" in w for w in warnings) == 1
    assert sum("song position while playing" in w for w in warnings) == 1
    assert sum("after the last one (ignored)" in w for w in warnings) == 1
    assert sum("continue while playing" in w for w in warnings) == 1
    assert rig.looper.next_due() is not None  # still playing
    gaps = np.diff(sent_step_times(rig))[16:]  # after the catch-up of the start
    assert np.all(np.abs(gaps / (0.5 / 4) - 1) < 0.02)  # no jump: every step near 120 qpm


def test_a_leader_that_vanishes_leaves_the_loop_at_its_last_tempo_with_a_line():
    rig, leader = following(jitter=0.001)
    leader.qpm = 126.0
    leader.run(2)
    leader.start()
    leader.run(8)
    rig.advance(3.0)  # silence
    assert rig.looper.next_due() is not None  # still playing
    assert abs(rig.looper.qpm - 126.0) < 0.1
    snapshot = rig.looper.snapshot()
    assert any(w.startswith(f"clock-in: {DEVICE} stopped sending clock; the loop keeps 126")
               for w in snapshot.warnings), snapshot.warnings
    assert snapshot.extras["sync"] == f"clock-in {DEVICE}: no clock (the loop leads)"
    last = max(rig.steps) // 4
    gaps = np.diff(loop_beat_times(rig, last - 4, 4))  # the leader long gone
    assert np.allclose(gaps, 60 / rig.looper.qpm, rtol=1e-9)  # steady, at the last tempo
