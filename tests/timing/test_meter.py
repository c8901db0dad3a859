import pytest

from psc_looper.timing.meter import LoopStructure, Meter, MeterError, step_seconds


@pytest.mark.parametrize(
    ("num", "den", "bars", "steps"),
    [(4, 4, 1, 16), (3, 4, 2, 24), (5, 4, 1, 20), (7, 8, 2, 28), (6, 8, 4, 48), (12, 16, 3, 36)],
)
def test_steps_per_loop_is_bars_times_numerator_times_16_over_denominator(num, den, bars, steps):
    assert LoopStructure(Meter(num, den), bars).steps == steps


@pytest.mark.parametrize(("num", "den"), [(1, 4), (4, 3), (4, 2), (17, 4), (4, 32)])
def test_unsupported_meters_are_named_errors(num, den):
    with pytest.raises(MeterError):
        Meter(num, den)


@pytest.mark.parametrize("bars", [0, 65])
def test_bar_count_is_bounded(bars):
    with pytest.raises(MeterError):
        LoopStructure(Meter(), bars)


def test_step_is_a_sixteenth_of_the_quarter():
    assert step_seconds(120) == pytest.approx(0.125)
    assert step_seconds(60) == pytest.approx(0.25)
