"""Hands: the melody voice found in two-handed playing; the accompaniment passes through
and the machine's substitutes stay above it."""

from itertools import pairwise

import pytest

from psc_looper.improv.hands import Hands, SplitError, above, parse_split
from psc_looper.improv.options import Boundary, ImprovOptions, OptionsError
from tests.helpers import unmatched_notes
from tests.improv.conftest import ScriptedMelody

QUICK = {"threshold": 4, "boundary": Boundary.NONE, "breath_steps": 0}


def test_a_single_line_is_all_melody_as_before():
    hands = Hands()
    assert all(hands.is_melody(p, i, 0) for i, p in enumerate([48, 52, 55, 60, 64, 67, 72]))


def test_bass_and_voicings_under_a_held_melody_are_accompaniment():
    hands = Hands()
    assert hands.is_melody(74, 0, 0)
    assert not hands.is_melody(36, 0.1, 1)  # walking bass
    assert not hands.is_melody(53, 0.2, 2)  # rootless voicing under the held melody
    assert not hands.is_melody(57, 0.2, 3)
    assert hands.is_melody(76, 2, 0) and hands.is_melody(72, 3, 0)
    assert not hands.is_melody(55, 4, 0)  # nearer the left hand's register now
    assert hands.accompaniment_top(4) == 57


def test_the_accompaniment_top_forgets_released_keys_after_a_beat():
    hands = Hands()
    hands.is_melody(74, 0, 0)
    hands.is_melody(55, 0, 1)
    hands.released(55, 2)
    assert hands.accompaniment_top(5) == 55 and hands.accompaniment_top(6.5) is None


def test_a_melody_key_on_an_old_accompaniment_pitch_does_not_raise_the_floor():
    hands = Hands()
    hands.is_melody(74, 0, 0)
    for key in (36, 48, 55, 62):  # a voicing under the held melody, its top on D4
        assert not hands.is_melody(key, 0.1, 1)
    for key in (36, 48, 55, 62):
        hands.released(key, 2)
    for step, key in enumerate([72, 70, 67, 65, 64, 62], start=20):  # the line comes down
        assert hands.is_melody(key, step, 0)
        hands.released(key, step + 0.5)
    # the comping has been silent since step 2: no floor under the machine's next note
    # (it was the melody's own D4, and the machine's answer went up an octave over it)
    assert hands.accompaniment_top(26) is None


def test_a_fixed_split_and_none():
    assert Hands(parse_split("60")).is_melody(60, 0, 0)
    assert not Hands(parse_split("60")).is_melody(59, 0, 0)
    assert Hands(parse_split("none")).is_melody(20, 0, 3)
    with pytest.raises(SplitError):
        parse_split("left")
    with pytest.raises(OptionsError, match="split"):
        ImprovOptions(split="left")


def test_above_moves_by_octaves():
    assert above(50, 57) == 62 and above(70, 57) == 70 and above(60, None) == 60
    assert above(100, 100) == 100  # never past the top key


def test_improv_substitutes_the_melody_only_and_never_under_the_left_hand(improv_rig):
    model = ScriptedMelody([50, 52, 55, 57, 60])  # a line that would dive under the comping
    improv = improv_rig(model, **QUICK, follow_register=False)
    improv.start()
    played = []  # both hands: a bass note and a rootless voicing under each melody note
    for k, melody in enumerate([72, 74, 76, 77, 79, 77, 76, 74]):
        at = 4 * k
        played += [(at, melody, 1), (at + 0.05, 36 + k, 3), (at + 0.1, 53, 3),
                   (at + 0.15, 57, 3)]
    improv.play(played)
    machine = improv.machine()
    assert len(machine) == 4  # only the last four melody keys took the machine's pitches
    assert all(p > 57 for p in machine)  # above the voicing's top
    assert [p for p in improv.pianist() if p < 60] == [
        p for k in range(8) for p in (36 + k, 53, 57)]  # the left hand as played
    primer = model.calls[0][0]
    assert [n.pitch for n in primer] == [72, 74, 76, 77]
    improv.rig.advance(1)
    assert not unmatched_notes(improv.live())


def test_a_leap_wider_than_max_leap_moves_by_octaves():
    from psc_looper.improv.voicing import within_leap

    assert within_leap(79, 67, 7) == 67  # an octave up becomes the unison
    assert within_leap(76, 67, 7) == 64  # a ninth up becomes a third down
    assert within_leap(74, 67, 7) == 74  # a fifth stays
    assert within_leap(90, None, 7) == 90
    with pytest.raises(OptionsError, match="max_leap"):
        ImprovOptions(max_leap=5)


def test_the_machine_line_folds_its_leaps(improv_rig):
    improv = improv_rig(ScriptedMelody([70, 84, 58, 86, 60]), **QUICK, follow_register=False)
    improv.start()
    improv.play([(0, 72, 1), (2, 74, 1), (4, 76, 1), (6, 77, 1),
                 *[(8 + 2 * k, 72, 1) for k in range(5)]])
    machine = improv.machine()
    assert machine[0] == 70 and len(machine) == 5
    assert all(abs(b - a) <= 7 for a, b in pairwise(machine))
