"""Trading heard through real SuperCollider: the machine's own phrase sounds in its turn,
on the loop's step grid (time-tagged like the loop's notes)."""

from __future__ import annotations

import time
from pathlib import Path

from psc_looper.bundles import DEFAULT_MELODY_BUNDLE
from psc_looper.improv.options import ImprovOptions
from psc_looper.looper.notes import Mode
from psc_looper.sc.testing import LiveBridge
from tests.e2e.conftest import MakeBackend
from tests.e2e.sound import (
    IMPROV,
    MUTE_CLICK,
    ONE_BAR,
    PLAY,
    STOP,
    TOLERANCE,
    press,
    sleep_until,
    step_wall,
    wait_until,
)


def test_a_traded_phrase_sounds_in_the_machines_turn(
        live_bridge: LiveBridge, make_backend: MakeBackend, tmp_path: Path) -> None:
    options = ImprovOptions(mode="trade", trade_bars=1)  # type: ignore[arg-type]
    app = make_backend(structure=ONE_BAR, melody_bundle=DEFAULT_MELODY_BUNDLE,
                       isolate_models=False, seed=7, improv=options)
    trader = app.improv.trader
    trader.warm_up()  # the models' process has loaded (it starts with the backend)
    press(live_bridge, PLAY)
    press(live_bridge, MUTE_CLICK)
    press(live_bridge, IMPROV)
    wait_until(lambda: app.looper.mode is Mode.IMPROV, "improv mode")
    wait_until(lambda: trader._origin is not None, "trading counts its turns")
    origin = trader._origin
    assert origin is not None
    turn = origin
    while step_wall(app, turn) < time.time() + 0.1:
        turn += 32  # the next pianist's turn
    sleep_until(step_wall(app, turn))
    for key in (64, 67, 69, 72):
        live_bridge.sim_note_on(key, 90)
        time.sleep(0.15)
        live_bridge.sim_note_off(key)
        time.sleep(0.1)
    wav = tmp_path / "trade.wav"
    start = live_bridge.record_from(wav, lead=0.3)
    wait_until(lambda: trader.stats.played + trader.stats.skipped >= 1, "the phrase ready")
    sleep_until(step_wall(app, turn + 32) + 0.2)
    live_bridge.stop_recording()
    press(live_bridge, STOP)

    assert trader.stats.skipped == 0 and trader.stats.margins[0] > 0
    phrase = trader.stats.phrases[0]
    assert phrase and all(turn + 16 <= n.step < turn + 32 for n in phrase)
    due = [step_wall(app, n.step) for n in phrase]
    onsets = [start + t for t in live_bridge.onsets(wav)]
    assert onsets, "the machine's phrase sounded"
    assert all(min(abs(o - d) for d in due) <= TOLERANCE for o in onsets), (onsets, due)
    assert all(o >= step_wall(app, turn + 16) - TOLERANCE for o in onsets)  # in its turn
