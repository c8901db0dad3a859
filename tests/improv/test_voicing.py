"""Voicing: register, keyboard range, chord and scale fitting, chords that follow."""

import pytest

from psc_looper.improv.options import KEY_HIGH, KEY_LOW, Fit
from psc_looper.improv.voicing import (
    chord_map,
    fit_pitch,
    fold_into_range,
    follow,
    loop_scale,
    nearest_in,
    place_line,
    reference_pitch,
)
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.osc.protocol import Instrument


def chord(onset, duration, *pitches):
    return [LoopNote(onset, Track.CHORDS, Instrument.CHORDS, p, 80, duration) for p in pitches]


@pytest.mark.parametrize(("pitch", "folded"), [(0, 24), (20, 32), (21, 21), (108, 108),
                                               (109, 97), (127, 103)])
def test_fold_into_the_keyboard(pitch, folded):
    assert fold_into_range(pitch) == folded
    assert KEY_LOW <= folded <= KEY_HIGH


def test_the_line_moves_by_octaves_to_start_within_a_tritone_of_the_hands():
    for first in range(30, 100):
        for reference in (36, 55, 72, 90):
            placed = place_line([first, first + 3], reference)
            assert abs(placed[0] - reference) <= 6
            assert (placed[0] - first) % 12 == 0
            assert placed[1] - placed[0] == 3


def test_a_line_without_reference_is_only_folded():
    assert place_line([10, 60, 120], None) == [22, 60, 108]


def test_reference_is_the_median_of_recent_notes():
    assert reference_pitch([40, 80, 62]) == 62
    assert reference_pitch([]) is None


def test_nearest_in_picks_the_closest_class_and_the_lower_on_a_tie():
    assert nearest_in(61, {0, 4, 7}) == 60
    assert nearest_in(62, {0, 4, 7}) == 60  # 60 and 64 both 2 away
    assert nearest_in(66, {0, 4, 7}) == 67
    assert nearest_in(66, set()) == 66


def test_chord_map_holds_the_last_chord_over_gaps_and_wraps():
    chords = [*chord(4, 4, 60, 64, 67), *chord(12, 2, 65, 69, 72)]
    classes = chord_map(chords, 16)
    assert classes[5] == {0, 4, 7}
    assert classes[9] == {0, 4, 7}  # held after it stops
    assert classes[13] == {5, 9, 0}
    assert classes[0] == {5, 9, 0}  # wraps from the end of the loop
    assert chord_map([], 16) == []


def test_loop_scale_is_the_major_scale_covering_most_of_the_chords():
    assert loop_scale(chord(0, 16, 62, 65, 69) + chord(16, 16, 67, 71, 74)) == {
        0, 2, 4, 5, 7, 9, 11}  # Dm G: C major
    assert loop_scale(chord(0, 16, 64, 68, 71)) == {4, 6, 8, 9, 11, 1, 3}  # E: E major
    assert loop_scale([]) == frozenset()


def test_fit_pitch_by_mode():
    c_major = frozenset({0, 4, 7})
    scale = frozenset({0, 2, 4, 5, 7, 9, 11})
    assert fit_pitch(61, c_major, scale, Fit.CHORD) == 60
    assert fit_pitch(62, c_major, scale, Fit.SCALE) == 62  # D is in the scale
    assert fit_pitch(63, c_major, scale, Fit.SCALE) == 62
    assert fit_pitch(61, c_major, scale, Fit.OFF) == 61
    assert fit_pitch(61, frozenset(), scale, Fit.CHORD) == 61  # no chord: unchanged
    assert fit_pitch(KEY_HIGH, frozenset({1}), scale, Fit.CHORD) <= KEY_HIGH


def test_chord_keys_follow_the_first_key_within_the_keyboard():
    assert follow(60, 72, 67) == 79
    assert follow(60, 72, 55) == 67
    assert follow(40, 105, 52) == 105  # 117 folded down an octave
