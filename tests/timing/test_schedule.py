import pytest

from psc_looper.timing.schedule import StepSchedule


def test_step_times_are_computed_not_accumulated():
    schedule = StepSchedule(0, 10.0, 120.0)
    # a million steps later the time is exact to floating-point precision
    assert schedule.time_of(1_000_000) == pytest.approx(10.0 + 125_000.0, abs=1e-6)
    assert schedule.step_at(schedule.time_of(12345)) == pytest.approx(12345)


def test_tempo_change_keeps_the_anchor_step_in_place_then_uses_new_step_length():
    before = StepSchedule(0, 0.0, 120.0)
    after = before.with_tempo(60.0, 8)
    assert after.time_of(8) == before.time_of(8) == pytest.approx(1.0)
    assert after.time_of(9) - after.time_of(8) == pytest.approx(0.25)
    assert after.time_of(7) != before.time_of(7)  # only steps from the anchor on are defined
