import pytest

from psc_looper.timing.tempo import (
    MAX_QPM,
    MIN_QPM,
    TapTempo,
    TempoError,
    check_qpm,
    qpm_from_knob,
)


def test_knob_covers_the_range_monotonically():
    values = [qpm_from_knob(v) for v in range(128)]
    assert values[0] == MIN_QPM and values[-1] == MAX_QPM
    assert values == sorted(values)
    assert qpm_from_knob(500) == MAX_QPM and qpm_from_knob(-3) == MIN_QPM


def test_tap_tempo_averages_recent_intervals():
    tap = TapTempo()
    assert tap.tap(0.0) is None
    assert tap.tap(0.5) == pytest.approx(120.0)
    assert tap.tap(1.1) == pytest.approx(60 / 0.55)


def test_tap_gap_over_five_seconds_starts_over():
    tap = TapTempo()
    tap.tap(0.0)
    tap.tap(1.0)
    assert tap.tap(6.5) is None  # gap 5.5 s: a new sequence begins
    assert tap.tap(7.0) == pytest.approx(120.0)


def test_out_of_range_qpm_is_a_named_error():
    with pytest.raises(TempoError):
        check_qpm(1000)
    assert check_qpm(100) == 100.0
