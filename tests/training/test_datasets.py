"""Pieces to NoteSequences: monophony, transposition, drums, and the cache round trip."""

from psc_looper.training.datasets import monophonic, to_note_sequence, transpositions
from psc_looper.training.pieces import Event, Piece, read_pieces, unique, write_pieces

TUNE = Piece("c/t#1", "c/t#1", 3, 4, (
    Event(60, 0.0, 2.0), Event(64, 1.0, 2.0), Event(67, 1.0, 1.5), Event(62, 2.0, 3.0)))


def test_monophonic_keeps_the_highest_of_a_chord_and_cuts_overlaps():
    assert monophonic(TUNE).events == (
        Event(60, 0.0, 1.0), Event(67, 1.0, 1.5), Event(62, 2.0, 3.0))


def test_transpositions_are_seeded_per_piece_and_distinct():
    shifts = transpositions(TUNE, 2, seed=5)
    assert shifts[0] == 0 and len(set(shifts)) == 3
    assert all(-5 <= s <= 6 for s in shifts)
    assert transpositions(TUNE, 2, seed=5) == shifts


def test_note_sequence_keeps_meter_and_times_and_transposes():
    sequence = to_note_sequence(TUNE, transpose=2)
    assert sequence.id == "c/t#1@+2"
    signature = sequence.time_signatures[0]
    assert (signature.numerator, signature.denominator) == (3, 4)
    assert [(n.pitch, n.start_time, n.end_time) for n in sequence.notes] == [
        (62, 0.0, 1.0), (66, 0.5, 1.0), (69, 0.5, 0.75), (64, 1.0, 1.5)]  # a quarter is 0.5 s
    assert sequence.total_time == 1.5


def test_drum_sequence_is_not_transposed_and_marks_drums():
    groove = Piece("g:x", "g", 4, 4, (Event(36, 0.0, 0.25), Event(51, 0.5, 0.75)))
    sequence = to_note_sequence(groove, transpose=3, drums=True)
    assert [n.pitch for n in sequence.notes] == [36, 51]
    assert all(n.is_drum and n.instrument == 9 for n in sequence.notes)


def test_cache_round_trip_and_version(tmp_path):
    path = tmp_path / "x.json"
    write_pieces(path, [TUNE])
    assert read_pieces(path) == [TUNE]
    path.write_text('{"version": 0, "pieces": []}')
    assert read_pieces(path) is None
    assert read_pieces(tmp_path / "missing.json") is None


def test_unique_drops_later_duplicates_and_empty_pieces():
    copy = Piece("d/t#9", "d/t#9", 3, 4, TUNE.events)
    empty = Piece("e", "e", 4, 4, ())
    assert unique([TUNE, empty, copy]) == [TUNE]
