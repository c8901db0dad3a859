"""A session keeps the settings it was run with: a replay without options plays the same
(swing, 12 bars, the band, trading, the seed); options given override them; a file from
before (no settings event) replays as it did; a bad settings event is refused."""

from __future__ import annotations

import dataclasses

import mido
import pytest

from psc_looper.band.options import BandOptions
from psc_looper.bundles import DEFAULT_DRUMS_BUNDLE, DEFAULT_IMPROV_BUNDLE, DEFAULT_MELODY_BUNDLE
from psc_looper.cli import main
from psc_looper.config.backend import BackendConfig
from psc_looper.improv.options import ImprovOptions
from psc_looper.rig import VirtualRig
from psc_looper.sessions.format import SETTINGS_KEY, RunSettings, SettingsFormatError
from psc_looper.sessions.golden import golden_text
from psc_looper.sessions.reader import read_session
from psc_looper.sessions.recorder import Recorder
from psc_looper.sessions.settings import performer_settings, run_settings
from psc_looper.timing.meter import LoopStructure

PLAY, STOP, IMPROV_REC = 41, 42, 68
BLUES = "F7 | Bb7 | F7 | F7 | Bb7 | Bb7 | F7 | D7 | Gm7 | C7 | F7 D7 | Gm7 C7 |"
SWUNG = BackendConfig(
    seed=7, inline_generation=True, melody_bundle=DEFAULT_MELODY_BUNDLE,
    improv_bundle=DEFAULT_IMPROV_BUNDLE, drums_bundle=DEFAULT_DRUMS_BUNDLE, swing=0.667,
    structure=LoopStructure(bars=12),
    improv=ImprovOptions(mode="trade", trade_bars=4, changes=BLUES, chord_weight=3.0),
    band=BandOptions(on=True, style="swing"))


def record(path, config: BackendConfig = SWUNG, keep: bool = True):
    """Play, trade fours with the machine (the pianist's turns: bars 1-4 and 9-12), stop."""
    rig = VirtualRig(config)
    recorder = rig.backend.attach(Recorder(path, settings=run_settings(config) if keep else None))
    rig.advance(0.2)
    rig.press(PLAY)
    rig.press(IMPROV_REC)  # improv mode: the machine trades with the pianist
    for turn in (0, 2):
        for i in range(16):
            step = turn * 64 + 2 * i + 0.1  # off the grid, as hands are: a tick's
            rig.advance_to_step(step)      # rounding in the file moves no key across a step
            rig.note_on(65 + (0, 2, 4, 5, 7)[i % 5], 90)
            rig.advance_to_step(step + 1)
            rig.note_off(65 + (0, 2, 4, 5, 7)[i % 5])
    rig.advance_to_step(16 * 16 + 0.5)
    rig.press(STOP)
    rig.advance(0.5)
    rig.backend.close()
    recorder.close()
    return read_session(path)


@pytest.fixture(scope="module")
def swung(tmp_path_factory):
    return record(tmp_path_factory.mktemp("live") / "swung.mid")


def replay(session, out, *options: str) -> int:
    return main(["replay", str(session.path), "--out", str(out), "--tail", "0.5", *options])


def test_the_settings_event_round_trips(swung):
    kept = swung.run_settings()
    assert kept == run_settings(SWUNG)
    assert kept.tables["loop"] == {"qpm": 120, "meter": "4/4", "bars": 12, "swing": 0.667}
    assert kept.seed == 7 and kept.models["improv"] == DEFAULT_IMPROV_BUNDLE.name
    settings = performer_settings(kept, "here")
    assert (settings.swing, settings.structure.bars, settings.band, settings.improv) == (
        0.667, 12, SWUNG.band, SWUNG.improv)


def test_a_replay_without_options_plays_as_the_run_did(swung, tmp_path, capsys):
    assert replay(swung, tmp_path / "again.mid") == 0
    text = capsys.readouterr().out
    assert ("settings from the session (120 qpm, 4/4, 12 bars, swing 0.667, a chart, "
            "improv trade, band swing, seed 7); --set and the other options override them"
            ) in text
    again = read_session(tmp_path / "again.mid")
    tracks = {n.track for n in swung.notes}
    assert {"machine", "bass", "drums"} <= tracks  # it traded, the band played
    assert golden_text(again) == golden_text(swung)
    assert again.run_settings() == swung.run_settings()  # a replay keeps them too


