"""The turn table: every phase is reached and left, a whole-line turn and a follower turn
walk round to listening, a hold ends a lead, anything else is refused."""

import pytest

from psc_looper.improv.turns import TRANSITIONS, Phase, Turn, TurnError, next_phase


def walk(phase, *turns):
    for turn in turns:
        phase = next_phase(phase, turn)
    return phase


def test_a_whole_line_turn_and_a_follower_turn_come_back_to_listening():
    whole = (Turn.GENERATE, Turn.ANSWER, Turn.TAKE_OVER, Turn.LINE_DONE)
    assert walk(Phase.LISTENING, *whole) is Phase.LISTENING
    assert walk(Phase.LISTENING, Turn.STREAM, Turn.TAKE_OVER, Turn.HOLD) is Phase.LISTENING
    assert walk(Phase.LISTENING, Turn.GENERATE, Turn.SILENCE) is Phase.LISTENING


def test_every_phase_is_reached_and_left():
    assert {p for p, _ in TRANSITIONS} == set(Phase)
    assert set(TRANSITIONS.values()) == set(Phase)


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("turn", list(Turn))
def test_a_transition_not_in_the_table_is_refused(phase, turn):
    if (phase, turn) in TRANSITIONS:
        assert next_phase(phase, turn) is TRANSITIONS[(phase, turn)]
    else:
        with pytest.raises(TurnError, match=f"cannot happen while {phase.value}"):
            next_phase(phase, turn)
