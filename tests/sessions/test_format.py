"""The tempo map (seconds <-> ticks) and the input-track header."""

import pytest

from psc_looper.looper.engine import Origin
from psc_looper.osc.protocol import Instrument
from psc_looper.sessions.format import (
    TICKS_PER_BEAT,
    InputKind,
    TempoMap,
    output_track,
    us_per_beat,
)


def test_ticks_come_back_within_half_a_tick_across_tempo_changes():
    tempo = TempoMap(us_per_beat(120))
    tempo.change_at_time(1.0003, us_per_beat(150))
    tempo.change_at_time(2.5, us_per_beat(97.3))
    rebuilt = TempoMap(us_per_beat(120))  # a reader only sees ticks and tempos
    for segment in tempo.segments[1:]:
        rebuilt.change_at_tick(segment.tick, segment.us_per_beat)
    for time in (0.0, 0.1234, 1.0003, 1.7, 2.5, 3.14159, 10.0):
        assert abs(rebuilt.time_of(tempo.tick_of(time)) - time) <= 60 / 97.3 / TICKS_PER_BEAT / 2
    assert tempo.tick_of(1.0) == TICKS_PER_BEAT * 2  # two beats at 120 qpm


def test_same_tempo_is_no_change_and_ticks_never_go_back():
    tempo = TempoMap(us_per_beat(120))
    assert tempo.change_at_time(1.0, us_per_beat(120)) is None
    tempo.change_at_time(2.0, us_per_beat(60))
    with pytest.raises(ValueError):
        tempo.change_at_tick(10, us_per_beat(90))


@pytest.mark.parametrize("source, args", [("keyboard", 4), (7, 4), (None, 3), (None, 2)])
def test_input_kind_header_round_trip(source, args):
    kind = InputKind(source, args)
    assert InputKind.parse(kind.header()) == kind
    full = (60, 100, 3, source)
    assert kind.osc_args(60, 100, 3) == full[:args]


def test_not_a_header():
    assert InputKind.parse("hello") is None
    assert InputKind.parse('{"args": 2}') is None


def test_output_tracks_name_who_played_and_what():
    assert output_track(Origin.LOOP, Instrument.KICK) == "drums"
    assert output_track(Origin.LOOP, Instrument.CLICK_START) == "click"
    assert output_track(Origin.PIANIST, Instrument.KEYS) == "pianist"
    assert output_track(Origin.PIANIST, Instrument.BASS) == "pianist: bass"
    assert output_track(Origin.MACHINE, Instrument.KEYS) == "machine"
