"""The stage state carries the band's state and the audio line, from the same snapshot as
the terminal's lines (``Snapshot.facts``), and lights the audio line when xruns grow."""

from __future__ import annotations

import json
import time

from psc_looper.commands.bridge import watch_audio
from psc_looper.rig import VirtualRig
from psc_looper.stage import StageFeature, StageServer
from psc_looper.stage.state import XRUN_ALERT_SECONDS, XrunAlert, mark_xruns, stage_state
from tests.band.test_chorus import LOOP, HeldWorker
from tests.band.test_feature import band_rig, rigs  # noqa: F401
from tests.devices.test_period import FakeBridge

CACHE_SECONDS = 0.06  # a little over the state cache's interval (20 builds a second)


def test_the_band_off_on_held_and_late_as_the_terminal_says(rigs):  # noqa: F811
    rig = band_rig(rigs, bars=12)
    band = stage_state(rig.looper.snapshot())["band"]
    assert band == {"on": False, "style": "swing", "held": False, "choruses": 0, "late": 0,
                    "chart_bars": None}
    worker = HeldWorker()
    rig.backend.band._worker = worker  # type: ignore[assignment]
    assert rig.backend.press("band_on")  # as the page's button does
    rig.looper.play()
    rig.advance_to_step(1)
    worker.run()  # loop 1's chorus in time
    rig.advance_to_step(2 * LOOP + 1)  # loop 2's never came: late, loop 1's played again
    assert rig.backend.press("band_hold")
    snap = rig.looper.snapshot()
    band = stage_state(snap)["band"]
    assert band == {"on": True, "style": "swing", "held": True, "choruses": 1, "late": 1,
                    "chart_bars": 12}
    assert snap.extras["band"] == "swing, 12-bar chart, 1 choruses (held), 1 late"
    assert rig.backend.press("band_on")
    assert stage_state(rig.looper.snapshot())["band"]["on"] is False


def test_without_a_bridge_there_is_no_audio_line():
    rig = VirtualRig()
    assert stage_state(rig.looper.snapshot())["audio"] is None
    rig.backend.close()


def test_the_audio_line_is_lit_while_the_xruns_grow():
    rig = VirtualRig()
    bridge = FakeBridge(64, 0)  # 3 xruns while it started: not counted
    watch_audio(rig.looper, bridge, 64, 48000)
    server = StageServer("127.0.0.1", 0, None)
    stage = rig.backend.attach(StageFeature(server))

    def audio() -> dict[str, object]:
        time.sleep(CACHE_SECONDS)
        return dict(json.loads(stage.cache.latest())["audio"])

    try:
        assert audio() == {"period": 64, "rate": 48000, "xruns": 0, "alert": False}
        bridge.count += 2
        assert audio() == {"period": 64, "rate": 48000, "xruns": 2, "alert": True}
        assert rig.looper.snapshot().extras["audio"].endswith("2 xruns (clicks, gaps)")
        rig.advance(XRUN_ALERT_SECONDS - 0.5)
        assert audio()["alert"] is True
        rig.advance(1.0)  # no more xruns for a while: the light goes out, the count stays
        assert audio() == {"period": 64, "rate": 48000, "xruns": 2, "alert": False}
    finally:
        rig.backend.close()


def test_the_alert_counts_growth_from_the_first_count_it_sees():
    alert = XrunAlert(seconds=5)
    assert [alert(7, 0.0), alert(7, 1.0)] == [False, False]  # old xruns: no alarm
    assert alert(8, 2.0) is True
    assert [alert(8, 6.9), alert(None, 6.95), alert(8, 7.1)] == [True, True, False]
    state = mark_xruns({"audio": None}, alert, 8.0)
    assert state == {"audio": None}
    assert mark_xruns({"audio": {"xruns": 9}}, alert, 8.0)["audio"] == {"xruns": 9, "alert": True}
