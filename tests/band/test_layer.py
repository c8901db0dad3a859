"""The band is a layer like the others: its bass muted, set in volume, overdubbed,
undone, replaced by a take and saved in a song (and loaded back); the drums' beat
builder and DrumsRNN work from its bass."""

from __future__ import annotations

from pathlib import Path

from psc_looper.band import BandOptions
from psc_looper.band.feature import BY
from psc_looper.drums.beat import build_beat
from psc_looper.looper.notes import Track
from psc_looper.rig import VirtualRig
from psc_looper.songs.file import load_song
from psc_looper.timing.meter import LoopStructure
from tests.band.test_feature import band_rig, rigs  # noqa: F401
from tests.band.test_walker import BLUES
from tests.drums.conftest import DrumsRig, drums_rig  # noqa: F401
from tests.looper.test_engine import BASS_REC, record
from tests.looper.test_layers import OVERDUB_BASS, UNDO
from tests.models.conftest import drums_bundle, make_bundle  # noqa: F401

LOOP = 192  # the 12-bar blues, a loop of the whole form


def bass(rig: VirtualRig) -> list[tuple[int, int]]:
    return [(n.onset, n.pitch) for n in rig.looper.track_notes(Track.BASS)]


def test_overdub_undo_and_a_replacing_take(rigs: list[VirtualRig]) -> None:  # noqa: F811
    rig = band_rig(rigs, bars=12, on=True)
    rig.looper.play()
    rig.advance_to_step(LOOP + 1)
    assert rig.looper.snapshot().layers[Track.BASS] == (1, 0)
    first = bass(rig)
    record(rig, OVERDUB_BASS, [(8, 60, 2)], loop_start=LOOP)
    rig.advance_to_step(2 * LOOP + 1)  # the overdub sounds over the band's next chorus
    assert (8, 60) in bass(rig) and len(bass(rig)) == 49
    assert rig.looper.snapshot().layers[Track.BASS] == (2, 0)
    rig.advance_to_step(3 * LOOP + 1)
    band_now = [n for n in bass(rig) if n != (8, 60)]
    assert len(band_now) == 48 and band_now != first  # the band walks on under it
    rig.press(UNDO)  # the overdub goes at the next loop start
    rig.advance_to_step(4 * LOOP + 1)
    assert (8, 60) not in bass(rig) and len(bass(rig)) == 48
    record(rig, BASS_REC, [(8, 40, 4)], loop_start=4 * LOOP)  # a take replaces the band
    rig.advance_to_step(5 * LOOP + 1)
    assert bass(rig) == [(8, 40)]
    drums = rig.looper.track_notes(Track.DRUMS)
    rig.advance_to_step(6 * LOOP + 1)
    assert bass(rig) == [(8, 40)] and rig.looper.track_notes(Track.DRUMS) != drums
    rig.press(UNDO)  # the take undone: the band's bass is back, still walking
    rig.advance_to_step(7 * LOOP + 1)
    assert len(bass(rig)) == 48
    assert rig.backend.band.late == 0


def test_mute_and_volume_are_the_tracks(rigs: list[VirtualRig]) -> None:  # noqa: F811
    rig = band_rig(rigs, bars=12, on=True)
    rig.looper.play()
    rig.advance_to_step(LOOP)
    loud = [s.args[1] for s in rig.sent if s.address == "/playbass" and s.at is not None]
    rig.looper.set_volume(Track.BASS, 0.5)
    rig.looper.toggle_mute(Track.DRUMS)
    sent = len(rig.sent)
    rig.advance_to_step(2 * LOOP)
    later = rig.sent[sent:]
    soft = [s.args[1] for s in later if s.address == "/playbass" and s.at is not None]
    assert len(soft) == 48 and max(soft) == round(max(loud) * 0.5)
    assert not [s for s in later if s.address in ("/playride", "/playkick")]


