"""Trade turns aligned to the form: counted from the chart's bar 1 when a chart is known
(from the loop start where a song's chart is heard), else from the loop start where
trading began or the last song switch; on the virtual clock, across loop wraps, a tempo
change and a song switch."""

from __future__ import annotations

import pytest

from psc_looper.improv.modes import trade_turn
from psc_looper.improv.options import ImprovOptions
from psc_looper.looper.switch import LoopSettings
from psc_looper.sessions.format import TURN_MARKER
from psc_looper.sessions.reader import read_session
from psc_looper.sessions.recorder import Recorder
from psc_looper.timing.meter import LoopStructure
from tests.improv.test_trading import machine_onsets, play_phrase, trading_rig

BLUES = "F7 | Bb7 | F7 | F7 | Bb7 | Bb7 | F7 | D7 | Gm7 | C7 | F7 D7 | Gm7 C7 |"
SWITCH = 64  # the first loop start after the switch is staged (the chart has 4 bars)


def switch_song(improv, bars: int, chart: str, loop_bars: int) -> None:
    """A song switch staged now: ``loop_bars`` bars, ``chart`` from the next loop start."""
    improv.rig.looper.switch_at_loop_start(LoopSettings(
        name="next song", structure=LoopStructure(bars=loop_bars), release=False))
    improv.feature.apply(ImprovOptions(mode="trade", trade_bars=bars, changes=chart),
                         chart, "song")


def machine_turns(improv, origin: int, bars: int) -> set[int]:
    onsets = [s for s in machine_onsets(improv) if s >= origin]
    assert all(trade_turn(s, origin, bars, 16).machine for s in onsets), onsets
    return {trade_turn(s, origin, bars, 16).index for s in onsets}


@pytest.mark.parametrize("bars", [2, 4, 8])
def test_turns_count_from_the_charts_bar_one_after_a_song_switch(improv_rig, models, bars):
    improv = trading_rig(improv_rig, models, trade_bars=bars)
    improv.rig.advance_to_step(40)
    switch_song(improv, bars, BLUES, 12)  # bar 1 of the blues at step 64
    turn = bars * 16
    improv.rig.looper.set_qpm(150)  # a tempo change: the turns stay on their steps
    for k in range(0, 6, 2):  # the pianist's turns from the chart's bar 1
        play_phrase(improv, SWITCH + k * turn)
    improv.rig.advance_to_step(SWITCH + 6 * turn)  # past loop wraps (12 bars)
    assert machine_turns(improv, SWITCH, bars) == {1, 3, 5}
    assert improv.feature.trader.stats.skipped == 0


def test_turns_run_on_across_choruses_of_the_chart(improv_rig, models):
    """Fours over a 12-bar blues: pianist, machine, pianist | machine, pianist, machine."""
    improv = trading_rig(improv_rig, models, trade_bars=4)
    improv.rig.advance_to_step(40)
    switch_song(improv, 4, BLUES, 12)
    for k in (0, 2, 4):
        play_phrase(improv, SWITCH + k * 64)
    improv.rig.advance_to_step(SWITCH + 6 * 64)
    chorus = 12 * 16
    onsets = [s - SWITCH for s in machine_onsets(improv) if s >= SWITCH]
    bars_of_chorus = {(s % chorus) // 16 // 4 for s in onsets}  # 0: bars 1-4, 1: 5-8 ...
    assert {(s // chorus, (s % chorus) // 64) for s in onsets} == {(0, 1), (1, 0), (1, 2)}
    assert bars_of_chorus == {0, 1, 2}


def test_a_chart_set_later_moves_the_turns_to_its_bar_one(improv_rig, models):
    """A chart heard from the second loop start (step 64) of trading without a chart:
    the turns count from there, not from step 0."""
    improv = trading_rig(improv_rig, models, trade_bars=8, changes="")
    improv.rig.advance_to_step(40)
    improv.feature.apply(ImprovOptions(mode="trade", trade_bars=8), BLUES, "song")
    improv.rig.looper.switch_at_loop_start(LoopSettings(
        name="blues", structure=LoopStructure(bars=12), release=False))
    play_phrase(improv, 64)
    improv.rig.advance_to_step(64 + 2 * 128)
    assert machine_turns(improv, 64, 8) == {1}


def test_without_a_chart_a_song_switch_counts_from_its_loop_start(improv_rig, models):
    improv = trading_rig(improv_rig, models, trade_bars=2, changes="")  # a loop of 2 bars
    play_phrase(improv, 0)
    improv.rig.advance_to_step(56)  # the machine's turn (32..63) is cut by the switch
    improv.rig.looper.switch_at_loop_start(LoopSettings(
        name="three bars", structure=LoopStructure(bars=3), release=False))
    improv.feature.apply(ImprovOptions(mode="trade", trade_bars=2), "", "song")
    play_phrase(improv, 64)
    improv.rig.advance_to_step(64 + 4 * 32)
    assert machine_turns(improv, 64, 2) == {1, 3}
    assert not [s for s in machine_onsets(improv) if 56 < s < 96]


def test_the_recorder_marks_whose_turn_it_is(tmp_path, improv_rig, models):
    improv = trading_rig(improv_rig, models, trade_bars=1)
    recorder = improv.rig.backend.attach(Recorder(tmp_path / "trade.mid"))
    play_phrase(improv, 0)
    improv.rig.advance_to_step(20)
    improv.rig.note_on(72, 90)  # the pianist takes the machine's turn back (yield)
    improv.rig.note_off(72)
    improv.rig.advance_to_step(56)
    improv.feature.set_mode("respond")
    improv.rig.advance_to_step(70)
    recorder.close()
    session = read_session(tmp_path / "trade.mid")
    step = session.ticks_per_beat // 4
    marks = [(round(tick / step), text.removeprefix(TURN_MARKER))
             for tick, text in session.markers if text.startswith(TURN_MARKER)]
    first = marks[0][0]  # the session's step 0
    assert [(s - first, w) for s, w in marks] == [  # the yield gives the turn back at once
        (0, "pianist"), (16, "machine"), (21, "pianist"), (48, "machine"), (57, "-")]
