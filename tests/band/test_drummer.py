"""The drummer's pattern table: each style, hi-hat on 2 and 4, crash and fill at the form."""

from __future__ import annotations

import pytest

from psc_looper.band.drummer import STYLES, Drummer
from psc_looper.band.drumstats import measure_drums
from psc_looper.band.parts import choruses
from psc_looper.harmony.chart import parse_chart
from psc_looper.osc.protocol import Instrument
from psc_looper.timing.meter import LoopStructure, Meter


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


@pytest.mark.parametrize("style", STYLES)
def test_each_style_keeps_time_and_varies_from_chorus_to_chorus(style: str) -> None:
    """Over the band's choruses: the cymbal on every beat, the hi-hat on 2 (and 4), the
    swung skip where the style has one, a crash only on the form's first beat, and no
    two choruses alike."""
    waltz = style == "waltz"
    chart = parse_chart("Cmaj7 | A7 | Dm7 | G7 | Em7 | A7 | Dm7 | G7")
    structure = LoopStructure(Meter(3 if waltz else 4, 4), 8)
    made = [c.drums for c in choruses(chart, structure, style, seed=5, count=6)]
    stats = measure_drums(made, structure)
    assert stats["cymbal on the beat"] == stats["hat on 2 and 4"] == 1.0
    assert stats["swung skip (a of 2, 4)"] == (0.0 if style == "ballad" else 1.0)
    assert stats["change, chorus to next"] > 0 and len({tuple(d) for d in made}) == 6
    for drums in made:
        assert [n.onset for n in drums if n.instrument is Instrument.CRASH] == [0]


def test_the_bossa_cross_stick_is_a_two_bar_figure() -> None:
    drummer = Drummer("bossa", seed=1)
    bars = [{h.step for h in drummer.bar(k == 0, False, k) if h.sound == "snare"}
            for k in range(3)]
    assert bars == [{0, 6, 12}, {4, 10}, {0, 6, 12}]


def test_a_set_up_at_some_phrase_ends() -> None:
    drummer = Drummer("swing", seed=4)
    ends = [drummer.bar(False, False, k) for k in range(3, 64, 4)]
    setups = [bar for bar in ends if {(h.step, h.sound) for h in bar} >= {(14, "snare"),
                                                                          (14, "kick")}]
    assert 0 < len(setups) < len(ends)
