"""Call and response on the virtual rig with a scripted melody model: when the machine
takes over, what its keys sound, and that nothing hangs."""

import random
import threading

import pytest

from psc_looper.improv import Phase
from psc_looper.improv.options import Boundary, Fit
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.models import GenerationError, Note
from psc_looper.osc.protocol import CC_EVENT, NOTE_OFF, NOTE_ON, Instrument
from tests.helpers import unmatched_notes
from tests.improv.conftest import (
    HOLD_PEDAL,
    IMPROV_CALL,
    IMPROV_HOLD,
    MELODY_KNOB,
    ScriptedMelody,
    run_of,
)

FREE = 36  # nanoKONTROL2 track 5 solo: free mode
QUICK = {"threshold": 4, "boundary": Boundary.NONE, "breath_steps": 0}


def test_takes_over_after_the_threshold_at_the_bar_line_after_a_breath(improv_rig):
    model = ScriptedMelody(range(60, 80))
    improv = improv_rig(model, threshold=4)
    improv.start()
    improv.play(run_of(3))
    improv.rig.advance_to_step(5.5)
    assert model.calls == [] and improv.feature.phase is Phase.LISTENING
    improv.play([(6, 65, 1)])  # the 4th note
    improv.rig.advance_to_step(8)
    assert len(model.calls) == 1 and improv.feature.phase is Phase.READY
    improv.play([(10, 67, 1), (13, 69, 1), (16, 64, 1), (18, 62, 1)])
    assert improv.pianist() == [60, 62, 64, 65, 67, 69]  # before the bar line at 16
    assert improv.machine() == [60, 61]
    assert improv.feature.phase is Phase.LEADING


def test_substituted_pitches_take_the_pianists_timing_and_velocity(improv_rig):
    model = ScriptedMelody(range(60, 80))
    improv = improv_rig(model, **QUICK)
    improv.start()
    improv.play(run_of(4))
    for step, velocity in ((9, 30), (11.5, 70), (14.25, 110)):
        improv.rig.advance_to_step(step)
        improv.rig.note_on(72, velocity)
        improv.rig.note_off(72)
    machine = [s for s in improv.live() if s.address.startswith("/play")][-3:]
    assert [s.args for s in machine] == [(60, 30), (61, 70), (62, 110)]
    assert [s.sent for s in machine] == [
        pytest.approx(improv.rig.step_time(k)) for k in (9, 11.5, 14.25)
    ]


def test_only_the_generated_pitches_then_listening_again(improv_rig):
    model = ScriptedMelody([60, 62, 64])
    improv = improv_rig(model, **QUICK, max_generated=2)
    improv.start()
    improv.play(run_of(4))
    improv.play([(9, 70, 1), (11, 71, 1), (13, 72, 1)])
    assert improv.machine() == [60, 62]
    assert improv.pianist()[-1] == 72
    assert improv.feature.phase is Phase.LISTENING
    assert not unmatched_notes(improv.live())


def test_waits_for_the_loop_start_when_told(improv_rig):
    improv = improv_rig(threshold=4, boundary=Boundary.LOOP)
    improv.start()
    improv.play([*run_of(4), (16, 60, 1), (20, 60, 1), (32, 60, 1)])
    assert len(improv.pianist()) == 6
    assert len(improv.machine()) == 1


def test_no_takeover_inside_a_run(improv_rig):
    improv = improv_rig(threshold=4)
    improv.start()
    run = [(12 + i, 60 + i % 5, 1) for i in range(14)]  # legato 16ths through the bar line
    improv.play(run_of(4) + run + [(28, 70, 1)])  # a rest of 2 steps before 28
    assert len(improv.pianist()) == 4 + 14
    assert len(improv.machine()) == 1


def test_a_short_rest_is_no_breath(improv_rig):
    improv = improv_rig(threshold=4, breath_steps=3)
    improv.start()
    improv.play([*run_of(4), (14, 60, 1), (17, 62, 1), (21, 64, 1)])
    assert improv.pianist()[-2:] == [60, 62]  # 17 - 15 = 2 steps of rest: not enough
    assert len(improv.machine()) == 1


def test_the_line_starts_within_a_fifth_of_the_hands(improv_rig):
    model = ScriptedMelody([84, 86, 88, 89])
    improv = improv_rig(model, **QUICK)
    improv.start()
    improv.play([*run_of(4, low=48), (9, 50, 1), (11, 52, 1)])
    first = improv.machine()[0]
    assert abs(first - improv.pianist()[-1]) <= 7
    assert improv.machine() == [first, first + 2]


