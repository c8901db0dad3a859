import pytest

from psc_looper.looper.notes import Track
from psc_looper.looper.recording import Take, quantize


@pytest.mark.parametrize(("pos", "step"), [(3.49, 3), (3.5, 4), (3.51, 4), (0.2, 0), (-0.4, 0)])
def test_quantize_to_nearest_step(pos, step):
    assert quantize(pos) == step


def test_take_quantizes_onsets_and_durations_and_wraps_at_loop_end():
    take = Take(Track.BASS, start=32, end=64, loop_start=32, loop_steps=32)
    assert take.note_on(36, 36, 100, 32.2)
    take.note_off(36, 35.9)
    assert take.note_on(40, 40, 90, 40.0)
    take.note_off(40, 44.0)
    assert not take.note_on(48, 48, 90, 70.0)  # after the take: not recorded
    notes = take.finish()
    assert [(n.onset, n.pitch, n.duration) for n in notes] == [(0, 36, 4), (8, 40, 4)]
    assert all(n.track is Track.BASS for n in notes)


def test_the_next_downbeat_played_just_after_the_end_never_doubles_step_zero():
    take = Take(Track.BASS, start=32, end=64, loop_start=32, loop_steps=32)
    take.note_on(36, 36, 100, 32.1)
    take.note_off(36, 35.9)
    assert not take.note_on(43, 43, 90, 64.03)  # the next loop's downbeat, a few ms late
    assert not take.note_on(43, 43, 90, 63.7)  # or a little early: rounds onto step 0
    assert [(n.onset, n.pitch) for n in take.finish()] == [(0, 36)]


def test_a_take_that_began_later_gets_its_last_note_onto_step_zero():
    take = Take(Track.BASS, start=40, end=64, loop_start=32, loop_steps=32)
    take.note_on(40, 40, 100, 40.0)
    take.note_off(40, 44.0)
    assert take.note_on(43, 43, 90, 63.8)  # the phrase ends on the downbeat: step 0 is free
    take.note_off(43, 66.0)
    assert [(n.onset, n.pitch, n.duration) for n in take.finish()] == [(0, 43, 2), (8, 40, 4)]


def test_a_bass_take_keeps_the_lowest_voice_and_a_chords_take_every_note():
    for track, expected in ((Track.BASS, [(0, 36), (4, 38)]),
                            (Track.CHORDS, [(0, 36), (0, 53), (0, 57), (0, 60), (4, 38),
                                            (4, 53)])):
        take = Take(track, start=0, end=16, loop_start=0, loop_steps=16)
        for pitch, at in ((36, 0.0), (53, 0.1), (57, 0.1), (60, 0.2), (38, 4.0), (53, 4.1)):
            take.note_on(pitch, pitch, 80, at)
        assert sorted((n.onset, n.pitch) for n in take.finish()) == expected


def test_chords_keep_every_simultaneous_note_and_held_notes_close_at_the_end():
    take = Take(Track.CHORDS, start=0, end=16, loop_start=0, loop_steps=16)
    for pitch in (60, 64, 67):
        take.note_on(pitch, pitch, 80, 8.1)
    take.note_off(64, 12.0)
    notes = take.finish()
    assert sorted((n.pitch, n.onset, n.duration) for n in notes) == [
        (60, 8, 8), (64, 8, 4), (67, 8, 8)]


def test_same_key_twice_pairs_offs_in_order():
    take = Take(Track.BASS, start=0, end=16, loop_start=0, loop_steps=16)
    take.note_on(40, 40, 100, 0.0)
    take.note_on(40, 40, 100, 2.0)
    take.note_off(40, 1.0)
    take.note_off(40, 6.0)
    assert [(n.onset, n.duration) for n in take.finish()] == [(0, 1), (2, 4)]
