"""Whole choruses: a 12-bar blues or a 32-bar chart sets the loop's length, and the loop
follows the chart across loop wraps and tempo changes; the status view shows where in the
form the loop is and the chord now and next."""

from argparse import Namespace

import pytest

from psc_looper.app import BackendConfig
from psc_looper.config.performer import PerformerConfigError, settings_from_args
from psc_looper.harmony.chart import parse_chart
from psc_looper.improv import ImprovFeature
from psc_looper.rig import VirtualRig
from psc_looper.ui.status import render
from tests.improv.test_changes import ScriptedImprov
from tests.looper.test_engine import PLAY

BLUES = "F7 | Bb7 | F7 | F7 | Bb7 | Bb7 | F7 | D7 | Gm7 | C7 | F7 D7 | Gm7 C7 |"
RHYTHM = ("Bb6 G7 | Cm7 F7 | Bb6 G7 | Cm7 F7 | Fm7 Bb7 | Eb6 Ebm6 | Bb6 G7 | Cm7 F7 | " * 2
          + "D7 | D7 | G7 | G7 | C7 | C7 | F7 | F7 | "
          + "Bb6 G7 | Cm7 F7 | Bb6 G7 | Cm7 F7 | Fm7 Bb7 | Eb6 Ebm6 | Cm7 F7 | Bb6 |")


def cli(settings=(), changes=None):
    return settings_from_args(Namespace(config=None, settings=list(settings), changes=changes))


def form_rig(chart: str) -> tuple[VirtualRig, ImprovFeature]:
    settings = cli(changes=chart)
    rig = VirtualRig(BackendConfig(structure=settings.structure, improv=settings.improv,
                                   inline_generation=True, seed=7))
    feature = rig.backend.attach(ImprovFeature(ScriptedImprov(), settings.improv, seed=7,
                                               inline=True))
    return rig, feature


@pytest.mark.parametrize(("chart", "bars"), [(BLUES, 12), (RHYTHM, 32)])
def test_the_loop_follows_its_chart_across_the_wrap_and_a_tempo_change(chart, bars):
    rig, feature = form_rig(chart)
    assert rig.looper.structure.bars == bars
    parsed = parse_chart(chart)
    rig.press(PLAY)
    steps = bars * 16
    for loop in range(3):
        if loop == 1:
            rig.looper.set_qpm(84)
        for bar in range(0, bars, 5):
            step = loop * steps + bar * 16 + 4
            rig.advance_to_step(step)
            assert rig.looper.snapshot().position == bar * 16 + 4
            assert feature.chords_at(step, 1) == [parsed.chord_at(bar * 4 + 1, 4)]
    rig.backend.close()


def test_the_status_view_shows_the_bar_of_the_form_and_the_chords():
    rig, _ = form_rig(BLUES)
    rig.press(PLAY)
    rig.advance_to_step(12 * 16 + 6 * 16 + 8)  # the second chorus, bar 7 beat 3
    text = render(rig.looper.snapshot())
    assert "bar 7/12 beat 3" in text and "chord F7 next D7" in text
    rig.backend.close()


def test_a_chart_longer_than_a_loop_is_one_line_and_changes_nothing():
    long_chart = " | ".join(["C7"] * 65)
    with pytest.raises(PerformerConfigError) as error:
        cli(changes=long_chart)
    assert str(error.value).startswith("--changes: the chart has 65 bars")
    assert "1..64" in str(error.value) and "\n" not in str(error.value)
    assert cli(["loop.bars=2"], BLUES).structure.bars == 2  # given: the chart repeats
    assert cli([f"improv.changes={BLUES!r}"]).structure.bars == 12
