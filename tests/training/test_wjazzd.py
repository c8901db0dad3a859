"""The WJazzD conversion: positions, 16th-note quantization, durations, chords, metre, split."""

import math

import pytest

from psc_looper.harmony.chords import parse_chord
from psc_looper.training import wjazzd
from psc_looper.training.pieces import Event
from psc_looper.training.split import split
from psc_looper.training.wjazzd import RawBeat, RawNote


def beat(k, bar, number, chord="C7", period=4):
    return RawBeat(float(k), bar, number, period, chord)


def note(bar, number, tatum, division, pitch=60, articulation=0.5):
    return RawNote(0.0, pitch, articulation, bar, number, tatum, division)


def test_positions_come_from_the_beat_track():
    beats = [beat(0, -1, 4), beat(1, 0, 1), beat(2, 0, 2), beat(3, 0, 3)]
    notes = [note(0, 1, 1, 1), note(0, 2, 2, 3), note(0, 3, 3, 4), note(5, 1, 1, 1)]
    assert wjazzd.beat_positions(notes, beats) == [1.0, 2 + 1 / 3, 3.5, None]


def test_quantize_rounds_to_sixteenths_and_triplets_to_the_nearest():
    # a triplet-eighth run on beat 0, then a dotted rhythm
    positions = [0, 1 / 3, 2 / 3, 1.0, 1.75]
    events = wjazzd.quantize(positions, [60, 62, 64, 65, 67], [1.0] * 5)
    assert [e.start for e in events] == [0, 0.25, 0.75, 1.0, 1.75]
    assert [e.pitch for e in events] == [60, 62, 64, 65, 67]


def test_quantize_moves_a_colliding_note_one_step_or_drops_it():
    # two notes rounding to the same step: the second moves to the next free step
    events = wjazzd.quantize([0.0, 0.1, 0.5], [60, 61, 62], [1.0] * 3)
    assert [(e.start, e.pitch) for e in events] == [(0, 60), (0.25, 61), (0.5, 62)]
    # a third note on a step already taken twice would move more than one step: dropped
    events = wjazzd.quantize([0.0, 0.05, 0.1, 1.0], [60, 61, 62, 63], [1.0] * 4)
    assert [e.pitch for e in events] == [60, 61, 63]


def test_durations_from_articulation_at_least_a_step_never_past_the_next_note():
    events = wjazzd.quantize([0.0, 1.0, 1.25, 3.0], [60, 62, 64, 65],
                             [0.5, 0.01, 2.0, math.nan])
    assert events == [
        Event(60, 0.0, 0.5),   # half of the one-beat gap
        Event(62, 1.0, 1.25),  # staccato: at least one 16th
        Event(64, 1.25, 3.0),  # legato past the next onset: cut there
        Event(65, 3.0, 4.0),   # the last note: one beat
    ]


def test_chord_and_meter_changes():
    beats = [beat(0, 0, 1, "NC"), beat(1, 0, 2, "NC"), beat(2, 0, 3, "C-7"),
             beat(3, 1, 1, "C-7", 3), beat(4, 1, 2, "F79b", 3), beat(5, 1, 3, "F79b", 3)]
    changes = wjazzd.chord_changes(beats)
    assert [b for b, _ in changes] == [0, 2, 4]
    assert changes[0][1] == "N.C."
    assert changes[2][1] == parse_chord("F79b").figure()
    assert wjazzd.meter_changes(beats) == ((0.0, 4), (3.0, 3))


def test_a_bad_chord_in_the_beat_track_names_the_beat():
    with pytest.raises(wjazzd.WjazzdError, match=r"beat 1 .*'Hx7'"):
        wjazzd.chord_changes([beat(0, 0, 1), beat(1, 0, 2, "Hx7")])


@pytest.fixture(scope="module")
def solos():
    return wjazzd.solo_pieces()


def test_the_whole_database_converts(solos):
    pieces, infos = solos
    assert len(pieces) == 456
    notes = sum(len(p.events) for p in pieces)
    assert 190_000 < notes < 200_809  # a few percent collide on the grid or precede bar 1
    for p in pieces:
        starts = [e.start for e in p.events]
        assert starts == sorted(set(starts)), p.id  # monophonic, one note per step
        assert all((e.start * 4).is_integer() and (e.end * 4).is_integer() for e in p.events)
        assert all(e.end > e.start for e in p.events)
        assert all(a.end <= b.start for a, b in zip(p.events, p.events[1:], strict=False))
        assert p.chords and p.chords[0][0] == 0
    assert {infos[p.id].performer for p in pieces} >= {"Charlie Parker", "John Coltrane"}


def test_split_by_whole_solo_seeded_with_a_performer_check(solos):
    pieces, infos = solos
    training, held_out = split(pieces, 0.1, seed=2024)
    assert len(held_out) == 46 and not {p.id for p in training} & {p.id for p in held_out}
    assert split(pieces, 0.1, seed=2024) == (training, held_out)
    shared = wjazzd.shared_performers(training, held_out, infos)
    # a split by solo keeps most performers on both sides; the check says which
    assert shared and shared <= {infos[p.id].performer for p in held_out}
    disjoint = [p for p in held_out if infos[p.id].performer not in shared]
    assert not wjazzd.shared_performers(training, disjoint, infos)


def test_lead_sheet_note_sequences_carry_the_chords_in_every_key(solos):
    from psc_looper.training.datasets import to_note_sequence

    piece = solos[0][0]
    sequence = to_note_sequence(piece)
    figures = [a.text for a in sequence.text_annotations]
    assert figures == [f for _, f in piece.chords]
    up = to_note_sequence(piece, transpose=2)
    from psc_looper.models.compat import ensure_magenta

    ensure_magenta()
    import note_seq

    for a, b in zip(sequence.text_annotations, up.text_annotations, strict=True):
        if a.text == "N.C.":
            assert b.text == "N.C."
            continue
        low = {p % 12 for p in note_seq.chord_symbol_pitches(a.text)}
        high = {p % 12 for p in note_seq.chord_symbol_pitches(b.text)}
        assert high == {(p + 2) % 12 for p in low}
    assert [n.pitch + 2 for n in sequence.notes] == [n.pitch for n in up.notes]
