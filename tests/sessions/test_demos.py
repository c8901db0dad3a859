"""The demos' and replays' models: the shipped improv bundle joins melody and drums when it
is there, and reaches the backend's config; without it everything reads as before."""

from pathlib import Path

import pytest

from psc_looper.cli import main
from psc_looper.models.errors import ModelError
from psc_looper.rig import demos
from psc_looper.rig.demos import Bundles, demo_names, demo_options, shipped_bundles
from psc_looper.rig.replay import ReplayOptions, replay_config
from psc_looper.sessions.reader import read_session
from tests.helpers import fake_shipped_improv

MELODY, DRUMS = Path("b/melody.mag"), Path("b/drums.mag")


@pytest.fixture
def shipped_improv(tmp_path, monkeypatch):
    return fake_shipped_improv(tmp_path, monkeypatch, demos)


def test_the_shipped_improv_bundle_is_listed_when_it_is_there(shipped_improv):
    assert shipped_bundles().improv == shipped_improv
    shipped_improv.unlink()
    assert shipped_bundles().improv is None


def test_the_models_read_as_before_without_an_improv_bundle():
    assert Bundles(MELODY, DRUMS).short() == "melody melody.mag, drums drums.mag"
    assert Bundles(None, None).short() == "no models"
    assert Bundles(None, None).describe().startswith("models: none shipped yet")
    both = Bundles(MELODY, DRUMS, Path("b/improv.mag"))
    assert both.short() == "melody melody.mag, drums drums.mag, improv improv.mag"
    assert both.describe() == f"models: {both.short()}"
    assert Bundles(None, None, Path("improv.mag")).short() == \
        "melody none, drums none, improv improv.mag"


def test_a_demo_replays_with_the_improv_bundle():
    improv = Path("b/improv.mag")
    options = demo_options(7, Bundles(MELODY, DRUMS, improv))
    assert options.improv_bundle == improv
    session = read_session(demos.DEMOS_DIR / f"{demo_names()[0]}.mid")
    config = replay_config(session, options)
    assert (config.melody_bundle, config.drums_bundle, config.improv_bundle) == \
        (MELODY, DRUMS, improv)
    assert replay_config(session, ReplayOptions()).improv_bundle is None


@pytest.mark.parametrize(("extra", "expected"), [
    ((), "shipped"),
    (("--improv-bundle", "own.mag"), "own.mag"),
    (("--no-models",), None),
])
def test_replay_passes_the_improv_bundle_to_the_backend(shipped_improv, monkeypatch, extra,
                                                        expected):
    configs = []

    def replay_virtual(inputs, config, out, tail):
        configs.append(config)
        raise ModelError("stopped here: the models are not loaded in this test")

    monkeypatch.setattr("psc_looper.commands.replay.replay_virtual", replay_virtual)
    demo = demos.DEMOS_DIR / f"{demo_names()[0]}.mid"
    assert main(["replay", str(demo), *extra]) == 2
    (config,) = configs
    wanted = shipped_improv if expected == "shipped" else expected and Path(expected)
    assert config.improv_bundle == wanted
