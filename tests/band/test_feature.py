"""The band through a VirtualRig: off by default, the chart across the loop's wrap,
roots at each chord change, crashes at form boundaries, the actions and the config."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from psc_looper.app import BackendConfig
from psc_looper.band import BandOptions
from psc_looper.band.walker import HIGH, LOW
from psc_looper.config.performer import PerformerConfigError, apply_sets
from psc_looper.harmony.chart import parse_chart
from psc_looper.looper.notes import Track
from psc_looper.rig import VirtualRig
from psc_looper.timing.meter import LoopStructure
from tests.band.test_walker import BLUES
from tests.helpers import plays
from tests.looper.test_engine import BASS_REC, record


@pytest.fixture
def rigs() -> Iterator[list[VirtualRig]]:
    made: list[VirtualRig] = []
    yield made
    for rig in made:
        rig.backend.close()


def band_rig(rigs: list[VirtualRig], bars: int = 4, **band: object) -> VirtualRig:
    options = BandOptions(**{"chart": BLUES, **band})  # type: ignore[arg-type]
    rig = VirtualRig(BackendConfig(inline_generation=True, seed=3,
                                   structure=LoopStructure(bars=bars), band=options))
    rigs.append(rig)
    return rig


def played(rig: VirtualRig, sound: str) -> list[tuple[int, int]]:
    """(absolute step, pitch) of each loop note of ``sound`` sent."""
    start, step = rig.step_time(0), rig.looper.schedule.step_seconds
    return [(round((s.at - start) / step), int(s.args[0])) for s in plays(rig.sent)
            if s.address == f"/play{sound}" and s.at is not None]


def test_off_by_default_nothing_plays_and_no_status(rigs: list[VirtualRig]) -> None:
    rig = band_rig(rigs)
    rig.looper.play()
    rig.advance_to_step(64)
    assert not played(rig, "bass") and not played(rig, "ride")
    assert "band" not in rig.looper.snapshot().extras


def test_the_blues_across_the_loop_wrap(rigs: list[VirtualRig]) -> None:
    """A 4-bar loop walks the 12-bar chart: three loops make the form, each chord's root
    where it changes, every note in E1..G3, a crash at each form start and only there."""
    rig = band_rig(rigs, on=True)
    rig.looper.play()
    rig.advance_to_step(3 * 192)  # 3 choruses of the 12-bar form, 4 bars at a time
    bass = [(s, p) for s, p in played(rig, "bass") if s < 3 * 192]
    assert [s for s, _ in bass] == list(range(0, 3 * 192, 4))
    chart = parse_chart(BLUES)
    for step, pitch in bass:
        assert LOW <= pitch <= HIGH
        beat = step // 4
        if beat == 0 or chart.chord_at(beat, 4) != chart.chord_at(beat - 1, 4):
            assert pitch % 12 == chart.chord_at(beat, 4).root, (beat, pitch)
    assert sorted({s for s, _ in played(rig, "crash") if s < 3 * 192}) == [0, 192, 384]
    toms = {s // 16 % 12 for s, _ in played(rig, "midtom") if s < 3 * 192}
    assert toms == {11}  # the fill: the form's last bar (a phrase end may have a short one)
    assert rig.looper.snapshot().extras["band"] == "swing, 12-bar chart, 11 choruses"


def test_band_on_while_playing_starts_at_the_next_loop_and_off_gives_back(
        rigs: list[VirtualRig]) -> None:
    rig = band_rig(rigs, bars=12)
    rig.looper.play()
    record(rig, BASS_REC, [(0, 40, 4)])
    rig.advance_to_step(192 + 8)
    recorded = rig.looper.track_notes(Track.BASS)
    assert [n.pitch for n in recorded] == [40]
    rig.backend.actions.run("band_on", None, 127)
    assert rig.looper.track_notes(Track.BASS) == recorded  # not before the loop start
    rig.advance_to_step(2 * 192 + 4)
    assert len(rig.looper.track_notes(Track.BASS)) == 48
    rig.backend.actions.run("band_on", None, 127)
    rig.advance_to_step(3 * 192 + 4)
    assert rig.looper.track_notes(Track.BASS) == recorded
    assert rig.looper.track_notes(Track.DRUMS) == []


def test_band_style_bad_one_changes_nothing(rigs: list[VirtualRig]) -> None:
    rig = band_rig(rigs, bars=12, on=True)
    before = rig.looper.track_notes(Track.BASS)
    rig.backend.actions.run("band_style", "polka", 127)
    assert rig.looper.track_notes(Track.BASS) == before
    assert "unknown style 'polka'" in rig.looper.snapshot().warnings[-1]
    rig.backend.actions.run("band_style", "two", 127)
    bass = rig.looper.track_notes(Track.BASS)
    assert {n.onset % 16 for n in bass} == {0, 8} and rig.backend.band.describe().startswith("two")


def test_no_chart_warns_and_plays_nothing(rigs: list[VirtualRig]) -> None:
    rig = band_rig(rigs, chart="", on=True)
    assert not rig.looper.track_notes(Track.BASS)
    assert "no chord chart" in rig.looper.snapshot().warnings[-1]


def test_band_table_in_the_performer_config() -> None:
    from psc_looper.config.performer import PerformerSettings
    settings = apply_sets(PerformerSettings(), ["band.on=true", "band.style=waltz"])
    assert settings.band == BandOptions(on=True, style="waltz")
    with pytest.raises(PerformerConfigError, match=r"\[band\] style = 'polka': style must be"):
        apply_sets(PerformerSettings(), ["band.style=polka"])
    with pytest.raises(PerformerConfigError, match="unknown chord symbol"):
        apply_sets(PerformerSettings(), ["band.chart=Hm7"])


def test_band_option_on_the_command_line() -> None:
    import argparse

    from psc_looper.config.performer import add_arguments, settings_from_args
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    settings = settings_from_args(parser.parse_args(["--band", "bossa", "--changes", "Cm7"]))
    assert settings.band.on and settings.band.style == "bossa"
    assert settings_from_args(parser.parse_args(["--band", "two"]), chart="C7").band.on
    with pytest.raises(PerformerConfigError, match=r"^--band: \[band\] style = 'polka'"):
        settings_from_args(parser.parse_args(["--band", "polka"]))


def test_a_jazz_waltz_in_a_three_four_loop(rigs: list[VirtualRig]) -> None:
    from psc_looper.timing.meter import Meter
    options = BandOptions(on=True, style="waltz", chart="Cmaj7 | A7 | Dm7 | G7")
    rig = VirtualRig(BackendConfig(inline_generation=True, seed=3, band=options,
                                   structure=LoopStructure(Meter(3, 4), bars=4)))
    rigs.append(rig)
    bass = rig.looper.track_notes(Track.BASS)
    assert [n.onset for n in bass] == list(range(0, 48, 4))
    assert [n.pitch % 12 for n in bass if n.onset % 12 == 0] == [0, 9, 2, 7]  # the roots
    drums = rig.looper.track_notes(Track.DRUMS)
    assert {n.onset % 12 for n in drums if n.instrument.value == "clhat"} == {4, 8}
    assert [n.onset for n in drums if n.instrument.value == "crash"] == [0]


def test_same_seed_same_band(rigs: list[VirtualRig]) -> None:
    first, second = band_rig(rigs, bars=12, on=True), band_rig(rigs, bars=12, on=True)
    for track in (Track.BASS, Track.DRUMS):
        assert first.looper.track_notes(track) == second.looper.track_notes(track)


def test_the_improv_changes_without_an_improv_feature(rigs: list[VirtualRig]) -> None:
    """--changes with no melody model (no improv feature shows the chart): the band
    plays them."""
    from dataclasses import replace

    from psc_looper.improv.options import ImprovOptions
    rig = VirtualRig(BackendConfig(inline_generation=True, seed=3, band=BandOptions(on=True),
                                   improv=replace(ImprovOptions(), changes="Dm7 | G7")))
    rigs.append(rig)
    assert rig.backend.improv is None
    bass = rig.looper.track_notes(Track.BASS)
    assert [n.pitch % 12 for n in bass if n.onset % 16 == 0] == [2, 7]
