"""The follower on the shipped ImprovRNN: each key's pitch drawn over the chord of its own
step, a key never waits (nothing prepared: a counted fallback), the same seed gives the
same line, what the note path sounded is what the model hears, guards are counted; and
the continuous-line turn rule."""

from __future__ import annotations

import pytest

from psc_looper.bundles import DEFAULT_IMPROV_BUNDLE
from psc_looper.harmony.chords import parse_chord
from psc_looper.improv.follower import LATE, Follower, FollowOptions, primer_events
from psc_looper.improv.turns import crosses_bar_line, played_through
from psc_looper.inference.configs import IMPROV_RNN
from psc_looper.inference.loader import load_generator
from psc_looper.inference.stepper import NO_EVENT, NOTE_OFF, Stepper

CHORDS = [parse_chord(s) for s in ("Dm7", "G7", "Cmaj7", "F#m7b5", "B7", "Ebmaj7")]
PHRASE = [(0.1, 1.8, 74), (2.0, 3.0, 72), (4.2, 6.0, 69), (8.0, 9.0, 65), (10.0, 12.0, 67)]


@pytest.fixture(scope="module")
def generator():
    return load_generator(DEFAULT_IMPROV_BUNDLE, IMPROV_RNN)


def every_step_another_chord(step):
    return CHORDS[step % len(CHORDS)]


def follower_after_phrase(generator, options=None, seed=1, chord_at=every_step_another_chord):
    follower = Follower(Stepper(generator), options or FollowOptions(), seed=seed)
    events = primer_events(PHRASE, 0, 15)
    follower.start(events, [chord_at(s) for s in range(16)], 16, chord_at)
    return follower


def play(follower, keys, until):
    """Keys (position, key) and the transport's steps in time order; the pitches sounded."""
    timeline = [(p, 1, k) for p, k in keys] + [(float(s), 0, None) for s in range(17, until)]
    sounded = []
    for position, kind, key in sorted(timeline):
        if kind == 0:
            follower.observe(int(position) - 1)
        else:
            pitch = follower.take(position, key)
            follower.sounded(position, pitch)
            sounded.append(pitch)
    return sounded


def test_primer_events_keep_the_rhythm_as_played():
    assert primer_events(PHRASE, 0, 12) == [
        74, NO_EVENT, 72, NOTE_OFF, 69, NO_EVENT, NOTE_OFF, NO_EVENT, 65, NOTE_OFF, 67,
        NO_EVENT, NOTE_OFF]


def test_each_pitch_is_a_tone_of_the_chord_at_its_own_step_with_snap(generator):
    follower = follower_after_phrase(generator, FollowOptions(snap=True, follow_keys=False))
    keys = [(16.0, 72), (17.4, 72), (19.6, 72), (21.0, 72), (22.2, 72), (24.5, 72), (25.0, 72)]
    sounded = play(follower, keys, 27)
    # 24.5 rounds to 25 (before step 25's observe); 25.0 is a second key there: it takes
    # the pitch prepared for a key on step 26
    steps = [16, 17, 20, 21, 22, 25, 26]
    assert len(sounded) == len(keys)
    for (position, _), pitch, step in zip(keys, sounded, steps, strict=True):
        assert pitch % 12 in every_step_another_chord(step).pitch_classes, position
    assert follower.stats.crowded == 1 and not follower.stats.fallbacks
    assert follower.taken[26] == sounded[-1]


def test_the_model_hears_what_the_note_path_sounded(generator):
    follower = follower_after_phrase(generator)
    sounded = play(follower, [(16.0, 72), (18.0, 72)], 21)
    heard = follower.stepper.model_events[16:]
    shift = follower.stepper.shift
    assert heard[0] == sounded[0] + shift and heard[2] == sounded[1] + shift
    assert heard[1] == NO_EVENT


def test_a_key_with_nothing_prepared_falls_back_at_once_and_is_counted(generator):
    follower = follower_after_phrase(generator)
    pitch = follower.take(40.0, 72)  # far past what the model has prepared
    assert 21 <= pitch <= 108
    assert follower.stats.fallbacks == {LATE: 1} and follower.stats.taken == 0


def test_same_seed_same_line_and_another_seed_differs(generator):
    keys = [(16.0 + 1.5 * k, 70) for k in range(12)]

    def line(seed):
        return play(follower_after_phrase(generator, seed=seed), keys, 35)

    assert line(4) == line(4)
    assert line(4) != line(5)


def test_the_line_continues_from_the_pianists_register(generator):
    follower = follower_after_phrase(generator, FollowOptions(follow_keys=False))
    sounded = play(follower, [(16.0 + 2 * k, 70) for k in range(10)], 37)
    assert all(abs(p - 70) <= 12 for p in sounded)
    assert abs(sounded[0] - 67) <= 7  # the leap guard from the pianist's last note at most


def test_the_key_guard_moves_a_pitch_toward_its_key_and_counts(generator):
    follower = follower_after_phrase(generator)
    pitch = follower.take(16.0, 100)
    assert abs(pitch - 100) <= 12 and follower.stats.key_guards == 1


def test_a_continuous_line_lets_the_machine_in_at_a_bar_line_after_enough_bars():
    assert played_through(64.0, 63.0, 0.0, 4, 16)
    assert not played_through(60.0, 59.0, 0.0, 4, 16)  # not four bars yet
    assert not played_through(66.0, 65.0, 0.0, 4, 16)  # not the first key of the bar
    assert played_through(66.0, 62.0, 0.0, 4, 16)  # the first key after the bar line
    assert not played_through(80.0, 79.0, 0.0, 0, 16)  # 0 bars: never
    assert crosses_bar_line(16.4, 15.0, 16) and not crosses_bar_line(17.0, 16.0, 16)