def test_band_volumes_scale_what_it_plays(rigs: list[VirtualRig]) -> None:  # noqa: F811
    full = band_rig(rigs, bars=12, on=True)
    soft = band_rig(rigs, bars=12, on=True, bass_volume=0.5, drums_volume=0.25)
    for track, factor in ((Track.BASS, 0.5), (Track.DRUMS, 0.25)):
        loud, quiet = full.looper.track_notes(track), soft.looper.track_notes(track)
        assert [max(1, round(n.velocity * factor)) for n in loud] == [n.velocity for n in quiet]


def test_the_beat_builder_and_drums_undo_over_the_band(rigs: list[VirtualRig]) -> None:  # noqa: F811
    rig = band_rig(rigs, bars=12, on=True)
    rig.looper.play()
    rig.advance_to_step(8)
    walking = rig.looper.track_notes(Track.BASS)
    rig.backend.actions.run("build_beat", None, 127)
    beat = build_beat(rig.looper.structure, walking)
    rig.advance_to_step(LOOP + 8)
    assert rig.looper.track_notes(Track.DRUMS) == beat  # the beat of the band's bass
    assert rig.backend.drums.current is not None and rig.backend.drums.current.name == "beat"
    rig.advance_to_step(2 * LOOP + 8)
    assert rig.looper.track_notes(Track.DRUMS) == beat  # the band leaves it alone
    rig.backend.actions.run("drums_undo", None, 127)  # back to the band's drums
    rig.advance_to_step(3 * LOOP + 8)
    drums = rig.looper.track_notes(Track.DRUMS)
    assert drums != beat and rig.backend.drums.current.name == BY
    rig.advance_to_step(4 * LOOP + 8)
    assert rig.looper.track_notes(Track.DRUMS) != drums  # and it plays on, varying


def test_saved_in_a_song_and_loaded_back(rigs: list[VirtualRig], tmp_path: Path) -> None:  # noqa: F811
    rig = band_rig(rigs, bars=12, on=True, style="two")
    rig.looper.play()
    rig.advance_to_step(LOOP + 8)
    path = rig.backend.songs.save(tmp_path / "trio.toml", name="trio")
    song = load_song(path)
    assert song.settings.band.on and song.settings.band.style == "two"
    assert [(la.track, la.by) for la in song.layers] == [(Track.BASS, BY)]
    assert song.drums.current is not None and song.drums.current.name == BY

    other = band_rig(rigs, bars=4, chart="")  # another run, no band, plays the song
    other.backend.songs.play_song(song, path)
    assert other.backend.band.on and other.backend.band.describe().startswith("two, 12-bar")
    assert other.looper.snapshot().layers[Track.BASS] == (1, 0)  # the saved layer, adopted
    assert {n.onset % 16 for n in other.looper.track_notes(Track.BASS)} == {0, 8}
    other.looper.play()
    other.advance_to_step(2 * LOOP + 1)
    assert other.looper.snapshot().layers[Track.BASS] == (1, 0)
    assert len(other.looper.layer_history()[0]) == 1
    assert other.backend.band.late == 0


def test_a_drumsrnn_groove_primed_with_the_band(drums_rig: DrumsRig) -> None:  # noqa: F811
    rig = drums_rig(band=BandOptions(on=True, chart=BLUES), structure=LoopStructure(bars=12))
    rig.looper.play()
    rig.advance_to_step(8)
    band = rig.backend.drums.current
    assert band is not None and band.name == BY
    rig.backend.actions.run("generate_groove", None, 127)
    groove = rig.backend.drums.current
    assert groove is not None and groove.name == "groove #1"
    assert rig.backend.drums.previous is band
    for loop in (1, 2):  # the groove plays; the band's choruses wait for drums_undo
        rig.advance_to_step(loop * LOOP + 8)
        assert rig.looper.track_notes(Track.DRUMS) == list(groove.notes)
    assert len(bass(rig)) == 48
