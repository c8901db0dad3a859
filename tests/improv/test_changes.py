"""Chord conditioning: an ImprovRNN is given, at every primer and generated step, the chord
that sounds at that step (recorded chord loop or chart), across loop wrap-around and
tempo changes; a bad chart is refused in one line and the harmony stays."""

import pytest

from psc_looper.harmony.chart import parse_chart
from psc_looper.improv.changes import Changes, loop_chords
from psc_looper.looper.notes import Instrument, LoopNote, Track
from psc_looper.looper.recording import quantize
from tests.improv.conftest import ScriptedMelody, run_of

C, F = frozenset({0, 4, 7}), frozenset({5, 9, 0})
DM7, G7, CMAJ7 = frozenset({2, 5, 9, 0}), frozenset({7, 11, 2, 5}), frozenset({0, 4, 7, 11})
CHORD_LOOP = [  # a 2-bar loop: C (two hands, bass note low) in bar 1, F in bar 2
    *(LoopNote(0, Track.CHORDS, Instrument.CHORDS, p, 80, 16) for p in (48, 60, 64, 67)),
    *(LoopNote(16, Track.CHORDS, Instrument.CHORDS, p, 80, 12) for p in (41, 65, 69, 72)),
]


class ScriptedImprov(ScriptedMelody):
    """A stand-in ImprovRNN: its config id says it takes chords."""

    config_id = "chord_pitches_improv"


def pitch_classes(chords):
    return [None if c is None else c.pitch_classes for c in chords]


def the_call(improv, first_onset):
    """(absolute step of primer step 0, chords given, primer steps, generated steps)."""
    (primer, num_steps, options), = improv.feature.model.calls
    origin = quantize(first_onset) - primer[0].start_step
    return origin, pitch_classes(options["chords"]), options["primer_steps"], num_steps


def test_chords_from_the_recorded_loop_at_every_step_across_the_wrap(improv_rig):
    improv = improv_rig(ScriptedImprov())
    improv.rig.looper.replace_track(Track.CHORDS, CHORD_LOOP)
    improv.start()
    improv.play(run_of(20, start=40, every=1.5))  # steps 40..68.5: loops 2 and 3
    improv.rig.advance_to_step(80)
    origin, chords, primer_steps, num_steps = the_call(improv, 40)
    assert len(chords) == primer_steps + num_steps
    assert origin + len(chords) > 96  # the generated part runs into the next loop
    expected = [C if (origin + k) % 32 < 16 else F for k in range(len(chords))]
    assert chords == expected


def test_chords_from_a_chart_through_a_tempo_change(improv_rig):
    improv = improv_rig(ScriptedImprov(), changes="Dm7 G7 | Cmaj7 |")
    improv.start()
    improv.play(run_of(8, start=20))
    improv.rig.looper.set_qpm(84)  # slower from here: steps keep their chords
    improv.play(run_of(12, start=40))
    improv.rig.advance_to_step(80)
    origin, chords, _, _ = the_call(improv, 20)

    def sounding(step):
        bar, in_bar = divmod(step, 16)
        return CMAJ7 if bar % 2 else (DM7 if in_bar < 8 else G7)

    assert chords == [sounding(origin + k) for k in range(len(chords))]
    assert "over chart" in improv.feature.describe()


def test_a_bad_chart_is_refused_in_one_line_and_the_harmony_stays(improv_rig):
    improv = improv_rig(ScriptedImprov(), changes="Dm7 G7 | Cmaj7 |")
    before = improv.feature.chords_at(0, 32)
    assert not improv.feature.set_changes("Dm7 G7 | Cmaj7 | Fxx9 |")
    (warning,) = [w for w in improv.rig.looper.snapshot().warnings if "chart" in w]
    assert "'Fxx9' at bar 3, chord 1" in warning and "\n" not in warning
    assert improv.feature.chords_at(0, 32) == before
    assert improv.feature.set_changes("Bb7 |")
    assert {c.name() for c in improv.feature.chords_at(0, 32)} == {"Bb7"}


def test_a_melodyrnn_is_not_given_chords(improv_rig):
    model = ScriptedMelody()
    improv = improv_rig(model, changes="Dm7 G7 | Cmaj7 |")
    improv.start()
    improv.play(run_of(20))
    improv.rig.advance_to_step(64)
    assert model.calls and "chords" not in model.calls[0][2]


def test_changes_snapshot_wraps_chart_and_loop():
    chart = Changes(chart=parse_chart("C | F |"), origin=32)
    assert pitch_classes(chart.span(28, 8)) == [F] * 4 + [C] * 4  # before the origin: wraps
    loop = Changes(loop=loop_chords(CHORD_LOOP, 32), loop_start=64)
    assert pitch_classes(loop.span(60, 8)) == [F] * 4 + [C] * 4
    assert loop.at(64 + 16).root == 5 and loop.at(64).root == 0
    assert not Changes().known and Changes().at(5) is None


@pytest.mark.parametrize("text", ["Dm7 H7 |", "| |"])
def test_a_bad_chart_in_the_options_is_one_line(text):
    from psc_looper.improv.options import ImprovOptions, OptionsError

    with pytest.raises(OptionsError, match="improv changes: "):
        ImprovOptions(changes=text)


def test_live_chord_reads_the_keys_struck_in_the_window():
    from psc_looper.improv.changes import live_chord

    struck = {50: 10.0, 53: 10.2, 57: 10.1, 60: 11.0, 43: 2.0}
    assert live_chord(struck, 12.0, 16).pitch_classes == DM7 | {7}  # G from step 2 too
    assert live_chord(struck, 20.0, 16).pitch_classes == DM7
    assert live_chord(struck, 40.0, 16) is None
    assert live_chord({50: 1.0}, 2.0, 16) is None  # one key is no chord


def test_the_chart_and_the_loop_come_before_the_live_chord():
    live = parse_chart("G7").chord_at(0, 4)
    changes = Changes(live=live)
    assert changes.known and changes.at(123) == live
    assert Changes(loop=(None, None), live=live).at(1) == live  # an empty loop reads nothing
    chart = Changes(chart=parse_chart("Dm7"), live=live)
    assert chart.at(5).pitch_classes == DM7
