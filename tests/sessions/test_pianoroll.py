"""The piano roll: a PNG with each track in its colour and the machine's notes marked."""

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.image import imread

from psc_looper.looper.engine import Origin
from psc_looper.sessions.pianoroll import ALPHA, COLOURS, draw_piano_roll
from psc_looper.sessions.reader import read_session
from psc_looper.sessions.writer import SessionWriter
from psc_looper.timing.meter import Meter


def pixels_of(image, colour, tolerance=0.03):
    """Pixels of a note in ``colour`` drawn over white."""
    over_white = ALPHA * np.array(to_rgb(colour)) + (1 - ALPHA)
    return int(np.sum(np.all(np.abs(image[..., :3] - over_white) < tolerance, axis=-1)))


def session_file(tmp_path, machine):
    writer = SessionWriter(0.0, 120, Meter(4, 4))
    for k in range(8):
        writer.add_output(k * 0.5, [("/playbass", (40 + k, 90)), ("/playkick", (36, 100))],
                          Origin.LOOP)
        writer.add_output(k * 0.5 + 0.25, [("/stopbass", (40 + k, 0)), ("/stopkick", (36, 0))],
                          Origin.LOOP)
        origin = Origin.MACHINE if machine and k % 2 else Origin.PIANIST
        writer.add_output(k * 0.5, [("/playwurly", (70 + k, 80))], origin)
        writer.add_output(k * 0.5 + 0.2, [("/stopwurly", (70 + k, 0))], Origin.PIANIST)
    path = tmp_path / f"s{machine}.mid"
    path.write_bytes(writer.to_bytes())
    return read_session(path)


def test_tracks_in_colour_and_the_machine_marked(tmp_path):
    with_machine = imread(draw_piano_roll(session_file(tmp_path, True), tmp_path / "m.png", "t"))
    without = imread(draw_piano_roll(session_file(tmp_path, False), tmp_path / "p.png", "t"))
    for colour in (COLOURS["bass"], COLOURS["drums"], COLOURS["pianist"]):
        assert pixels_of(with_machine, colour) > 50
    assert pixels_of(with_machine, COLOURS["machine"]) > 50
    assert pixels_of(without, COLOURS["machine"]) == 0


def test_chord_marks_name_each_change_of_the_chord_tracks():
    from psc_looper.sessions.pianoroll import chord_marks
    from psc_looper.sessions.reader import NoteSpan

    def hit(track, tick, pitches):
        return [NoteSpan(track, p, 70, tick, tick + 100) for p in pitches]

    notes = (hit("pianist: chords", 0, (50, 53, 57, 60)) + hit("chords", 480, (50, 53, 57, 60))
             + hit("chords", 960, (55, 59, 62, 65)) + hit("chords", 1440, (48, 52, 55, 59))
             + hit("bass", 1440, (38,)) + hit("machine", 1500, (72, 76))
             + hit("chords", 1920, (50, 53, 57, 60)))
    assert chord_marks(notes) == [(0, "Dm7"), (960, "G7"), (1440, "Cmaj7"), (1920, "Dm7")]
