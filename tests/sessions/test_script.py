"""Replay scripts: parsing, positions on the file's grid, controller events as the bridge sends."""

import pytest

from psc_looper.control.mapping import DEFAULT_MAP, load_map
from psc_looper.osc.protocol import CC_EVENT
from psc_looper.sessions.format import TempoMap, us_per_beat
from psc_looper.sessions.script import Position, ScriptError, parse_script, script_inputs
from psc_looper.timing.meter import Meter

MAPS = [load_map(DEFAULT_MAP)]
TEMPO = TempoMap(us_per_beat(120))  # a beat is 0.5 s
LEAD = 0.11


def ccs(script):
    return [(round(e.time, 6), e.args) for e in
            script_inputs(parse_script(script), TEMPO, Meter(4, 4), MAPS, LEAD)]


def test_items_ranges_and_shortcuts():
    items = parse_script("play@0; bass@0-2bars ; improv@2.5 bars; mute:click@8beats-12steps")
    assert [(i.action, i.argument, i.at) for i in items] == [
        ("play", None, Position(0, "s")),
        ("mode", "bass", Position(0, "s")),
        ("mode", "free", Position(2, "bar")),
        ("mode", "improv", Position(2.5, "bar")),
        ("mute", "click", Position(8, "beat")),
        ("mute", "click", Position(12, "step")),  # a toggle: the same action again
    ]


def test_positions_follow_the_files_grid():
    assert Position(2, "bar").seconds(TEMPO, Meter(4, 4)) == pytest.approx(4.0)
    assert Position(2, "bar").seconds(TEMPO, Meter(7, 8)) == pytest.approx(3.5)
    assert Position(3, "beat").seconds(TEMPO, Meter(4, 4)) == pytest.approx(1.5)
    assert Position(6, "step").seconds(TEMPO, Meter(4, 4)) == pytest.approx(0.75)
    assert Position(1.25, "s").seconds(TEMPO, Meter(4, 4)) == 1.25


def test_buttons_press_and_release_and_play_leads_everything_else():
    events = ccs("play@1; bass@1; tempo=64@2")
    source = MAPS[0].source
    assert events == [
        (1.0, (41, 127, 0, source)), (1.0, (41, 0, 0, source)),  # play: at its position
        (1.11, (65, 127, 0, source)), (1.11, (65, 0, 0, source)),  # the rest: a lead later
        (2.11, (16, 64, 0, source)),
    ]
    assert {e.address for e in script_inputs(parse_script("tap@0"), TEMPO, Meter(), MAPS,
                                             LEAD)} == {CC_EVENT}
    assert ccs("tap@0") == [(0.0, (32, 127, 0, source)), (0.0, (32, 0, 0, source))]  # no play


@pytest.mark.parametrize("script, message", [
    ("play", "cannot read"),
    ("play@soon", "cannot read"),
    ("play@2furlongs", "unknown unit"),
    ("juggle@0", "no controller binding"),
    ("tempo@0", "give a value"),
    ("play=3@0", "takes no value"),
    ("tempo=300@0", "0..127"),
])
def test_bad_scripts_say_why(script, message):
    with pytest.raises(ScriptError, match=message):
        ccs(script)
