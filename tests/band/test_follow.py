"""The band follows the song: a song's and its sections' ``[band]`` and charts at the
switch's loop start, a song without a band, and tempo changes (the virtual clock)."""

from __future__ import annotations

from psc_looper.band import BandOptions
from psc_looper.config.performer import PerformerSettings
from psc_looper.looper.notes import Track
from psc_looper.rig import VirtualRig
from psc_looper.songs.song import Section, Song
from psc_looper.timing.meter import LoopStructure
from tests.band.test_feature import band_rig, played, rigs  # noqa: F401

HEAD, BRIDGE = "Cmaj7 | A7 | Dm7 | G7", "E7 | E7 | A7 | A7"
LOOP = 64  # 4 bars


def song(name: str, chart: str, band: BandOptions, *sections: Section) -> Song:
    settings = PerformerSettings(structure=LoopStructure(bars=4), band=band)
    return Song(name, settings, chart=chart, sections=sections)


def roots(rig: VirtualRig, start: int) -> list[int]:
    """The pitch classes the bass played on beat 1 of the 4 bars from ``start``."""
    return [p % 12 for s, p in played(rig, "bass") if start <= s < start + LOOP and s % 16 == 0]


def onsets(rig: VirtualRig, start: int) -> set[int]:
    return {s % 16 for s, _ in played(rig, "bass") if start <= s < start + LOOP}


def test_sections_switch_the_chart_and_the_style_at_their_loop_start(
        rigs: list[VirtualRig]) -> None:  # noqa: F811
    rig = band_rig(rigs, chart="")
    tune = song("tune", HEAD, BandOptions(on=True, style="two"),
                Section("A"), Section("B", chart=BRIDGE, tables={"band": {"style": "swing"}}),
                Section("C", tables={"band": {"drums": False}}))
    rig.backend.songs.play_song(tune, None)
    rig.looper.play()
    rig.advance_to_step(8)
    rig.backend.songs.next_section()  # A: as the song
    rig.advance_to_step(LOOP + 8)
    rig.backend.songs.next_section()  # B: its chart and style from the next loop start
    rig.advance_to_step(2 * LOOP + 8)
    assert roots(rig, 0) == roots(rig, LOOP) == [0, 9, 2, 7]
    assert onsets(rig, 0) == onsets(rig, LOOP) == {0, 8}  # the two-feel
    assert roots(rig, 2 * LOOP)[:1] == [4]  # E7 from the switch on
    rig.backend.songs.next_section()  # C: the band plays on without its drums
    rig.advance_to_step(4 * LOOP + 8)
    bridge = roots(rig, 2 * LOOP)
    assert (bridge[0], bridge[2]) == (4, 9) and onsets(rig, 2 * LOOP) == {0, 4, 8, 12}
    assert roots(rig, 3 * LOOP) == [0, 9, 2, 7]  # C: the song's chart again
    assert not rig.looper.track_notes(Track.DRUMS)
    assert len(rig.looper.track_notes(Track.BASS)) == 16 and rig.backend.band.late == 0


def test_a_song_switch_brings_its_band_and_one_without_stops_it(
        rigs: list[VirtualRig]) -> None:  # noqa: F811
    rig = band_rig(rigs, chart="")
    rig.backend.songs.play_song(song("one", HEAD, BandOptions(on=True)), None)
    rig.looper.play()
    rig.advance_to_step(8)
    rig.backend.songs.play_song(song("two", BRIDGE, BandOptions(on=True, style="bossa")), None)
    rig.advance_to_step(LOOP + 8)
    assert rig.backend.band.describe().startswith("bossa, 4-bar chart")
    rig.backend.songs.play_song(song("three", HEAD, BandOptions()), None)
    rig.advance_to_step(3 * LOOP)
    assert roots(rig, 0) == [0, 9, 2, 7] and onsets(rig, 0) == {0, 4, 8, 12}
    assert roots(rig, LOOP)[::2] == [4, 9] and onsets(rig, LOOP) == {0, 8}  # the bossa's
    assert all(s < 2 * LOOP for s, _ in played(rig, "bass"))
    assert not rig.backend.band.on and rig.backend.band.late == 0


def test_a_tempo_change_keeps_the_band_on_the_beat(rigs: list[VirtualRig]) -> None:  # noqa: F811
    rig = band_rig(rigs, on=True)
    rig.looper.play()
    rig.advance_to_step(LOOP + 6)
    sent = len(rig.sent)
    rig.looper.set_qpm(180)
    rig.advance_to_step(3 * LOOP)
    times = [m.at for m in rig.sent[sent:] if m.address == "/playbass" and m.at is not None]
    assert times == [rig.step_time(s) for s in range(LOOP + 8, 3 * LOOP + 1, 4)]
    assert round(rig.step_time(LOOP + 12) - rig.step_time(LOOP + 8), 9) == round(60 / 180, 9)
    assert rig.backend.band.late == 0


def test_a_longer_loop_gets_a_chorus_of_its_length(rigs: list[VirtualRig]) -> None:  # noqa: F811
    rig = band_rig(rigs, on=True)  # 4-bar loops over the 12-bar blues
    rig.looper.play()
    rig.advance_to_step(8)
    rig.looper.change_structure(bars=12)  # from the next loop start
    rig.advance_to_step(LOOP + 8)
    assert rig.looper.structure.bars == 12
    assert len(rig.looper.track_notes(Track.BASS)) == 48 and rig.backend.band.late == 0
    assert [s for s, _ in played(rig, "crash")] == [0]  # bar 5 of the form: no crash


def test_song_show_names_the_band(capsys) -> None:  # type: ignore[no-untyped-def]
    from psc_looper.cli import main
    from psc_looper.rig.demos import DEMOS_DIR

    assert main(["song", "show", str(DEMOS_DIR / "9-trio" / "2-rhythm-trio.toml")]) == 0
    out = capsys.readouterr().out
    assert "  band: two, bass and drums\n" in out and "  section solos (band style swing)" in out
