"""The performer's config: [loop] and [improv] from TOML and --set, one-line errors."""

import argparse

import pytest

from psc_looper.cli import main
from psc_looper.commands import replay as replay_command
from psc_looper.commands import run as run_command
from psc_looper.config.performer import (
    IMPROV_KEYS,
    PerformerConfigError,
    PerformerSettings,
    add_arguments,
    apply_sets,
    load_performer,
    settings_from_args,
)
from psc_looper.improv.options import Boundary, Fit
from psc_looper.timing.meter import Meter


def _write(tmp_path, text):
    path = tmp_path / "me.toml"
    path.write_text(text)
    return path


def test_a_file_sets_tempo_structure_and_improv_options(tmp_path):
    path = _write(tmp_path, '[loop]\nqpm = 96\nmeter = "7/8"\nbars = 4\n'
                            '[improv]\nthreshold = 12\nboundary = "loop"\nfit = "scale"\n'
                            'breath_steps = 0\nfollow_register = false\n')
    settings = load_performer(path)
    assert settings.qpm == 96.0
    assert settings.structure.meter == Meter(7, 8) and settings.structure.bars == 4
    assert settings.improv.threshold == 12
    assert settings.improv.boundary is Boundary.LOOP and settings.improv.fit is Fit.SCALE
    assert settings.improv.breath_steps == 0.0 and settings.improv.follow_register is False
    assert {"loop.qpm", "improv.threshold"} <= settings.given


def test_set_applies_after_the_file_with_or_without_the_table(tmp_path):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    path = _write(tmp_path, "[improv]\nthreshold = 12\n")
    args = parser.parse_args(["--config", str(path), "--set", "threshold=8",
                              "--set", "improv.boundary=none", "--set", "loop.qpm=200.5"])
    settings = settings_from_args(args)
    assert settings.improv.threshold == 8
    assert settings.improv.boundary is Boundary.NONE
    assert settings.qpm == 200.5


@pytest.mark.parametrize(("text", "words"), [
    ("[improv]\nthreshold = 0\n", ["[improv] threshold", "threshold"]),
    ("[improv]\nthreshold = 1.5\n", ["[improv] threshold", "whole number"]),
    ("[improv]\nfollow_register = 1\n", ["follow_register", "true or false"]),
    ("[improv]\nboundary = \"beat\"\n", ["boundary", "bar, loop, none"]),
    ("[improv]\nsplit_brain = 3\n", ["unknown key 'split_brain'", "threshold"]),
    ("[loop]\nqpm = 900\n", ["[loop] qpm", "40..300"]),
    ("[loop]\nmeter = \"7/9\"\n", ["[loop] meter", "denominator"]),
    ("[loop]\nmeter = \"seven\"\n", ["[loop] meter", "N/D"]),
    ("[loop]\nbars = 65\n", ["[loop] bars", "1..64"]),
    ("[looop]\nbars = 2\n", ["unknown table [looop]"]),
    ("[loop\nbars = 2\n", ["not a readable performer config"]),
    ("loop = 3\n", ["[loop] must be a table"]),
])
def test_a_bad_file_is_one_line_naming_the_file_and_the_key(tmp_path, text, words):
    path = _write(tmp_path, text)
    with pytest.raises(PerformerConfigError) as caught:
        load_performer(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path))
    for word in words:
        assert word in message


@pytest.mark.parametrize(("item", "word"), [
    ("threshold", "KEY=VALUE"),
    ("improv.nothing=2", "unknown key 'improv.nothing'"),
    ("tempo=3", "unknown key 'tempo'"),
    ("chord_window=0.5", "chord_window"),
])
def test_a_bad_set_names_it(item, word):
    with pytest.raises(PerformerConfigError, match=word) as caught:
        apply_sets(PerformerSettings(), [item])
    assert str(caught.value).startswith(f"--set {item!r}")


def test_a_missing_file_is_one_line(tmp_path):
    with pytest.raises(PerformerConfigError, match="no such performer config file"):
        load_performer(tmp_path / "none.toml")


def test_every_improv_option_in_the_readme_table_can_be_set():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    table = readme.split("| option (`ImprovOptions`)")[1].split("\n\n")[0]
    named = {line.split("`")[1] for line in table.splitlines()[2:] if line.startswith("| `")}
    assert named and named <= set(IMPROV_KEYS)


def test_run_takes_the_settings_and_refuses_a_bad_config(tmp_path, capsys):
    from psc_looper.cli import build_parser

    path = _write(tmp_path, "[loop]\nqpm = 90\nbars = 3\n[improv]\nthreshold = 6\n")
    args = build_parser().parse_args(["run", "--no-models", "--config", str(path),
                                      "--set", "fit=off"])
    config = run_command.config_from(args)
    assert config.qpm == 90 and config.structure.bars == 3
    assert config.improv.threshold == 6 and config.improv.fit is Fit.OFF
    assert main(["run", "--no-models", "--set", "bars=0", "--no-sc", "--status", "off"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("psc-looper: error: --set 'bars=0'")


def test_run_controller_adds_a_map_tried_first(tmp_path):
    from psc_looper.cli import build_parser

    extra = tmp_path / "pad.toml"
    extra.write_text('name = "pad"\nsource = "pad"\n[buttons]\n10 = "play"\n')
    args = build_parser().parse_args(["run", "--no-models", "--controller", str(extra)])
    maps = run_command.config_from(args).controller_maps
    assert maps[0] == extra and len(maps) == 3


def test_replay_refuses_a_bad_config_with_one_line(tmp_path, capsys):
    from psc_looper.cli import build_parser

    midi = tmp_path / "x.mid"
    midi.write_bytes(b"")
    args = build_parser().parse_args(["replay", str(midi), "--set", "improv.fit=jazz"])
    assert replay_command.main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "fit" in err


def test_a_replay_keeps_the_files_tempo_unless_the_config_sets_it(tmp_path):
    import mido

    from psc_looper.rig.replay import ReplayOptions, replay_config
    from psc_looper.sessions.reader import read_session

    midi = mido.MidiFile()
    track = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(100)),
                            mido.MetaMessage("time_signature", numerator=3, denominator=4),
                            mido.Message("note_on", note=60, velocity=80),
                            mido.Message("note_off", note=60, time=240)])
    midi.tracks.append(track)
    midi.save(tmp_path / "f.mid")
    session = read_session(tmp_path / "f.mid")
    plain = apply_sets(PerformerSettings(), ["bars=3", "threshold=5"])
    config = replay_config(session, ReplayOptions(performer=plain))
    assert config.qpm == 100 and config.structure.meter == Meter(3, 4)
    assert config.structure.bars == 3 and config.improv.threshold == 5
    forced = apply_sets(plain, ["qpm=140", "meter='4/4'"])
    config = replay_config(session, ReplayOptions(performer=forced))
    assert config.qpm == 140 and config.structure.meter == Meter(4, 4)
