"""Steps survive the trip through magenta's NoteSequence and quantizer."""

from __future__ import annotations

import pytest

from psc_looper.models import DrumHit, Note, ensure_magenta, sequences

pytestmark = pytest.mark.slow

STEPS_PER_SECOND = 1 / sequences.SECONDS_PER_STEP


def test_magenta_quantizes_our_steps_back() -> None:
    ensure_magenta()
    import note_seq

    notes = [Note(0, 1, 60), Note(1, 4, 62), Note(7, 8, 64), Note(8, 24, 65)]
    quantized = note_seq.quantize_note_sequence(sequences.melody_sequence(notes), 4)
    got = [(n.quantized_start_step, n.quantized_end_step, n.pitch) for n in quantized.notes]
    assert got == [(n.start_step, n.end_step, n.pitch) for n in notes]


def test_generate_section_start_quantizes_to_the_intended_step() -> None:
    ensure_magenta()
    import note_seq

    for step in (1, 8, 16, 31, 1000):
        # magenta rounds a section start up, an exact step time to the *next* step
        assert note_seq.quantize_to_step(sequences.seconds(step), STEPS_PER_SECOND, 0) == step + 1
        assert note_seq.quantize_to_step(sequences.before(step), STEPS_PER_SECOND, 0) == step
        assert note_seq.quantize_to_step(sequences.before(step), STEPS_PER_SECOND, 0.5) == step


def test_round_trip_helpers() -> None:
    melody = sequences.melody_sequence([Note(2, 6, 60), Note(6, 9, 62)], total_steps=16)
    assert sequences.step_of(melody.total_time) == 16
    assert sequences.notes_from(melody, 3, 8, shift=2) == [Note(4, 6, 62)]
    drums = sequences.drums_sequence([DrumHit(0, 36), DrumHit(4, 38), DrumHit(4, 42)], 8)
    assert all(n.is_drum for n in drums.notes)
    assert sequences.hits_from(drums, 4, 8, shift=4) == [DrumHit(0, 38), DrumHit(0, 42)]
