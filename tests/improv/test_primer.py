"""The primer: the pianist's notes as a monophonic melody in their own rhythm."""

from psc_looper.improv.primer import (
    MAX_NOTE_STEPS,
    MIN_GENERATE_STEPS,
    PlayedNote,
    PrimerBuffer,
    build_primer,
    steps_to_generate,
)
from psc_looper.models import Note


def test_onsets_are_quantized_relative_to_the_first_note():
    played = [PlayedNote(100.4, 60, 101.0), PlayedNote(102.8, 62, 103.3),
              PlayedNote(105.9, 64, 107.0)]
    primer, steps = build_primer(played, now=110, bar_offset=3)
    assert primer == [Note(3, 4, 60), Note(5, 6, 62), Note(9, 10, 64)]
    assert steps == 10


def test_notes_on_one_step_keep_the_top_voice_and_overlaps_are_cut():
    played = [PlayedNote(0.0, 60, 8.0), PlayedNote(0.2, 67, 8.0), PlayedNote(4.1, 65, 5.0)]
    primer, _ = build_primer(played, now=9)
    assert primer == [Note(0, 4, 67), Note(4, 5, 65)]


def test_held_notes_end_now_within_a_limit_and_last_at_least_a_step():
    played = [PlayedNote(0.0, 60, 0.1), PlayedNote(2.0, 62)]
    assert build_primer(played, now=6.2)[0] == [Note(0, 1, 60), Note(2, 6, 62)]
    long = build_primer([PlayedNote(0.0, 60)], now=1000)[0]
    assert long == [Note(0, MAX_NOTE_STEPS, 60)]


def test_an_empty_primer():
    assert build_primer([], now=3) == ([], 0)


def test_the_buffer_releases_the_oldest_held_press_and_keeps_the_newest_notes():
    buffer = PrimerBuffer(capacity=3)
    buffer.add(60, 1.0)
    buffer.add(60, 2.0)
    buffer.release(60, 3.0)
    buffer.release(61, 3.0)  # never pressed: nothing
    buffer.add(62, 4.0)
    buffer.add(64, 5.0)
    assert len(buffer) == 3
    notes = buffer.take()
    assert [(n.pitch, n.onset, n.end) for n in notes] == [
        (60, 2.0, None), (62, 4.0, None), (64, 5.0, None)]
    assert len(buffer) == 0


def test_steps_to_generate_follow_the_primer_density_within_bounds():
    eighths = [Note(2 * i, 2 * i + 1, 60) for i in range(20)]
    assert steps_to_generate(eighths, 40, wanted=20, cap=128) == 60  # 2 steps a note, x1.5
    assert steps_to_generate(eighths[:2], 64, wanted=20, cap=128) == 128
    dense = [Note(i, i + 1, 60) for i in range(40)]
    assert steps_to_generate(dense, 40, wanted=4, cap=128) == MIN_GENERATE_STEPS
    assert steps_to_generate([], 0, wanted=20, cap=96) == 96
