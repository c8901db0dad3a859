"""Bad band input on the command line and in a song: one line, exit 2, nothing started."""

from __future__ import annotations

from pathlib import Path

import pytest

from psc_looper.band import learned
from psc_looper.bundles import DEFAULT_BASS_MODEL
from psc_looper.cli import main
from psc_looper.songs.file import load_song
from psc_looper.songs.song import SongError

RUN = ["run", "--no-sc", "--no-record", "--status", "off", "--duration", "0.1", "--no-models"]


@pytest.mark.parametrize("args, reason", [
    (["--band", "polka"], "--band: [band] style = 'polka': style must be one of swing, two"),
    (["--band", "swing"], "--band: no chord chart for the band to play"),
    (["--set", "band.on=true"], "[band] on: no chord chart for the band to play"),
    (["--band", "two", "--changes", "N.C. | %"],
     "--band: chart 'N.C. | %' has no chord for the band to walk (only N.C.)"),
    (["--band", "swing", "--set", "band.chart=C7 | Hm7"], "unknown chord symbol 'Hm7'"),
    (["--band", "swing", "--changes", "C7", "--set", "band.bass_line=tuba"],
     "[band] bass_line = 'tuba': bass_line must be one of 'walker', 'model', 'free model'"),
])
def test_run_refuses_a_bad_band_in_one_line(capsys: pytest.CaptureFixture[str],
                                            args: list[str], reason: str) -> None:
    assert main([*RUN, *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("psc-looper: error: ") and reason in err[0]


def test_replay_refuses_a_band_with_no_chart(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    assert main(["replay", "--no-models", "--band", "swing", str(tmp_path / "none.mid")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["psc-looper replay: --band: no chord chart for the band to play (--changes, "
                   "--set band.chart=... or a song with a chart)"]


@pytest.mark.parametrize("table, reason", [
    ('[band]\non = true\n', "[band] on: no chord chart for the band to play"),
    ('chart = "N.C."\n[band]\non = true\n', "only N.C."),
    ('chart = "C7"\n[band]\nstyle = "polka"\n', "style must be one of"),
    ('chart = "C7"\n[band]\nbass_line = "tuba"\n', "bass_line must be one of"),
    ('chart = "C7"\n[[sections]]\nname = "A"\n[sections.band]\nbass_line = 3\n',
     "section 'A': [band] bass_line = 3"),
    ('chart = "C7"\n[[sections]]\nname = "A"\n[sections.band]\nstyle = "polka"\n',
     "section 'A': [band] style = 'polka'"),
    ('chart = "C7"\n[band]\nbass_volume = "loud"\n',
     "[band] bass_volume = 'loud': must be a number"),
    ('chart = "C7"\n[band]\nstyle = 3\n', "[band] style = 3: style must be one of"),
    ('chart = "C7"\n[band]\nbass_line = []\n', "[band] bass_line = []: must be a word or a number"),
    ('chart = "C7"\n[band]\nbass_volume = nan\n', "bass_volume must be 0..1, not nan"),
    ('chart = "C7"\n[band]\nchart = ["C7"]\n', "[band] chart = ['C7']: must be a word or a number"),
    ('chart = "C7"\nband = 3\n', "[band] must be a table"),
    ('chart = "C7"\n[[sections]]\nname = "A"\nband = "loud"\n', "[sections.band] must be a table"),
    ('chart = "C7"\n[[sections]]\nname = "A"\n[sections.band]\nbass_volume = "loud"\n',
     "section 'A': [band] bass_volume = 'loud': must be a number"),
])
def test_a_song_with_a_bad_band_is_one_line(tmp_path: Path, table: str, reason: str) -> None:
    path = tmp_path / "tune.toml"
    path.write_text(f'format = 1\nname = "tune"\n{table}')
    with pytest.raises(SongError) as error:
        load_song(path)
    assert str(error.value).startswith(str(path)) and reason in str(error.value)
    assert "\n" not in str(error.value)


def test_a_song_band_and_its_sections_band_load(tmp_path: Path) -> None:
    path = tmp_path / "tune.toml"
    path.write_text('format = 1\nname = "tune"\nchart = "C7 | F7"\n'
                    '[band]\non = true\nstyle = "two"\nbass_volume = 0.8\n'
                    '[[sections]]\nname = "solos"\n[sections.band]\nstyle = "swing"\n')
    song = load_song(path)
    assert (song.settings.band.on, song.settings.band.style) == (True, "two")
    assert song.settings.band.bass_volume == 0.8
    assert song.sections[0].tables["band"] == {"style": "swing"}


@pytest.fixture
def broken_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped bass model, cut short on disk."""
    path = tmp_path / "bass.npz"
    path.write_bytes(DEFAULT_BASS_MODEL.read_bytes()[:5000])
    monkeypatch.setattr(learned, "DEFAULT_BASS_MODEL", path)
    return path


def test_run_with_a_broken_bass_model_exits_2_naming_it(
        broken_model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*RUN, "--band", "swing", "--changes", "C7",
                 "--set", "band.bass_line=model"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"{broken_model}: not a bass model" in err[0], err


def test_a_song_whose_bass_line_needs_a_broken_model_is_refused_at_load(
        broken_model: Path, tmp_path: Path) -> None:
    path = tmp_path / "tune.toml"
    path.write_text('format = 1\nname = "tune"\nchart = "C7"\n[band]\nbass_line = "model"\n')
    with pytest.raises(SongError, match=f"bass_line = 'model': {broken_model}: not a bass"):
        load_song(path)


@pytest.mark.parametrize("line, reason", [
    ('bass_volume = "loud"', "[band] bass_volume = 'loud': must be a number"),
    ("style = 3", "[band] style = 3: style must be one of"),
    ("bass_line = []", "[band] bass_line = []: must be a word or a number"),
])
def test_a_performer_config_with_a_bad_band_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, reason: str) -> None:
    config = tmp_path / "me.toml"
    config.write_text(f"[band]\n{line}\n")
    assert main([*RUN, "--config", str(config)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"psc-looper: error: {config}: {reason}"), err
