"""Trading heard through real SuperCollider, recorded through the live path (real clock,
the recorder attached): keys hammered through the machine's turns, with mode changes, a
panic and a song switch, leave no note sounding, neither in the session file nor in the
server; the session file holds the yields (``sessions/yields.py``)."""

from __future__ import annotations

import random
import time
from dataclasses import replace as dataclass_replace
from pathlib import Path

from psc_looper.app import Backend, BackendConfig
from psc_looper.bundles import DEFAULT_IMPROV_BUNDLE, DEFAULT_MELODY_BUNDLE
from psc_looper.improv.options import ImprovOptions
from psc_looper.looper.notes import Mode
from psc_looper.looper.switch import LoopSettings
from psc_looper.sc.testing import LiveBridge
from psc_looper.sessions.audit import unmatched_notes
from psc_looper.sessions.reader import read_session
from psc_looper.sessions.recorder import Recorder
from psc_looper.sessions.yields import yields
from psc_looper.timing.meter import LoopStructure
from tests.e2e.conftest import LOOKAHEAD
from tests.e2e.sound import IMPROV, MUTE_CLICK, PLAY, STOP, press, wait_until

CHART, OTHER = "Dm7 G7 | Cmaj7 |", "F7 | Bb7 |"
MELODY, LEFT = range(64, 86), range(36, 50)  # the hands split at 60


def trading_backend(live: LiveBridge, session: Path) -> Backend:
    """A backend with the shipped models in their processes, trading single bars at 200
    qpm, recording ``session``."""
    live.panic()
    time.sleep(0.2)
    options = ImprovOptions(mode="trade", trade_bars=1, changes=CHART,  # type: ignore[arg-type]
                            split="60")
    app = Backend(BackendConfig(
        listen_port=live.backend_port, bridge_port=live.process.port, lookahead=LOOKAHEAD,
        qpm=200, structure=LoopStructure(bars=2), melody_bundle=DEFAULT_MELODY_BUNDLE,
        improv_bundle=DEFAULT_IMPROV_BUNDLE, seed=7, improv=options))
    app.attach(Recorder(session))
    app.start()
    return app


def test_hammering_through_the_machines_turns_leaves_nothing_sounding(
        live_bridge: LiveBridge, tmp_path: Path) -> None:
    session = tmp_path / "hammer.mid"
    app = trading_backend(live_bridge, session)
    chance = random.Random(5)
    down: set[int] = set()
    try:
        press(live_bridge, PLAY)
        press(live_bridge, MUTE_CLICK)
        press(live_bridge, IMPROV)
        wait_until(lambda: app.looper.mode is Mode.IMPROV, "improv mode")
        assert app.improv is not None
        trader = app.improv.trader
        wait_until(lambda: trader.stats.played >= 1, "the machine's first phrase", 30)
        cuts = iter([("mode", "continue"), ("panic", ""), ("mode", "trade"), ("song", OTHER),
                     ("mode", "respond"), ("mode", "trade")])
        end = time.monotonic() + 14
        next_cut = time.monotonic() + 2
        while time.monotonic() < end:
            key = chance.choice(MELODY if chance.random() < 0.7 else LEFT)
            if key in down:
                live_bridge.sim_note_off(key)
                down.discard(key)
            else:
                live_bridge.sim_note_on(key, chance.randint(60, 110))
                down.add(key)
            time.sleep(chance.choice((0.01, 0.03, 0.08, 0.2, 0.5)))
            if time.monotonic() >= next_cut:
                next_cut += 2
                what, argument = next(cuts, ("", ""))
                if what == "mode":
                    app.improv.set_mode(argument)
                elif what == "panic":
                    app.looper.panic()
                elif what == "song":
                    app.looper.switch_at_loop_start(LoopSettings(name="other", release=False))
                    app.improv.apply(dataclass_replace(app.improv.options, changes=argument),
                                     argument, "song")
        for key in down:
            live_bridge.sim_note_off(key)
        time.sleep(0.5)
        press(live_bridge, STOP)
        wait_until(lambda: not app.looper.snapshot().playing, "stopped")
        time.sleep(0.5)
        voices = live_bridge.status()["voices"]
        stats = trader.stats
    finally:
        app.close()
    assert voices == 0  # nothing sounds in the server
    assert not unmatched_notes(session)  # every note-on in the session file has its note-off
    recorded = read_session(session)
    machine = [n for n in recorded.notes if n.track == "machine"]
    assert stats.played >= 3 and machine
    assert stats.yielded >= 1 and yields(recorded, LOOKAHEAD, lambda p: p in MELODY)
