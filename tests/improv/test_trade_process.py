"""Live, the machine's traded phrases are drawn in the models' child process (the one the
follower steps in): the same phrase as drawn inline for the same seed, ready ahead of its
first step; one not ready in time is skipped whole and counted."""

from __future__ import annotations

import pytest

from psc_looper.bundles import DEFAULT_IMPROV_BUNDLE
from psc_looper.harmony.chart import parse_chart
from psc_looper.improv.changes import Changes
from psc_looper.improv.follower_process import FollowerProcess, load_stepper
from psc_looper.improv.phrases import draw_phrase
from psc_looper.inference.configs import IMPROV_RNN
from tests.improv.test_trading import machine_onsets, play_phrase, trading_rig

pytestmark = pytest.mark.slow
PLAYED = [(0.0, 1.5, 72), (2.0, 3.0, 69), (4.0, 6.0, 65)]


def test_the_process_draws_the_phrase_this_one_draws():
    import numpy as np

    chords = Changes(chart=parse_chart("Dm7 G7 | Cmaj7 |")).span(0, 16 + 32)
    bundle = str(DEFAULT_IMPROV_BUNDLE)
    here = draw_phrase(load_stepper(bundle, IMPROV_RNN).copy(), PLAYED, chords, 16, 32,
                       np.random.default_rng(5), 2.25)
    child = FollowerProcess([(bundle, IMPROV_RNN)])
    try:
        there = child.draw(bundle, IMPROV_RNN, PLAYED, chords, 16, 32, 5, 2.25)
    finally:
        child.close()
    assert there == here and here


def phrases_of(improv_rig, models, inline: bool, follower: bool = True) -> list:
    improv = trading_rig(improv_rig, models, trade_bars=1, inline=inline, follower=follower)
    trader = improv.feature.trader
    play_phrase(improv, 0)
    improv.rig.advance_to_step(12)  # the phrase for step 16 is asked
    assert trader.worker.wait_idle(60)
    improv.rig.advance_to_step(44)  # and the next one's
    assert trader.worker.wait_idle(60)
    improv.rig.advance_to_step(64)
    assert trader.stats.skipped == 0 and trader.stats.played == 2
    assert all(16 <= s < 32 or 48 <= s < 64 for s in machine_onsets(improv))
    if not inline:
        assert trader.process is not None and improv.feature._process is not None
    return trader.stats.phrases


@pytest.mark.parametrize("follower", [True, False])  # False: the trader starts the process
def test_live_the_trader_draws_in_the_models_process_the_same_music(improv_rig, models,
                                                                    follower):
    assert phrases_of(improv_rig, models, inline=False, follower=follower) == \
        phrases_of(improv_rig, models, inline=True)
