"""Chord charts: bars, shares, holds and repeats, wrap-around, one-line errors."""

import pytest

from psc_looper.harmony.chart import ChartError, parse_chart
from psc_looper.training.wjazzd import read_tables


def names(chart, beats_per_bar=4):
    return [(start, end, chord.name() if chord else None)
            for start, end, chord in chart.spans(beats_per_bar)]


def test_a_ii_v_i_chart():
    chart = parse_chart("Dm7 G7 | Cmaj7 | % |")
    assert names(chart) == [(0, 2, "Dm7"), (2, 4, "G7"), (4, 12, "Cmaj7")]
    assert chart.length_beats(4) == 12


def test_a_repeat_after_a_bar_of_two_chords_repeats_both():
    chart = parse_chart("Dm7 G7 | % |")
    assert names(chart) == [(0, 2, "Dm7"), (2, 4, "G7"), (4, 6, "Dm7"), (6, 8, "G7")]
    assert chart.bars[1] == chart.bars[0]


def test_holds_share_the_bar_and_no_chord_is_none():
    chart = parse_chart("C / / G7 | N.C. |")
    assert names(chart) == [(0, 3, "C"), (3, 4, "G7"), (4, 8, None)]
    assert names(parse_chart("C G7 |"), 3) == [(0, 1.5, "C"), (1.5, 3, "G7")]


def test_chord_at_wraps_around_the_chart():
    chart = parse_chart("Dm7 G7 | Cmaj7 |")
    assert chart.chord_at(0, 4).name() == "Dm7"
    assert chart.chord_at(2.5, 4).name() == "G7"
    assert chart.chord_at(7.99, 4).name() == "Cmaj7"
    assert chart.chord_at(8, 4).name() == "Dm7"
    assert chart.chord_at(8 * 5 + 3, 4).name() == "G7"


def test_without_bar_lines_each_chord_is_a_bar():
    assert names(parse_chart("Dm7 G7 Cmaj7")) == [(0, 4, "Dm7"), (4, 8, "G7"), (8, 12, "Cmaj7")]


@pytest.mark.parametrize(("text", "message"), [
    ("Dm7 G7 | Cmaj7 | Fxyz |", "unknown chord symbol 'Fxyz' at bar 3, chord 1"),
    ("Dm7 H7 |", "unknown chord symbol 'H7' at bar 1, chord 2"),
    ("| |", "empty chord chart"),
    ("% | C |", "bar 1: '%' repeats nothing"),
])
def test_bad_charts_get_one_line_naming_the_place(text, message):
    with pytest.raises(ChartError) as error:
        parse_chart(text)
    assert str(error.value) == message


def test_every_wjazzd_form_chart_parses():
    solos, _, _ = read_tables()
    charts = [s.chord_changes for s in solos.values() if s.chord_changes.strip()]
    assert len(charts) > 400
    for text in charts:
        chart = parse_chart(text)
        assert chart.bars
    blues = parse_chart("A1: ||Eb7 |Ab7 |Eb7 |Eb7 ||\nB1: ||F-7 Bb7 ||")
    assert names(blues)[-2:] == [(16, 18, "Fm7"), (18, 20, "Bb7")]
