"""Trading through the live path: a real backend on the real clock with the shipped models
in their processes (the phrases drawn in the models' child process), the real bridge
(jackd + scsynth + sclang, simulated MIDI in, as the e2e tests run it), the recorder
attached. Single bars are traded over a chart; in the pianist's turns a line of eighths,
in each machine turn one melody key somewhere in its middle (a yield).

Figures: the phrases' ready lead (seconds from a phrase being ready to its first step
being sent; p5 and min), phrases played and skipped; from the session file
(``sessions/yields.py``), the time from each yielding key to the last note-off of the
machine's notes sounding then (p50, p95, max), and to that of its notes sent ahead and
cut (they stop at their onset, within the lookahead).
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.stats import summary
from psc_looper.app import Backend, BackendConfig
from psc_looper.bundles import DEFAULT_IMPROV_BUNDLE, DEFAULT_MELODY_BUNDLE
from psc_looper.improv.modes import trade_turn
from psc_looper.improv.options import ImprovOptions
from psc_looper.improv.trading import Trader
from psc_looper.looper.machine import PhraseNote
from psc_looper.looper.notes import Mode
from psc_looper.sc.testing import LiveBridge, running_bridge
from psc_looper.sessions.reader import read_session
from psc_looper.sessions.recorder import Recorder
from psc_looper.sessions.yields import yields
from psc_looper.timing.meter import LoopStructure

CHART = "Dm7 G7 | Cmaj7 | Fmaj7 | Bm7b5 E7 |"
SPLIT = 60  # keys from here are the melody
AT_ONCE = 0.005  # the target: the machine silent this soon after the key
LINE = (64, 67, 69, 72, 71, 69, 67, 65)


def live_runs(qpms: tuple[int, ...], turns: int) -> dict[int, dict[str, float]]:
    """One live run per tempo (``turns`` machine turns each) on one bridge."""
    with tempfile.TemporaryDirectory() as tmp, running_bridge(Path(tmp)) as live:
        return {qpm: run(live, qpm, turns, Path(tmp) / f"trade-{qpm}.mid") for qpm in qpms}


def run(live: LiveBridge, qpm: int, turns: int, session: Path) -> dict[str, float]:
    live.panic()
    time.sleep(0.2)
    options = ImprovOptions(mode="trade", trade_bars=1, changes=CHART,  # type: ignore[arg-type]
                            split=str(SPLIT))
    app = Backend(BackendConfig(
        listen_port=live.backend_port, bridge_port=live.process.port, qpm=qpm,
        structure=LoopStructure(bars=4), melody_bundle=DEFAULT_MELODY_BUNDLE,
        improv_bundle=DEFAULT_IMPROV_BUNDLE, seed=11, improv=options))
    app.attach(Recorder(session))
    app.start()
    assert app.improv is not None
    trader, looper = app.improv.trader, app.looper
    chance = random.Random(qpm)
    try:
        trader.warm_up()  # the models' process has loaded (a first turn right at launch
        # would wait for it: skipped, counted)
        looper.play()  # the controls straight to the looper; the keys through the bridge
        looper.set_mode(Mode.IMPROV)
        deadline = time.monotonic() + 10
        while looper.chart is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if looper.chart is None:
            raise RuntimeError("the chart was not heard in 10 s")
        origin = looper.chart[1]

        def wall(step: float) -> float:
            return app.clock.to_wall(looper.schedule.time_of(step))

        step = looper.schedule.step_at(app.clock.now())
        turn = trade_turn(int(step) + 16, origin, 1, 16)  # a bar from now at the least
        first = turn.start + (16 if turn.machine else 0)
        eighth = 2 * 60 / qpm / 4
        for k in range(turns):
            pianist = first + 32 * k
            for i, key in enumerate(LINE):  # the pianist's bar: eighths
                _sleep_until(wall(pianist + 2 * i))
                live.sim_note_on(key, 90)
                time.sleep(eighth * 0.6)
                live.sim_note_off(key)
            while time.time() < wall(pianist + 18) and not _phrase_from(trader, pianist + 16):
                time.sleep(0.005)  # its phrase: the key goes into one of its notes
            inside = [n.step + n.duration / 2 for n in _phrase_from(trader, pianist + 16)
                      if pianist + 18 <= n.step < pianist + 30]
            _sleep_until(wall(chance.choice(inside) if inside else pianist + 24))
            live.sim_note_on(76, 100)  # the melody: the machine yields
            time.sleep(eighth)
            live.sim_note_off(76)
        _sleep_until(wall(first + 32 * turns + 4))
        looper.stop()
        time.sleep(0.5)
    finally:
        app.close()
    stats = trader.stats
    found = yields(read_session(session), looper.lookahead, lambda pitch: pitch >= SPLIT)
    sounding = summary([y.sounding for y in found])
    at_once = sum(y.sounding <= AT_ONCE for y in found)
    ahead = [y.ahead for y in found if y.ahead is not None]
    margins = np.array(stats.margins) * 1000 if stats.margins else np.array([np.nan])
    return {"lead p5": float(np.percentile(margins, 5)), "lead min": margins.min(),
            "played": float(stats.played), "skipped": float(stats.skipped),
            "yields": float(len(found)), "in 5 ms": float(at_once),
            "yield p50": sounding["p50"], "yield p95": sounding["p95"],
            "yield max": sounding["max"],
            "cut ahead": float(len(ahead)),
            "ahead max": max(ahead) * 1000 if ahead else float("nan")}


def _phrase_from(trader: Trader, first: int) -> list[PhraseNote]:
    """The last phrase played if it starts at ``first`` or later, else none."""
    phrases = trader.stats.phrases
    return phrases[-1] if phrases and phrases[-1][0].step >= first else []


def _sleep_until(wall: float) -> None:
    time.sleep(max(0.0, wall - time.time()))
