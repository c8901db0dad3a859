"""The piano roll marks whose turn it is while trading (the recorder's ``turn:`` markers,
shaded) and ticks the beats on the bar axis."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.image import imread

from psc_looper.sessions.format import TURN_MARKER
from psc_looper.sessions.pianoroll import (
    COLOURS,
    TURN_SHADES,
    bar_lines,
    beat_ticks,
    draw_piano_roll,
    piano_roll,
    turn_spans,
)
from psc_looper.sessions.reader import read_session
from psc_looper.sessions.writer import SessionWriter
from psc_looper.timing.meter import Meter


def shade_pixels(image, whose: str) -> int:
    shade = TURN_SHADES[whose] * np.array(to_rgb(COLOURS[whose])) + (1 - TURN_SHADES[whose])
    return int(np.sum(np.all(np.abs(image[..., :3] - shade) < 0.01, axis=-1)))


def turns_session(tmp_path, marks):
    writer = SessionWriter(0.0, 120, Meter(3, 4))
    writer.add_step(0, 0.0)  # play
    writer.add_output(0.0, [("/playbass", (40, 90))], None)
    writer.add_output(12.0, [("/stopbass", (40, 0))], None)
    for at, whose in marks:
        writer.add_marker(at, f"{TURN_MARKER}{whose}")
    path = tmp_path / "turns.mid"
    path.write_bytes(writer.to_bytes())
    return read_session(path)


def test_turns_are_spans_from_mark_to_mark_and_shaded(tmp_path):
    session = turns_session(tmp_path, [(1.5, "pianist"), (4.5, "machine"), (7.5, "pianist"),
                                       (9.0, "-")])
    beat = session.ticks_per_beat
    assert [(s / beat, e / beat, w) for s, e, w in turn_spans(session)] == [
        (3.0, 9.0, "pianist"), (9.0, 15.0, "machine"), (15.0, 18.0, "pianist")]
    image = imread(draw_piano_roll(session, tmp_path / "turns.png", "turns"))
    assert shade_pixels(image, "machine") > 1000 and shade_pixels(image, "pianist") > 1000
    labels = piano_roll(session, "t").axes[0].get_legend_handles_labels()[1]
    assert "machine's turn" in labels and "pianist's turn" in labels


def test_no_turns_no_shade(tmp_path):
    session = turns_session(tmp_path, [])
    assert turn_spans(session) == []
    image = imread(draw_piano_roll(session, tmp_path / "none.png", "none"))
    assert shade_pixels(image, "machine") == 0


def test_beats_are_ticked_on_the_bar_axis(tmp_path):
    session = turns_session(tmp_path, [])  # 3/4: three beats to the bar
    bars, beats = bar_lines(session), beat_ticks(session)
    assert len(beats) == 3 * len(bars) and beats[:4] == [
        bars[0], bars[0] + 1920, bars[0] + 3840, bars[1]]
    axis = piano_roll(session, "t").axes[1].xaxis
    assert len(axis.get_minorticklocs()) == len(beats) - len(bars)  # the bars: major ticks
