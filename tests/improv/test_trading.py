"""Trade and continue modes: the machine's own phrases in time, on the virtual clock, with
the shipped models (NumPy engine, in-process) and with scripted phrases."""

from __future__ import annotations

import threading

import pytest

from psc_looper.background import Worker
from psc_looper.bundles import DEFAULT_IMPROV_BUNDLE
from psc_looper.improv.modes import trade_turn
from psc_looper.improv.options import ImprovMode, ImprovOptions, OptionsError
from psc_looper.improv.phrases import notes_of, velocity_at
from psc_looper.inference.stepper import NO_EVENT, NOTE_OFF
from psc_looper.looper.engine import Origin
from psc_looper.looper.machine import PhraseNote
from tests.helpers import unmatched_notes

CHART = "Dm7 G7 | Cmaj7 | A7 | Dm7 G7 |"
KEYS = "wurly"


def trading_rig(improv_rig, models, **options):
    melody, improv = models
    options = {"mode": "trade", "changes": CHART, **options}
    made = improv_rig(melody, chord_model=improv, **options)
    made.machine_sent = []  # (at, address, args) of every machine message

    def listen(messages, at, origin):
        if origin is Origin.MACHINE:
            made.machine_sent += [(at, address, args) for address, args in messages]

    made.rig.looper.add_output_listener(listen)
    made.start()
    return made


def play_phrase(improv, first: int, bars: int = 1, low: int = 64) -> None:
    """The pianist's melody: eighths from ``first`` for ``bars`` bars (keys up a scale)."""
    for i in range(bars * 8):
        step = first + 2 * i
        improv.rig.advance_to_step(step)
        improv.rig.note_on(low + (0, 2, 4, 5, 7)[i % 5], 90)
        improv.rig.advance_to_step(step + 1)
        improv.rig.note_off(low + (0, 2, 4, 5, 7)[i % 5])


def machine_onsets(improv) -> list[int]:
    """The absolute steps the machine's notes sounded on (from their time tags)."""
    schedule = improv.rig.looper.schedule
    return [round(schedule.step_at(at)) for at, address, _ in improv.machine_sent
            if address.startswith("/play")]


def keys_hanging(improv) -> int:
    return sum(n for (instrument, _), n in unmatched_notes(improv.rig.sent).items()
               if instrument.endswith(KEYS))


@pytest.mark.parametrize("bars", [1, 2, 4, 8])
def test_turns_alternate_on_the_bar_lines(improv_rig, models, bars):
    improv = trading_rig(improv_rig, models, trade_bars=bars)
    turn = bars * 16
    for start in range(0, 6 * turn, 2 * turn):  # the pianist's turns: 0, 2, 4
        play_phrase(improv, start, bars=1)
    improv.rig.advance_to_step(6 * turn)
    onsets = machine_onsets(improv)
    assert onsets, "the machine played"
    assert all(trade_turn(s, 0, bars, 16).machine for s in onsets)
    turns = {trade_turn(s, 0, bars, 16).index for s in onsets}
    assert turns == {1, 3, 5}
    stats = improv.feature.trader.stats
    assert stats.played == 3 and stats.skipped == 0
    assert all(margin > 0 for margin in stats.margins)


def test_the_status_counts_the_bars_left_in_each_turn(improv_rig, models):
    improv = trading_rig(improv_rig, models, trade_bars=2)
    seen = []
    for bar in range(5):
        improv.rig.advance_to_step(bar * 16 + 8)
        seen.append(improv.rig.looper.snapshot().extras["improv"].split(" | ")[0])
    assert seen == ["trade: pianist 2 bars left", "trade: pianist 1 bar left",
                    "trade: machine 2 bars left", "trade: machine 1 bar left",
                    "trade: pianist 2 bars left"]


def test_turns_run_on_across_loop_wraps_and_a_tempo_change(improv_rig, models):
    improv = trading_rig(improv_rig, models, trade_bars=3)  # the loop has 4 bars
    play_phrase(improv, 0, bars=2)
    improv.rig.looper.set_qpm(150)
    improv.rig.advance_to_step(6 * 16 * 3)
    turns = {trade_turn(s, 0, 3, 16).index for s in machine_onsets(improv)}
    assert turns == {1, 3, 5}  # steps 48..95 cross the loop start at 64