def test_without_the_register_rule_the_line_sounds_as_generated_within_the_keyboard(
    improv_rig,
):
    model = ScriptedMelody([84, 10, 120])
    improv = improv_rig(model, **QUICK, follow_register=False, max_leap=127)
    improv.start()
    improv.play([*run_of(4, low=48), (9, 50, 1), (11, 52, 1), (13, 53, 1)])
    assert improv.machine() == [84, 22, 108]


CHORDS = [  # C major in bar 1, F major in bar 2
    *(LoopNote(0, Track.CHORDS, Instrument.CHORDS, p, 80, 16) for p in (60, 64, 67)),
    *(LoopNote(16, Track.CHORDS, Instrument.CHORDS, p, 80, 16) for p in (65, 69, 72)),
]


@pytest.mark.parametrize(
    ("fit", "allowed"),
    [
        (Fit.CHORD, ({0, 4, 7}, {5, 9, 0})),
        (Fit.SCALE, ({0, 2, 4, 5, 7, 9, 11},) * 2),
    ],
)
def test_generated_pitches_fit_the_chord_sounding_at_the_key(improv_rig, fit, allowed):
    model = ScriptedMelody(range(61, 81))  # every pitch class
    improv = improv_rig(model, **QUICK, fit=fit)
    improv.rig.looper.replace_track(Track.CHORDS, CHORDS)
    improv.start()
    keys = [10, 12, 14, 18, 20, 22, 26, 28, 30, 34]
    improv.play(run_of(4) + [(k, 60, 1) for k in keys])
    machine = improv.machine()
    assert len(machine) == len(keys)
    for key, pitch in zip(keys, machine, strict=True):
        assert pitch % 12 in allowed[(key % 32) // 16], (key, pitch)
    assert machine != list(range(61, 71))


def test_fit_off_keeps_the_generated_pitches(improv_rig):
    improv = improv_rig(ScriptedMelody(range(61, 81)), **QUICK, fit=Fit.OFF)
    improv.rig.looper.replace_track(Track.CHORDS, CHORDS)
    improv.start()
    improv.play([*run_of(4), (10, 60, 1), (12, 60, 1)])
    assert improv.machine() == [61, 62]


def test_a_chord_while_the_machine_leads_moves_with_its_first_key(improv_rig):
    improv = improv_rig(ScriptedMelody([70, 72, 74]), **QUICK)
    improv.start()
    improv.play(run_of(4))
    rig = improv.rig
    rig.advance_to_step(10)
    for key in (67, 60, 71):  # within a few ms of each other
        rig.note_on(key)
        rig.advance(0.005)
    rig.advance_to_step(12)
    rig.note_on(62)  # a new melody note: the next generated pitch
    for key in (60, 67, 71, 62):
        rig.note_off(key)
    assert improv.machine() == [70, 63, 74, 72]
    assert not unmatched_notes(improv.live())


def test_keys_far_apart_each_take_a_pitch(improv_rig):
    improv = improv_rig(ScriptedMelody([70, 72, 74]), **QUICK, follow_register=False)
    improv.start()
    improv.play(run_of(4))
    improv.rig.advance_to_step(10)
    improv.rig.note_on(60)
    improv.rig.advance(0.05)
    improv.rig.note_on(64)
    assert improv.machine() == [70, 72]


def test_the_same_key_twice_and_held_keys_stop_what_they_started(improv_rig):
    improv = improv_rig(ScriptedMelody([70, 72, 74, 76]), **QUICK, follow_register=False)
    improv.start()
    improv.play(run_of(4))
    rig = improv.rig
    rig.advance_to_step(10)
    rig.note_on(60)
    rig.advance_to_step(11)
    rig.send(NOTE_ON, 60, 100, 0, "second keyboard")  # the same key from another source
    rig.advance_to_step(12)
    rig.note_on(64)
    rig.advance_to_step(13)
    before = len(improv.live())
    rig.note_off(60)
    assert [s.args[0] for s in improv.live()[before:]] == [70]  # the first press's pitch
    rig.send(NOTE_OFF, 60, 0, 0, "second keyboard")
    rig.note_off(64)
    assert improv.machine() == [70, 72, 74]
    assert not unmatched_notes(improv.live())


def test_a_mode_change_with_keys_down_leaves_nothing_hanging(improv_rig):
    improv = improv_rig(ScriptedMelody([70, 72, 74, 76]), **QUICK, follow_register=False)
    improv.start()
    improv.play(run_of(4))
    rig = improv.rig
    rig.advance_to_step(10)
    rig.note_on(60)  # machine: 70
    rig.press(FREE)
    rig.note_on(64)  # free mode: 64 itself
    rig.advance_to_step(11)
    rig.note_off(60)
    rig.press(68)  # back to improv
    rig.note_off(64)
    rig.note_on(65)  # machine: 72
    rig.note_off(65)
    assert improv.machine() == [70, 72]
    assert not unmatched_notes(improv.live())


def test_the_pedal_holds_the_machine_back_until_released(improv_rig):
    improv = improv_rig(threshold=4)
    improv.start()
    rig = improv.rig
    rig.send(CC_EVENT, HOLD_PEDAL, 127, 0, "keyboard")
    improv.play([*run_of(4), (16, 60, 1), (20, 60, 1)])
    assert improv.machine() == [] and improv.feature.phase is Phase.READY
    rig.advance_to_step(22)
    rig.send(CC_EVENT, HOLD_PEDAL, 0, 0, "keyboard")
    improv.play([(24, 60, 1), (32, 60, 1)])  # waits for the next bar line again
    assert len(improv.pianist()) == 7
    assert len(improv.machine()) == 1


def test_holding_while_the_machine_leads_gives_the_keys_back(improv_rig):
    improv = improv_rig(ScriptedMelody([70, 72, 74]), **QUICK, follow_register=False)
    improv.start()
    improv.play([*run_of(4), (10, 60, 1)])
    improv.rig.press(IMPROV_HOLD)  # the toggle button
    improv.play([(12, 61, 1)])
    assert improv.machine() == [70] and improv.pianist()[-1] == 61
    assert improv.feature.phase is Phase.LISTENING
    improv.rig.press(IMPROV_HOLD)
    assert "held" not in improv.feature.describe()


def test_a_call_brings_the_machine_in_at_the_next_key(improv_rig):
    model = ScriptedMelody([64, 66])
    improv = improv_rig(model, threshold=20)
    improv.start()
    improv.play(run_of(3))
    improv.rig.advance_to_step(7)
    improv.rig.press(IMPROV_CALL)
    assert [len(primer) for primer, _, _ in model.calls] == [3]
    improv.play([(7.5, 60, 1)])  # mid-bar, no breath: the call skips both rules
    assert improv.machine() == [64]


def test_a_call_with_nothing_played_warns_and_waits(improv_rig):
    model = ScriptedMelody()
    improv = improv_rig(model)
    improv.start()
    improv.rig.press(IMPROV_CALL)
    assert model.calls == []
    assert any("play something first" in w for w in improv.rig.looper.snapshot().warnings)


def test_the_knob_sets_the_temperature_of_the_next_generation(improv_rig):
    model = ScriptedMelody()
    improv = improv_rig(model, threshold=2)
    improv.start()
    improv.rig.cc(MELODY_KNOB, 127)
    improv.play([*run_of(2), (8, 60, 1)])
    improv.rig.cc(MELODY_KNOB, 0)
    assert model.calls[0][2]["temperature"] == pytest.approx(4.0)
    assert "T 0.25" in improv.feature.describe()


def test_the_primer_keeps_the_pianists_rhythm(improv_rig):
    model = ScriptedMelody()
    improv = improv_rig(model, threshold=3)
    improv.start()
    improv.play([(20.2, 60, 1.1), (22.9, 64, 2.0), (25.1, 62, 3.0)])
    primer, num_steps, options = model.calls[0]
    # The first note is at step 20, 4 steps into bar 2; onsets count from it, ends come
    # from the note-offs, and the last note, still held, ends when the primer was taken.
    assert primer == [Note(4, 5, 60), Note(7, 9, 64), Note(9, 10, 62)]
    assert options["primer_steps"] == 10
    assert num_steps > 20  # enough steps for 20 notes at this density
    assert options["seed"] == 7


def test_each_generation_gets_the_next_seed(improv_rig):
    model = ScriptedMelody([70])
    improv = improv_rig(model, **QUICK)
    improv.start()
    improv.play([*run_of(4), (9, 60, 1), *run_of(4, start=11)])
    improv.rig.advance_to_step(20)
    assert [options["seed"] for _, _, options in model.calls] == [7, 8]


class FailingMelody:
    def generate(self, primer, num_steps, **options):
        raise GenerationError("no luck")


def test_a_failed_generation_warns_and_listens_again(improv_rig):
    improv = improv_rig(FailingMelody(), **QUICK)
    improv.start()
    improv.play([*run_of(4), (9, 60, 1)])
    assert improv.machine() == [] and improv.pianist()[-1] == 60
    assert improv.feature.phase is Phase.LISTENING
    assert any("no luck" in w for w in improv.rig.looper.snapshot().warnings)


class BlockingMelody(ScriptedMelody):
    def __init__(self) -> None:
        super().__init__([70])
        self.release = threading.Event()

    def generate(self, primer, num_steps, **options):
        self.release.wait(5)
        return super().generate(primer, num_steps, **options)


def test_one_generation_in_flight_while_the_pianist_plays_on(improv_rig):
    model = BlockingMelody()
    improv = improv_rig(model, inline=False, **QUICK)
    improv.start()
    improv.play(run_of(12))
    assert improv.feature.phase is Phase.GENERATING
    assert "generating" in improv.feature.describe()
    model.release.set()
    assert improv.feature.worker.wait_idle(5)
    assert len(model.calls) == 1
    assert improv.feature.phase is Phase.READY


def test_the_status_line_shows_who_plays_and_the_buffers(improv_rig):
    improv = improv_rig(ScriptedMelody([70, 72, 74]), threshold=4, boundary=Boundary.NONE,
                        breath_steps=0, max_generated=3)
    improv.start()
    improv.play(run_of(3))
    assert improv.rig.looper.snapshot().extras["improv"].startswith("pianist | primer 3/4")
    improv.play([(8, 60, 1), (11, 60, 1)])
    line = improv.rig.looper.snapshot().extras["improv"]
    assert line.startswith("machine | primer 0/4 | line 2/3 | leading")


def test_a_bad_hold_argument_warns_and_changes_nothing(improv_rig):
    improv = improv_rig()
    improv.rig.backend.actions.run("improv_hold", "sideways", 127)
    assert "held" not in improv.feature.describe()
    assert any("improv_hold:sideways" in w for w in improv.rig.looper.snapshot().warnings)


def test_audit_a_busy_session_leaves_no_note_hanging(improv_rig):
    """Random keys, chords, repeats, holds, calls and mode changes: every note-on stops."""
    improv = improv_rig(ScriptedMelody(range(50, 90)), threshold=6)
    improv.rig.looper.replace_track(Track.CHORDS, CHORDS)
    improv.start()
    rig, rnd = improv.rig, random.Random(3)
    down: list[int] = []
    for step in range(0, 400):
        rig.advance_to_step(step + rnd.random() * 0.5)
        action = rnd.random()
        if action < 0.45:
            for _ in range(rnd.choice((1, 1, 1, 3))):
                key = rnd.randint(48, 84)
                rig.note_on(key, rnd.randint(20, 120))
                down.append(key)
        elif action < 0.8 and down:
            rig.note_off(down.pop(rnd.randrange(len(down))))
        elif action < 0.84:
            rig.press(rnd.choice((FREE, 68, 68, IMPROV_HOLD, IMPROV_CALL)))
        elif action < 0.86:
            rig.send(CC_EVENT, HOLD_PEDAL, rnd.choice((0, 127)), 0, "keyboard")
    for key in down:
        rig.note_off(key)
    assert improv.machine() and improv.pianist()
    assert not unmatched_notes(improv.live())


def test_notes_played_while_the_line_waits_do_not_count_for_the_next_turn(improv_rig):
    model = ScriptedMelody([70])
    improv = improv_rig(model, threshold=4)
    improv.start()
    improv.play([*run_of(4), (10, 60, 1), (12, 62, 1), (16, 64, 1)])  # machine at 16
    assert len(improv.machine()) == 1
    improv.play(run_of(3, start=20))
    improv.rig.advance_to_step(27)
    assert len(model.calls) == 1 and "primer 3/4" in improv.feature.describe()
    improv.play(run_of(1, start=28))
    improv.rig.advance_to_step(30)
    assert len(model.calls) == 2
