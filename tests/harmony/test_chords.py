"""Chord symbols: both WJazzD's syntax and the usual lead-sheet one, every symbol in the data."""

import csv
import gzip

import pytest

from psc_looper.harmony.chords import ChordError, parse_chord
from psc_looper.training.wjazzd import DATA_DIR


def data_symbols() -> set[str]:
    symbols = set()
    for table in ("notes.csv.gz", "beats.csv.gz"):
        with gzip.open(DATA_DIR / table, "rt") as f:
            symbols |= {row["chord"] for row in csv.DictReader(f) if row["chord"]}
    return symbols


def pcs(symbol):
    return sorted(parse_chord(symbol).pitch_classes)


@pytest.mark.parametrize(("symbol", "pitch_classes"), [
    ("C-7", [0, 3, 7, 10]),
    ("Cj7", [0, 4, 7, 11]),
    ("Co7", [0, 3, 6, 9]),
    ("Cm7b5", [0, 3, 6, 10]),
    ("C79b", [0, 1, 4, 7, 10]),
    ("C7911#", [0, 2, 4, 6, 7, 10]),
    ("C79b13", [0, 1, 4, 7, 9, 10]),  # WJazzD: b9 and a natural 13
    ("C13b", [0, 4, 7, 8]),
    ("C7alt", [0, 1, 3, 4, 6, 8, 10]),
    ("C+7", [0, 4, 8, 10]),
    ("Csus7", [0, 5, 7, 10]),
    ("C69", [0, 2, 4, 7, 9]),
    ("C-j7", [0, 3, 7, 11]),
])
def test_wjazzd_syntax(symbol, pitch_classes):
    assert pcs(symbol) == pitch_classes


@pytest.mark.parametrize(("lead_sheet", "wjazzd"), [
    ("Cm7", "C-7"), ("Cmaj7", "Cj7"), ("CΔ", "Cj7"), ("Cdim7", "Co7"), ("Cø", "Cm7b5"),
    ("C7b9", "C79b"), ("C7b9b13", "C79b13b"), ("C9#11", "C7911#"), ("Cmi7", "C-7"),
    ("C6/9", "C69"), ("C7#5", "C+7"), ("CmMaj7", "C-j7"), ("C9b13", "C7913b"),
    ("C7sus4", "Csus7"), ("Cm9", "C-79"), ("Cmaj9", "Cj79"),
])
def test_lead_sheet_syntax_means_the_same_chords(lead_sheet, wjazzd):
    assert pcs(lead_sheet) == pcs(wjazzd)


def test_implied_sevenths_and_additions():
    assert pcs("C13") == [0, 2, 4, 7, 9, 10]
    assert pcs("Cadd9") == [0, 2, 4, 7]
    assert pcs("Cmaj") == [0, 4, 7]
    assert pcs("Csus2") == [0, 2, 7]


def test_slash_bass_and_root_spelling():
    chord = parse_chord("F#m7b5/C")
    assert (chord.root, chord.bass) == (6, 0)
    assert parse_chord("Cb7").root == 11
    assert parse_chord("A-7/D").name() == "Am7/D"


@pytest.mark.parametrize("symbol", ["NC", "N.C."])
def test_no_chord(symbol):
    assert parse_chord(symbol) is None


@pytest.mark.parametrize("symbol", ["H7", "Cxyz", "C7/Q", "", "c7", "C7b", "C#7#"])
def test_unknown_symbols_are_refused_by_name(symbol):
    with pytest.raises(ChordError, match=f"unknown chord symbol '{symbol}'"):
        parse_chord(symbol)


def test_names_read_back_as_the_same_chord():
    for symbol in ("Dm7", "G7b9", "Cmaj7", "Bbm6", "E7sus4", "Abdim7", "F#m7b5/C", "C7(b9,13)"):
        chord = parse_chord(symbol)
        assert parse_chord(chord.name()).pitch_classes == chord.pitch_classes, symbol


def test_every_wjazzd_symbol_parses_and_note_seq_agrees_in_every_key():
    from psc_looper.models.compat import ensure_magenta

    ensure_magenta()
    import note_seq

    symbols = data_symbols()
    assert len(symbols) == 419
    for symbol in symbols:
        chord = parse_chord(symbol)
        if chord is None:
            assert symbol == "NC"
            continue
        for shift in range(12):
            figure = note_seq.transpose_chord_symbol(chord.figure(), shift)
            heard = {p % 12 for p in note_seq.chord_symbol_pitches(figure)}
            assert heard == chord.transpose(shift).pitch_classes, (symbol, shift)


def test_figure_reads_back_every_data_symbol():
    from psc_looper.harmony.chords import chord_from_figure

    for symbol in data_symbols():
        chord = parse_chord(symbol)
        if chord is None:
            assert chord_from_figure("N.C.") is None
            continue
        back = chord_from_figure(chord.figure())
        assert (back.root, back.pitch_classes, back.bass) == \
            (chord.root, chord.pitch_classes, chord.bass), symbol
        assert back.figure() == chord.figure()


@pytest.mark.parametrize("figure", ["Dm7", "D5(add3", "D5(add3)x", "H5", ""])
def test_figure_refuses_what_it_did_not_write(figure):
    from psc_looper.harmony.chords import chord_from_figure

    with pytest.raises(ChordError, match="figure"):
        chord_from_figure(figure)
