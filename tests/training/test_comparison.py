"""The side-by-side comparison: chords per step, windows, line metrics, the Markov contender."""

import pytest

from psc_looper.harmony.chords import parse_chord
from psc_looper.models.notes import Note
from psc_looper.training import comparison
from psc_looper.training.pieces import Event, Piece

DM7, G7, CMAJ7 = (parse_chord(s) for s in ("Dm7", "G7", "Cmaj7"))


def ii_v_i_solo(bars: int = 16, pitches=(62, 65, 69, 72, 67, 71, 74, 77, 64, 67, 71, 72)) -> Piece:
    """A solo of quarter notes over Dm7 | G7 | Cmaj7 | Cmaj7, repeated."""
    events = tuple(Event(pitches[k % len(pitches)], float(k), k + 0.5) for k in range(bars * 4))
    chords = tuple((16.0 * r + q, c.figure()) for r in range(bars // 4)
                   for q, c in ((0.0, DM7), (4.0, G7), (8.0, CMAJ7)))
    return Piece("s", "s", 4, 4, events, chords=((0.0, "N.C."), *chords[1:]))


def test_step_chords_follow_the_changes():
    chords = comparison.step_chords(ii_v_i_solo(), 0, 64)
    assert chords[0] is None  # N.C. until the first change listed after it
    assert chords[16].pitch_classes == G7.pitch_classes and chords[31] == chords[16]
    assert chords[32].pitch_classes == CMAJ7.pitch_classes and chords[63] == chords[32]
    assert comparison.step_chords(ii_v_i_solo(), 64, 2)[0].pitch_classes == DM7.pitch_classes


def test_windows_split_primer_and_reference_on_the_step_grid():
    found = comparison.windows([ii_v_i_solo()], 16, 16)
    assert [w.piece_id for w in found] == ["s", "s"]  # from the first bar and the middle
    first = found[0]
    assert [n.start_step for n in first.primer] == [0, 4, 8, 12]
    assert [n.start_step for n in first.reference] == [0, 4, 8, 12]
    assert first.reference[0].pitch == 67 and len(first.chords) == 32
    assert first.chords[16].pitch_classes == G7.pitch_classes


def test_chord_tones_leaps_and_range():
    chords = [DM7] * 4 + [None] * 4
    notes = [Note(0, 1, 62), Note(1, 2, 64), Note(2, 3, 77), Note(5, 6, 40)]
    assert comparison.chord_tone_share(notes, chords) == pytest.approx(2 / 3)  # 40 has no chord
    assert comparison.chord_tone_share(notes, [None] * 8) is None
    assert comparison.leap_share(notes) == pytest.approx(2 / 3)  # 64->77 and 77->40
    metrics = comparison.line_metrics(notes, chords, 16)
    assert metrics["pitch range"] == 37 and metrics["notes per bar"] == 4


def test_melody_events_round_trip():
    notes = [Note(0, 2, 60), Note(2, 3, 62), Note(6, 8, 64)]
    events = comparison.melody_events(notes, 10)
    assert events[:4] == [62, 0, 64, 1] and events[8] == comparison.NOTE_OFF
    assert comparison.notes_from_events(events) == notes
    assert comparison.notes_from_events(events, offset=16)[0] == Note(16, 18, 60)


def test_the_soloist_as_contender_matches_the_soloists_column():
    found = comparison.windows([ii_v_i_solo()], 16, 16)
    answers = {id(w.primer[0]): w.reference for w in found}
    def soloist(primer, primer_steps, num_steps, chords, seed):
        return answers[id(primer[0])]
    columns = comparison.generation_columns({"copy": soloist}, found, 16, 16)
    assert columns["copy"] == columns["soloists"]
    assert columns["soloists"]["chord tones"] > 0.6


def test_markov_contender_learns_the_solo_and_is_seeded():
    solo = ii_v_i_solo()
    generate = comparison.markov_contender(3, [solo])
    window = comparison.windows([solo], 16, 16)[0]
    one = generate(window.primer, 16, 16, window.chords, 5)
    assert one == generate(window.primer, 16, 16, window.chords, 5)
    assert one and all(n.pitch in {62, 65, 69, 72, 67, 71, 74, 77, 64} for n in one)
    assert all(0 <= n.start_step < 16 for n in one)


def test_a_bundle_contender_hears_chords_only_if_it_takes_them_and_starts_at_zero():
    class Fake:
        def __init__(self, config_id):
            self.config_id, self.calls = config_id, []

        def generate(self, primer, num_steps, **options):
            self.calls.append(options)
            start = options["primer_steps"]
            return [Note(start + 2, start + 4, 67)]

    melody, improv = Fake("attention_rnn"), Fake("chord_pitches_improv")
    chords = [G7] * 32
    for model in (melody, improv):
        assert comparison.model_contender(model)([Note(0, 2, 60)], 16, 16, chords, 3) == \
            [Note(2, 4, 67)]
    assert "chords" not in melody.calls[0] and improv.calls[0]["chords"] == chords
    assert improv.calls[0]["seed"] == 3
