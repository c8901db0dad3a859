"""The drummer's pattern table: each style, hi-hat on 2 and 4, crash and fill at the form."""

from __future__ import annotations

import pytest

from psc_looper.band.drummer import STYLES, Drummer


@pytest.mark.parametrize("style", STYLES)
def test_each_style_plays_a_bar(style: str) -> None:
    hits = Drummer(style, seed=1).bar(False, False)
    assert hits and all(0 <= h.step < 16 for h in hits)
    assert not [h for h in hits if h.sound == "crash"]


def test_swing_ride_with_hat_on_two_and_four_and_feathered_kick() -> None:
    hits = Drummer("swing").bar(False, False)
    assert {h.step for h in hits if h.sound == "closed_hat"} == {4, 12}
    assert {h.step for h in hits if h.sound == "ride"} == {0, 4, 6, 8, 12, 14}
    assert all(h.velocity < 40 for h in hits if h.sound == "kick")


def test_crash_on_the_form_and_fill_before_it() -> None:
    drummer = Drummer("swing", seed=2)
    assert {(h.step, h.sound) for h in drummer.bar(True, False)} >= {(0, "crash"), (0, "kick")}
    fill = drummer.bar(False, True)
    assert {h.sound for h in fill if h.step >= 8} >= {"snare", "low_tom", "high_tom"}


def test_comping_varies_from_bar_to_bar() -> None:
    drummer = Drummer("swing", seed=3)
    bars = {tuple((h.step, h.sound) for h in drummer.bar(False, False)) for _ in range(16)}
    assert len(bars) > 3


def test_unknown_style_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown band style 'polka'"):
        Drummer("polka")
