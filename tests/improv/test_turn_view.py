"""``ImprovFeature.turn()``: whose turn it is and the bars left, as a stage view reads it."""

from __future__ import annotations

from tests.improv.test_trading import trading_rig


def test_the_turn_follows_the_trades_bar_by_bar(improv_rig, models):
    improv = trading_rig(improv_rig, models, trade_bars=2)
    seen, said = [], []
    for bar in range(5):
        improv.rig.advance_to_step(bar * 16 + 8)
        seen.append(improv.feature.turn())
        said.append(improv.rig.looper.snapshot().extras["improv"].split(" | ")[0])
    assert [(t.who, t.bars_left, t.mode) for t in seen] == [
        ("pianist", 2, "trade"), ("pianist", 1, "trade"), ("machine", 2, "trade"),
        ("machine", 1, "trade"), ("pianist", 2, "trade")]
    assert said[2] == "trade: machine 2 bars left"  # the status line says the same


def test_in_respond_mode_the_phase_says_whose_turn_it_is(improv_rig):
    improv = improv_rig()
    improv.start()
    assert improv.feature.turn() == ("pianist", None, "respond", False)
    improv.rig.backend.actions.run("improv_hold", "toggle", 127)
    assert improv.feature.turn().held
