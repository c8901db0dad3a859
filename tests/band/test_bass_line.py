"""``[band] bass_line``: the learned bass plays in the band (fitted to the chart), the
same seed gives the same line, a section switches it, and a song keeps the choice
(and omits the default)."""

from __future__ import annotations

from pathlib import Path

from psc_looper.band import BandOptions
from psc_looper.band.feature import BY
from psc_looper.band.walker import HIGH, LOW
from psc_looper.config.performer import PerformerSettings, apply_sets
from psc_looper.harmony.chart import parse_chart
from psc_looper.looper.notes import Track
from psc_looper.rig import VirtualRig
from psc_looper.songs.file import load_song
from psc_looper.songs.song import Section
from tests.band.test_feature import band_rig, played, rigs  # noqa: F401
from tests.band.test_follow import HEAD, roots, song
from tests.band.test_walker import BLUES

LOOP = 192  # the 12-bar blues, a loop of the whole form


def bass(rig: VirtualRig) -> list[tuple[int, int]]:
    return [(n.onset, n.pitch) for n in rig.looper.track_notes(Track.BASS)]


def test_the_model_walks_the_chorus_with_roots_at_the_changes(
        rigs: list[VirtualRig]) -> None:  # noqa: F811
    model = band_rig(rigs, bars=12, on=True, bass_line="model")
    line = bass(model)
    assert [s for s, _ in line] == list(range(0, LOOP, 4))
    chart = parse_chart(BLUES)
    for step, pitch in line:
        beat = step // 4
        assert LOW <= pitch <= HIGH
        if beat == 0 or chart.chord_at(beat, 4) != chart.chord_at(beat - 1, 4):
            assert pitch % 12 == chart.chord_at(beat, 4).root, (beat, pitch)
    assert line == bass(band_rig(rigs, bars=12, on=True, bass_line="model"))  # same seed
    assert line != bass(band_rig(rigs, bars=12, on=True))  # not the walker's line
    model.looper.play()
    model.advance_to_step(LOOP + 8)
    assert bass(model) != line and model.backend.band.late == 0  # the next chorus varies


def test_a_song_keeps_the_bass_line_and_leaves_out_the_default(
        rigs: list[VirtualRig], tmp_path: Path) -> None:  # noqa: F811
    rig = band_rig(rigs, bars=12, on=True, bass_line="model")
    path = rig.backend.songs.save(tmp_path / "trio.toml", name="trio")
    assert 'bass_line = "model"' in path.read_text()
    song = load_song(path)
    assert song.settings.band.bass_line == "model"
    other = band_rig(rigs, bars=4, chart="")
    other.backend.songs.play_song(song, path)
    assert other.backend.band.options.bass_line == "model"
    assert [la.by for la in song.layers] == [BY]
    walker = band_rig(rigs, bars=12, on=True)
    text = walker.backend.songs.save(tmp_path / "walker.toml", name="walker").read_text()
    assert "[band]" in text and "bass_line" not in text


def test_set_on_the_command_line() -> None:
    settings = apply_sets(PerformerSettings(), ["band.bass_line=model"])
    assert settings.band.bass_line == "model" and settings.given == {"band.bass_line"}


def test_a_section_switches_the_bass_line_at_its_loop_start(
        rigs: list[VirtualRig]) -> None:  # noqa: F811
    """A 4-bar song whose section B asks for the model: the walker's line until B's
    loop start, the model's from it (roots still at the changes)."""
    loop = 64

    def walk(tables: dict[str, dict[str, object]]) -> VirtualRig:
        rig = band_rig(rigs, chart="")
        rig.backend.songs.play_song(song("tune", HEAD, BandOptions(on=True), Section("A"),
                                         Section("B", tables=tables)), None)
        rig.looper.play()
        rig.advance_to_step(8)
        rig.backend.songs.next_section()
        rig.advance_to_step(loop + 8)
        rig.backend.songs.next_section()
        rig.advance_to_step(3 * loop)
        return rig

    model, walker = walk({"band": {"bass_line": "model"}}), walk({})
    assert model.backend.band.options.bass_line == "model"
    first = [(s, p) for s, p in played(model, "bass") if s < 2 * loop]
    assert first == [(s, p) for s, p in played(walker, "bass") if s < 2 * loop]
    assert played(model, "bass") != played(walker, "bass")  # the model from B's loop start
    assert roots(model, 2 * loop) == [0, 9, 2, 7]
