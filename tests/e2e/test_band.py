"""The band's walking bass heard through real SuperCollider: quarter notes on the beat."""

from __future__ import annotations

from pathlib import Path

import pytest

from psc_looper.band import BandOptions
from psc_looper.looper.notes import Track
from psc_looper.sc.testing import LiveBridge
from tests.e2e.conftest import MakeBackend
from tests.e2e.sound import (
    MUTE_CLICK,
    ONE_BAR,
    PLAY,
    STOP,
    heard,
    off_grid,
    press,
    record_steps,
    wait_until,
)

pytestmark = pytest.mark.e2e

LOOP = ONE_BAR.steps


def test_the_band_bass_sounds_on_every_beat(
        live_bridge: LiveBridge, make_backend: MakeBackend, tmp_path: Path) -> None:
    band = BandOptions(on=True, chart="Cmaj7 | A7 | Dm7 | G7", drums=False)
    app = make_backend(structure=ONE_BAR, band=band, seed=1)
    press(live_bridge, MUTE_CLICK)  # only the band's bass sounds
    press(live_bridge, PLAY)
    wait_until(lambda: app.looper.snapshot().playing, "playing")
    wav = tmp_path / "band.wav"
    start = record_steps(live_bridge, app, wav, 2 * LOOP, 3 * LOOP)
    press(live_bridge, STOP)

    assert len(app.looper.track_notes(Track.BASS)) == 4
    fit = heard(live_bridge, wav, start, app, 2 * LOOP, LOOP)
    assert fit.steps == [0, 4, 8, 12], fit
    assert not off_grid(fit), fit
