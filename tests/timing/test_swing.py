"""Swing: one mapping between musical steps and played time, its inverse, quantizing."""

import pytest

from psc_looper.timing.meter import Meter
from psc_looper.timing.schedule import StepSchedule
from psc_looper.timing.swing import (
    TRIPLET,
    Grid,
    SwingError,
    check_swing,
    fits,
    snap,
    unwarp,
    warp,
)


@pytest.mark.parametrize("ratio", [0.5, 0.6, TRIPLET, 0.75])
def test_the_offbeat_eighth_falls_at_the_ratio_and_quarters_stay(ratio):
    assert warp(2, ratio) == pytest.approx(4 * ratio)
    assert [warp(q, ratio) for q in (0, 4, 8, -4)] == [0, 4, 8, -4]
    assert warp(1, ratio) == pytest.approx(2 * ratio)  # 16ths between: halfway
    assert warp(3, ratio) == pytest.approx(2 + 2 * ratio)


@pytest.mark.parametrize("ratio", [0.5, 0.6, TRIPLET, 0.75])
def test_unwarp_inverts_warp_everywhere(ratio):
    for k in range(-40, 400):
        step = k * 0.37
        assert unwarp(warp(step, ratio), ratio) == pytest.approx(step, abs=1e-9)


def test_a_swung_schedule_reads_its_own_offbeat_back_on_the_offbeat_not_dotted():
    schedule = StepSchedule(0, 1.0, 120.0, swing=TRIPLET)
    beat = 0.5
    assert schedule.time_of(6) - schedule.time_of(4) == pytest.approx(beat * 2 / 3)
    assert schedule.step_at(1.0 + beat + beat * 2 / 3) == pytest.approx(6)
    straight = StepSchedule(0, 1.0, 120.0)
    assert straight.step_at(1.0 + beat + beat * 2 / 3) == pytest.approx(4 + 8 / 3)


def test_tempo_and_swing_changes_keep_the_anchor_in_place():
    before = StepSchedule(0, 0.0, 120.0, swing=0.6)
    after = before.with_tempo(90.0, 8).with_swing(TRIPLET, 12)
    assert after.time_of(12) == pytest.approx(before.with_tempo(90.0, 8).time_of(12))
    assert after.step_at(after.time_of(13.25)) == pytest.approx(13.25)


@pytest.mark.parametrize("bad", [0.49, 0.76, 1.0, float("nan"), "swung", True])
def test_a_ratio_out_of_range_is_refused_in_one_line(bad):
    with pytest.raises(SwingError) as error:
        check_swing(bad)
    assert "\n" not in str(error.value) and "0.5..0.75" in str(error.value)


def test_swing_needs_bars_of_whole_quarters():
    assert fits(Meter(4, 4)) and fits(Meter(6, 8)) and fits(Meter(12, 16))
    assert not fits(Meter(7, 8)) and not fits(Meter(5, 16))


def test_snap_to_the_grid_straight_sixteenths_and_triplets():
    assert snap(2.3, Grid.GRID, TRIPLET) == 2
    assert snap(4 / 3 + 0.1, Grid.TRIPLETS, 0.5) == pytest.approx(4 / 3)
    # swung at 2/3 the off-beat 8th IS the second triplet: snapping keeps it at step 2
    assert snap(2.1, Grid.TRIPLETS, TRIPLET) == pytest.approx(2)
    # straight 16ths under swing: the swung off-beat (played at 2.667) goes to 3 played
    assert warp(snap(2.0, Grid.SIXTEENTHS, TRIPLET), TRIPLET) == pytest.approx(3)
