"""The piano roll draws the form: bar lines from each play start, song and section switches."""

from matplotlib.image import imread

from psc_looper.harmony.chart import parse_chart
from psc_looper.sessions.format import CHART_MARKER, SWITCH_MARKER
from psc_looper.sessions.pianoroll import (
    MAX_BAR_LABELS,
    SWITCH_COLOUR,
    bar_lines,
    chart_chords,
    draw_piano_roll,
    piano_roll,
)
from psc_looper.sessions.reader import read_session
from psc_looper.sessions.recorder import Recorder
from psc_looper.sessions.writer import SessionWriter
from psc_looper.timing.meter import Meter
from tests.sessions.test_pianoroll import pixels_of
from tests.songs.conftest import rig_with
from tests.songs.test_setlist import setlist  # noqa: F401 (a fixture)


def test_bar_lines_run_from_each_play_start_in_the_meter(tmp_path):
    writer = SessionWriter(0.0, 120, Meter(3, 4))
    writer.add_step(0, 0.5)  # play: a marker
    writer.add_output(0.5, [("/playbass", (40, 90))], None)
    writer.add_output(7.0, [("/stopbass", (40, 0))], None)
    writer.add_marker(3.5, f"{SWITCH_MARKER}Blues [B]")
    path = tmp_path / "form.mid"
    path.write_bytes(writer.to_bytes())
    session = read_session(path)
    bar = 1920 * 3
    first = session.markers[0][0]
    assert bar_lines(session) == [first + k * bar for k in range(5)]  # 6.5 s: 4.33 bars
    image = imread(draw_piano_roll(session, tmp_path / "form.png", "form"))
    assert pixels_of(image, SWITCH_COLOUR, tolerance=0.2) > 20


def test_the_recorder_marks_each_song_switch(tmp_path, setlist):  # noqa: F811
    rig = rig_with(setlist=setlist)
    recorder = rig.backend.attach(Recorder(tmp_path / "gig.mid"))
    rig.press(41)
    rig.advance_to_step(30)
    rig.backend.actions.run("next_song", None, 127)
    assert rig.backend.songs.worker.wait_idle(10)
    rig.advance_to_step(70)
    recorder.close()
    rig.backend.close()
    markers = [text for _, text in read_session(tmp_path / "gig.mid").markers
               if text.startswith(SWITCH_MARKER)]
    assert len(markers) == 2 and markers[0] != markers[1]


def test_the_chart_names_its_chords_from_its_bar_one_chorus_after_chorus(tmp_path):
    writer = SessionWriter(0.0, 120, Meter(4, 4))
    writer.add_marker(1.0, f"{CHART_MARKER}F7 | Bb7 | F7 C7")
    writer.add_output(1.0, [("/playbass", (41, 90))], None)
    writer.add_output(13.0, [("/stopbass", (41, 0))], None)  # 6 bars: two choruses
    path = tmp_path / "chart.mid"
    path.write_bytes(writer.to_bytes())
    session = read_session(path)
    start, bar = session.markers[0][0], 1920 * 4
    names = chart_chords(session)
    assert [n for _, n in names] == ["F7", "Bb7", "F7", "C7"] * 2
    assert [t - start for t, _ in names[:4]] == [0, bar, 2 * bar, 2 * bar + bar // 2]


def test_the_recorder_marks_the_chart_at_its_bar_one(tmp_path):
    from tests.improv.test_form import BLUES, form_rig

    rig, _ = form_rig(BLUES)
    recorder = rig.backend.attach(Recorder(tmp_path / "blues.mid"))
    rig.press(41)
    rig.advance_to_step(12 * 16 + 4)
    recorder.close()
    rig.backend.close()
    session = read_session(tmp_path / "blues.mid")
    (chart,) = [(t, text) for t, text in session.markers if text.startswith(CHART_MARKER)]
    play = next(t for t, text in session.markers if text == "play")
    assert chart == (play, f"{CHART_MARKER}{BLUES.strip()}")


def _session(tmp_path, markers, meter=None):
    writer = SessionWriter(0.0, 120, meter or Meter(4, 4))
    writer.add_step(0, 0.5)  # play
    for when, text in markers:
        writer.add_marker(when, text)
    for k in range(12):  # a Bm triad each bar (Gmaj7's upper notes), and a bass note
        writer.add_output(0.5 + 2 * k, [("/playchords", (p, 80)) for p in (59, 62, 66)]
                          + [("/playbass", (43, 90))], None)
        writer.add_output(2.0 + 2 * k, [("/stopchords", (p, 0)) for p in (59, 62, 66)]
                          + [("/stopbass", (43, 0))], None)
    path = tmp_path / "roll.mid"
    path.write_bytes(writer.to_bytes())
    return read_session(path)


def _texts(figure):
    return [t.get_text() for axis in figure.axes for t in axis.texts]


def test_bars_are_on_the_axis_and_the_legend_beside_the_notes(tmp_path):
    session = _session(tmp_path, [])
    figure = piano_roll(session, "bars")
    pitched, rhythm = figure.axes[:2]
    labels = [t.get_text() for t in rhythm.get_xticklabels()]
    assert labels[:4] == ["1", "2", "3", "4"] and rhythm.get_xlabel().startswith("bar")
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    legend = pitched.get_legend().get_window_extent(renderer)
    assert legend.x0 >= pitched.get_window_extent(renderer).x1  # right of the notes
    many = _session(tmp_path, [], Meter(2, 16))  # 96 bars of half a beat: every third named
    shown = [t.get_text() for t in piano_roll(many, "many").axes[1].get_xticklabels()]
    assert len(shown) <= MAX_BAR_LABELS + 1 and shown[:2] == ["1", "4"]


def test_the_chart_names_the_chords_and_not_what_they_sound_like(tmp_path):
    inferred = _texts(piano_roll(_session(tmp_path, []), "no chart"))
    assert "Bm" in inferred  # without a chart, the chords played are named
    charted = _texts(piano_roll(_session(tmp_path, [(0.5, f"{CHART_MARKER}Gmaj7 | Am7 D7")]),
                                "chart"))
    assert "Bm" not in charted and {"Gmaj7", "Am7", "D7"} <= set(charted)


def test_a_songs_chart_is_marked_where_the_song_starts(tmp_path, setlist):  # noqa: F811
    rig = rig_with(setlist=setlist)
    recorder = rig.backend.attach(Recorder(tmp_path / "gig.mid"))
    rig.looper.show_chart(parse_chart("C7 | F7"), 0)
    rig.press(41)
    rig.advance_to_step(30)
    rig.backend.actions.run("next_song", None, 127)
    assert rig.backend.songs.worker.wait_idle(10)
    rig.looper.show_chart(parse_chart("Gmaj7 | Am7 D7"), 16)  # set on load, before the switch
    rig.advance_to_step(70)
    recorder.close()
    rig.backend.close()
    markers = read_session(tmp_path / "gig.mid").markers
    switch = [t for t, text in markers if text.startswith(SWITCH_MARKER)][-1]
    assert (switch, f"{CHART_MARKER}Gmaj7 | Am7 D7") in markers