def test_options_given_override_the_sessions_settings(swung, tmp_path, capsys):
    assert replay(swung, tmp_path / "straight.mid", "--set", "loop.swing=0.5",
                  "--seed", "3") == 0
    assert "overridden here: loop.swing, seed" in capsys.readouterr().out
    straight = read_session(tmp_path / "straight.mid")
    kept = straight.run_settings()
    assert kept.tables["loop"]["swing"] == 0.5 and kept.seed == 3
    assert kept.tables["band"] == swung.run_settings().tables["band"]  # the rest stands
    assert golden_text(straight) != golden_text(swung)


def test_a_session_run_without_models_replays_without_them(tmp_path, capsys):
    bare = dataclasses.replace(SWUNG, melody_bundle=None, improv_bundle=None,
                               drums_bundle=None, improv=ImprovOptions(), band=BandOptions())
    session = record(tmp_path / "bare.mid", bare)
    assert session.run_settings().without_models
    assert replay(session, tmp_path / "again.mid") == 0
    assert "models: none (the session ran without models)" in capsys.readouterr().out
    assert golden_text(read_session(tmp_path / "again.mid")) == golden_text(session)
    assert replay(session, tmp_path / "models.mid", "--drums-bundle",
                  str(DEFAULT_DRUMS_BUNDLE)) == 0
    assert ("the session ran with other models (drums none, improv none, melody none)"
            in capsys.readouterr().out)


def test_a_session_from_before_replays_with_the_command_lines_settings(tmp_path, capsys):
    plain = dataclasses.replace(SWUNG, swing=0.5, structure=LoopStructure(bars=2),
                                improv=ImprovOptions(), band=BandOptions())
    old = record(tmp_path / "old.mid", plain, keep=False)
    assert old.settings_text is None and old.run_settings() is None
    assert replay(old, tmp_path / "again.mid", "--seed", "7") == 0
    assert "settings from the session" not in capsys.readouterr().out
    assert golden_text(read_session(tmp_path / "again.mid")) == golden_text(old)


def with_settings(tmp_path, source, text: str):
    midi = mido.MidiFile(source.path)
    conductor = midi.tracks[0]
    index = next(i for i, m in enumerate(conductor) if m.type == "text"
                 and SETTINGS_KEY in m.text)
    conductor[index] = mido.MetaMessage("text", text=text)
    path = tmp_path / "bad.mid"
    midi.save(path)
    return path


@pytest.mark.parametrize(("text", "reason"), [
    ('{"psc_settings": 2, "tables": {}}', "settings version 2 is not known"),
    ('{"psc_settings": 1, "tables": {"loop": {"swing": 2}}}', "[loop] swing = 2"),
    ('{"psc_settings": 1, "tables": {"mix": {}}}', "tables must be loop, improv, band"),
    ('{"psc_settings": 1, "tables": {}, "seed": "x"}', "seed must be a whole number"),
    ('{"psc_settings": 1, "tables": ', "not JSON"),
])
def test_a_bad_settings_event_is_one_line_and_nothing_plays(swung, tmp_path, capsys, text,
                                                            reason):
    bad = with_settings(tmp_path, swung, text)
    out = tmp_path / "o.mid"
    assert main(["replay", str(bad), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and str(bad) in captured.err
    assert reason in captured.err
    assert not out.exists() and "events in" not in captured.out


def test_the_format_refuses_what_it_does_not_know():
    with pytest.raises(SettingsFormatError, match='version "x"'):
        RunSettings.parse('{"psc_settings": "x", "tables": {}}')
    with pytest.raises(SettingsFormatError, match="models"):
        RunSettings.parse('{"psc_settings": 1, "tables": {}, "models": {"bass": "b.mag"}}')
    assert RunSettings.claims('{"psc_settings": 1}') and not RunSettings.claims("psc-looper")