def test_the_machine_swings_with_the_loop(improv_rig, models):
    improv = trading_rig(improv_rig, models, trade_bars=1)
    improv.feature.trader.draw = lambda ask: [  # eighths
        PhraseNote(ask.first + s, 60 + s, 80, 2) for s in range(0, ask.steps, 2)]
    improv.rig.looper.set_swing(2 / 3)  # from the next loop start (step 64)
    improv.rig.advance_to_step(100)
    schedule = improv.rig.looper.schedule
    tags = [at for at, address, _ in improv.machine_sent if address.startswith("/play")][-8:]
    assert tags == pytest.approx([schedule.time_of(s) for s in range(80, 96, 2)])
    long, short = tags[1] - tags[0], tags[2] - tags[1]
    assert long == pytest.approx(2 * short)  # its eighths swing, 2:1


def test_a_late_phrase_is_skipped_whole_and_counted(improv_rig, models):
    improv = trading_rig(improv_rig, models, trade_bars=1)
    trader = improv.feature.trader
    trader.worker = Worker("late", inline=False)
    gate = threading.Event()
    drawn = trader.draw
    trader.draw = lambda ask: (gate.wait(10), drawn(ask))[1]
    play_phrase(improv, 0)
    improv.rig.advance_to_step(20)  # the phrase for step 16 is not ready
    gate.set()
    assert trader.worker.wait_idle(10)
    improv.rig.advance_to_step(32)
    assert trader.stats.skipped == 1 and trader.stats.played == 0
    assert machine_onsets(improv) == []
    assert "skipped 1" in improv.rig.looper.snapshot().extras["improv"]
    trader.worker.close()


def test_yield_ends_the_machine_at_the_pianists_melody(improv_rig, models):
    improv = trading_rig(improv_rig, models, trade_bars=2)
    play_phrase(improv, 0)
    improv.rig.advance_to_step(40)
    improv.rig.note_on(36, 80)  # the left hand passes through: the machine plays on
    assert improv.feature.trader.stats.yielded == 0
    before = len(machine_onsets(improv))
    improv.rig.note_on(72, 90)  # the melody: the machine yields
    held = {pitch for (instrument, pitch) in unmatched_notes(improv.rig.sent)
            if instrument.endswith(KEYS)}
    assert held == {36, 72}  # the machine's voices stopped before the key sounded
    improv.rig.advance_to_step(64)
    assert improv.feature.trader.stats.yielded == 1
    assert len(machine_onsets(improv)) == before  # nothing after the key
    assert "trade: pianist" in improv.rig.looper.snapshot().extras["improv"]
    improv.rig.note_off(72)
    improv.rig.note_off(36)
    assert keys_hanging(improv) == 0


def test_both_lets_the_machine_play_on(improv_rig, models):
    improv = trading_rig(improv_rig, models, trade_bars=2, overlap="both")
    play_phrase(improv, 0)
    improv.rig.advance_to_step(40)
    improv.rig.note_on(72, 90)
    improv.rig.advance_to_step(64)
    improv.rig.note_off(72)
    assert improv.feature.trader.stats.yielded == 0
    assert any(s > 40 for s in machine_onsets(improv))
    improv.rig.advance_to_step(70)
    assert keys_hanging(improv) == 0


@pytest.mark.parametrize("how", ["stop", "panic", "mode", "song"])
def test_nothing_is_left_sounding_when_the_machines_turn_is_cut(improv_rig, models, how):
    improv = trading_rig(improv_rig, models, trade_bars=2)
    play_phrase(improv, 0)
    improv.rig.advance_to_step(38.5)
    feature, looper = improv.feature, improv.rig.looper
    if how == "stop":
        looper.stop()
    elif how == "panic":
        looper.panic()
    elif how == "mode":
        feature.set_mode("respond")
    else:
        feature.apply(ImprovOptions(mode="trade", trade_bars=2, changes="Ebmaj7 |"), "", "song")
    cut = improv.rig.now
    improv.rig.advance_to_step(70)
    assert keys_hanging(improv) == 0
    later = [at for at, address, _ in improv.machine_sent
             if address.startswith("/play") and at > cut + looper.lookahead + 0.01]
    assert later == [] or how == "song"  # a song's trade goes on from its next turn
    if how == "song":
        assert all(s >= 96 for s in machine_onsets(improv) if s >= 40)


def test_same_seed_same_music(improv_rig, models):
    runs = []
    for _ in range(2):
        improv = trading_rig(improv_rig, models, trade_bars=1)
        play_phrase(improv, 0)
        play_phrase(improv, 32)
        improv.rig.advance_to_step(64)
        runs.append(improv.feature.trader.stats.phrases)
    assert runs[0] and runs[0] == runs[1]


