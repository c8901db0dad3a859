"""Follower mode end to end on the shipped models (MelodyRNN and ImprovRNN, stepped by the
NumPy engine, inline on the virtual clock): each machine pitch is drawn over the chord
sounding at its key's step (chart, loop wrap, tempo change and a chart switch mid-turn),
a model not ready gives a counted fallback and the key never waits, the same seed gives
the same music, and a continuous line gets a turn."""

from __future__ import annotations

import pytest

from psc_looper.harmony.chart import parse_chart
from psc_looper.improv import Phase
from psc_looper.improv.follower import Follower
from psc_looper.improv.streaming import Streaming
from psc_looper.looper.recording import quantize
from tests.helpers import unmatched_notes
from tests.improv.conftest import run_of

pytestmark = pytest.mark.slow
CHART, SWITCHED = "Dm7 G7 | Cmaj7 |", "Ebmaj7 | Ab7 Db7 |"
KEYS = [(48 + 2 * i, 60 + i % 3, 1) for i in range(12)]  # the machine's turn: steps 48..70


@pytest.fixture
def draws(monkeypatch):
    """Every pitch the follower draws: (step, chord it was drawn over), in order."""
    seen = []
    original = Follower._draw

    def spy(self, stepper, step, previous):
        seen.append((step, self._chord_at(step)))
        return original(self, stepper, step, previous)

    monkeypatch.setattr(Follower, "_draw", spy)
    return seen


def follower_rig(improv_rig, models, **options):
    melody, improv = models
    return improv_rig(melody, chord_model=improv, follower=True, **options)


def chart_chord(text, origin, step):
    return parse_chart(text).chord_at((step - origin) / 4, 4)


def test_each_pitch_is_drawn_over_the_chord_at_its_step(improv_rig, models, draws):
    improv = follower_rig(improv_rig, models, changes=CHART)
    improv.start()
    improv.play(run_of(20))
    improv.play(KEYS[:6])
    improv.rig.looper.set_qpm(84)  # slower mid-turn: steps keep their chords
    improv.play(KEYS[6:])
    machine = improv.machine()
    assert len(machine) == 12 and improv.feature.phase is Phase.LEADING
    assert improv.feature._streaming.fallbacks == {}
    drawn_steps = {step for step, _ in draws}
    assert {quantize(onset) for onset, _, _ in KEYS} <= drawn_steps
    assert draws and all(chord == chart_chord(CHART, 0, step) for step, chord in draws)
    assert max(drawn_steps) > 64  # across the loop's wrap (4 bars)
    assert not unmatched_notes(improv.live())


def test_a_chart_switched_mid_turn_is_heard_from_then_on(improv_rig, models, draws):
    improv = follower_rig(improv_rig, models, changes=CHART)
    improv.start()
    improv.play(run_of(20))
    improv.play(KEYS[:3])
    before = len(draws)
    assert improv.feature.set_changes(SWITCHED)  # (the options' chart returns at the wrap)
    origin = improv.feature._changes.origin
    improv.play(KEYS[3:7])  # steps 54..60: before the loop wraps
    after = draws[before:]
    assert after and all(chord == chart_chord(SWITCHED, origin, step) for step, chord in after)
    assert any(chord != chart_chord(CHART, 0, step) for step, chord in after)
    assert len(improv.machine()) == 7


def test_a_model_not_ready_gives_the_key_itself_and_counts_it(improv_rig, models, monkeypatch):
    monkeypatch.setattr(Streaming, "sync", lambda self, step: None)  # never primed
    improv = follower_rig(improv_rig, models, changes=CHART)
    improv.start()
    improv.play(run_of(20))
    improv.play(KEYS)
    assert improv.machine() == [key for _, key, _ in KEYS]
    assert improv.feature._streaming.fallbacks == {"unprimed": 12}


def test_same_seed_same_music(improv_rig, models):
    def turn():
        improv = follower_rig(improv_rig, models, changes=CHART)
        improv.start()
        improv.play(run_of(20))
        improv.play(KEYS)
        return improv.machine()

    first = turn()
    assert first and first == turn()


def test_a_continuous_line_gets_a_turn_after_enough_bars(improv_rig, models):
    legato = [(float(step), 60 + step % 12, 1.0) for step in range(120)]  # never a rest
    for bars, leads in ((2, True), (0, False)):
        improv = follower_rig(improv_rig, models, changes=CHART, through_bars=bars)
        improv.start()
        improv.play(legato)
        assert bool(improv.machine()) is leads, bars
        if leads:
            first = len(improv.pianist())  # the machine came in at a bar line
            assert first % 16 == 0 and first >= 20
    assert improv.feature.phase is not Phase.LEADING
