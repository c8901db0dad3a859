"""MMA groove rendering: one library groove to a drum piece (needs Debian's mma)."""

from psc_looper.models import drum_kit_class
from psc_looper.training.grooves import (
    BARS,
    MMA_LIBRARY,
    groove_names,
    groove_script,
    read_drum_midi,
    render_groove,
)
from psc_looper.training.pieces import unique

SWING = MMA_LIBRARY / "stdlib" / "swing.mma"
JAZZ = MMA_LIBRARY / "stdlib" / "modernjazz.mma"


def test_groove_names_are_read_from_the_library_file():
    names = groove_names(SWING)
    assert names[0] == "Swing"
    assert "SwingFill" in names
    assert len(names) == len(set(names))


def test_modern_jazz_renders_to_eight_bars_of_ride_time():
    piece = render_groove(JAZZ, "ModernJazz")
    assert (piece.id, piece.group) == ("stdlib/modernjazz:ModernJazz", "stdlib/modernjazz")
    assert (piece.numerator, piece.denominator) == (4, 4)
    assert all(0 <= e.start < BARS * 4 for e in piece.events)
    classes = [drum_kit_class(e.pitch) for e in piece.events]
    assert classes.count("ride") >= 2 * BARS  # the ride keeps time in every bar
    assert render_groove(JAZZ, "ModernJazz") == piece  # seeded: humanising is repeatable


def test_grooves_differing_only_in_other_tracks_are_duplicates():
    a, b = render_groove(JAZZ, "ModernJazz"), render_groove(JAZZ, "ModernJazz1")
    assert a.events != b.events  # humanised timing differs
    assert unique([a, b]) == [a]


def test_missing_groove_gives_none(tmp_path):
    assert render_groove(SWING, "NoSuchGroove") is None


def test_drum_midi_reader_keeps_channel_ten_within_the_bars(tmp_path):
    import mido

    midi = mido.MidiFile(ticks_per_beat=4)
    track = mido.MidiTrack()
    track.append(mido.MetaMessage("time_signature", numerator=3, denominator=4))
    track.append(mido.Message("note_on", channel=9, note=36, velocity=90, time=0))
    track.append(mido.Message("note_on", channel=0, note=60, velocity=90, time=2))
    track.append(mido.Message("note_on", channel=9, note=38, velocity=90, time=2))
    track.append(mido.Message("note_on", channel=9, note=42, velocity=0, time=1))
    track.append(mido.Message("note_on", channel=9, note=51, velocity=90, time=3 * 4 - 5))
    midi.tracks.append(track)
    path = tmp_path / "t.mid"
    midi.save(path)
    piece = read_drum_midi(path, "x:y", "x", bars=1)
    assert (piece.numerator, piece.denominator) == (3, 4)
    assert [(e.pitch, e.start) for e in piece.events] == [(36, 0.0), (38, 1.0)]
    assert "Groove Swing" in groove_script(SWING, "Swing")
