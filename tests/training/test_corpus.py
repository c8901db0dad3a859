"""Melody extraction from music21 scores: inline ABC and a two-part chorale."""

from psc_looper.training.corpus import piece_from_score, pieces_from_file

ABC = """X: 1
T: Pickup Tune
M: 4/4
L: 1/8
K: G
"G"D | G2 A2 B4- | B2 {c}B2 [DA]4 |]

X: 2
T: Waltz
M: 3/4
L: 1/4
K: D
D E F | A3 |]
"""


def test_abc_tunebook_gives_one_piece_per_tune(tmp_path):
    path = tmp_path / "book.abc"
    path.write_text(ABC)
    first, second = pieces_from_file(path, "test", soprano_only=False)
    assert (first.id, first.group) == ("test/book#1", "test/book#1")
    assert (first.numerator, first.denominator) == (4, 4)
    # The pickup D (an 8th) is shifted to end on the first bar line; the tie B4-B2 is one
    # note; the grace note {c} and the chord symbol "G" are dropped; [DA] keeps its A.
    assert [(e.pitch, e.start, e.end) for e in first.events] == [
        (62, 3.5, 4.0), (67, 4.0, 5.0), (69, 5.0, 6.0), (71, 6.0, 9.0), (71, 9.0, 10.0),
        (69, 10.0, 12.0)]
    assert (second.numerator, second.denominator) == (3, 4)
    assert [e.pitch for e in second.events] == [62, 64, 66, 69]
    assert second.events[-1].end == 6.0


def test_chorale_uses_the_soprano_part():
    from music21 import meter, note, stream

    score = stream.Score()
    for name, pitches in (("Soprano", ("E5", "D5")), ("Alto", ("C4", "B3"))):
        part = stream.Part()
        part.partName = name
        part.append(stream.Measure([note.Note(p, quarterLength=2) for p in pitches]))
        score.insert(0, part)
    score.parts[0].measure(1).insert(0, meter.TimeSignature("4/4"))
    piece = piece_from_score(score, "bach/test", soprano_only=True)
    assert [(e.pitch, e.start) for e in piece.events] == [(76, 0.0), (74, 2.0)]
    score.parts[0].partName = "Violin"
    assert piece_from_score(score, "bach/test", soprano_only=True) is None