def test_continue_starts_after_the_breath_and_stops_on_the_next_key(improv_rig, models):
    improv = trading_rig(improv_rig, models, mode="continue", continue_steps=8, trade_bars=1)
    play_phrase(improv, 0)  # the last key is released at step 15
    improv.rig.advance_to_step(34)
    assert "continue: machine" in improv.rig.looper.snapshot().extras["improv"]
    improv.rig.advance_to_step(52)  # a second phrase follows the first while it is quiet
    onsets = machine_onsets(improv)
    assert min(onsets) >= 15 + 8 and max(onsets) >= 43
    improv.rig.note_on(70, 90)
    cut = improv.rig.now
    improv.rig.advance_to_step(44)
    improv.rig.note_off(70)
    later = [at for at, address, _ in improv.machine_sent
             if address.startswith("/play") and at > cut + improv.rig.looper.lookahead]
    assert later == [] and keys_hanging(improv) == 0
    assert improv.feature.trader.stats.yielded == 1


def test_the_mode_action_and_bad_values():
    with pytest.raises(OptionsError, match="trade_bars"):
        ImprovOptions(trade_bars=0)
    with pytest.raises(OptionsError, match="mode"):
        ImprovOptions(mode="solo")  # type: ignore[arg-type]
    assert ImprovOptions(mode="trade").mode is ImprovMode.TRADE  # type: ignore[arg-type]


def test_respond_is_the_default_and_machine_phrases_need_trade(improv_rig):
    improv = improv_rig()
    improv.start()
    assert improv.feature.options.mode is ImprovMode.RESPOND
    improv.rig.advance_to_step(80)
    assert improv.feature.trader.stats.played == 0
    with pytest.raises(ValueError, match="improv_mode"):
        improv.feature.set_mode("solo")


def test_events_become_notes_with_metric_accents():
    notes = notes_of([60, NO_EVENT, NOTE_OFF, 62, 64, NO_EVENT], 16)
    assert notes == [PhraseNote(16, 60, 100, 2), PhraseNote(19, 62, 70, 1),
                     PhraseNote(20, 64, 84, 2)]
    assert velocity_at(24) == 92 and velocity_at(18) == 70


def test_the_mode_is_set_on_the_command_line_and_bad_values_exit_2(capsys):
    from psc_looper.cli import build_parser, main
    from psc_looper.commands import run as run_command

    args = build_parser().parse_args(["run", "--no-models", "--set", "improv.mode=trade",
                                      "--set", "improv.trade_bars=8"])
    improv = run_command.config_from(args).improv
    assert improv.mode is ImprovMode.TRADE and improv.trade_bars == 8
    for bad in ("improv.trade_bars=0", "improv.mode=solo"):
        assert main(["run", "--no-models", "--set", bad, "--no-sc", "--status", "off"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and bad.split("=")[0].split(".")[1] in err


def test_hammering_through_the_machines_turns_leaves_nothing_sounding(improv_rig, models):
    import random

    improv = trading_rig(improv_rig, models, trade_bars=1)
    chance = random.Random(3)
    down: set[int] = set()
    step = 0.0
    while step < 16 * 12:
        step += chance.choice((0.25, 0.5, 1, 3))
        improv.rig.advance_to_step(step)
        key = chance.choice((36, 48, 60, 64, 67, 72, 76))
        if key in down:
            improv.rig.note_off(key)
            down.discard(key)
        else:
            improv.rig.note_on(key, 90)
            down.add(key)
        if chance.random() < 0.03:
            improv.feature.set_mode(chance.choice(("trade", "continue", "respond")))
    for key in down:
        improv.rig.note_off(key)
    improv.rig.advance_to_step(step + 40)
    improv.rig.looper.stop()
    stats = improv.feature.trader.stats
    assert stats.played > 3 and stats.yielded > 0
    assert keys_hanging(improv) == 0 and improv.rig.looper.snapshot().sounding == 0


def test_the_chord_weight_chooses_pitches_not_how_often_a_note_starts():
    from psc_looper.harmony.chords import parse_chord
    from psc_looper.improv.follower_process import load_stepper
    from psc_looper.improv.phrases import pitch_weighted
    from psc_looper.inference.configs import IMPROV_RNN

    stepper = load_stepper(str(DEFAULT_IMPROV_BUNDLE), IMPROV_RNN).copy()
    chord = parse_chord("G7")
    stepper.start([67, NO_EVENT, 71, NO_EVENT], [chord] * 4)
    plain, weighted = pitch_weighted(stepper, chord, 1.0), pitch_weighted(stepper, chord, 3.0)
    onsets = [e >= 0 for e in stepper.events()]
    tones = [e >= 0 and e % 12 in chord.pitch_classes for e in stepper.events()]
    assert weighted[onsets].sum() == pytest.approx(plain[onsets].sum())
    assert weighted[tones].sum() > plain[tones].sum()
