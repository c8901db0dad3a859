"""Song files: the round trip (save, load, replay: the same output), bad files, saving live."""

from pathlib import Path

import mido
import pytest

from psc_looper.looper.notes import Track
from psc_looper.rig import VirtualRig
from psc_looper.songs.file import load_song, save_song
from psc_looper.songs.song import SongError
from tests.looper.test_engine import STOP
from tests.songs.conftest import make_song, played, rig_with

REDO = 54


def test_save_load_replay_sounds_the_same(tmp_path):
    rig = VirtualRig()
    make_song(rig)
    rig.looper.set_qpm(96)
    rig.advance_to_step(170)
    rig.backend.songs.save(tmp_path / "blue.toml")
    assert rig.backend.songs.worker.wait_idle(10)
    rig.press(STOP)
    rig.advance(1)
    original = played(rig, 3)
    loaded = rig_with(song=tmp_path / "blue.toml")
    again = played(loaded, 3)
    assert again == original
    assert sum(1 for a, *_ in again if a == "/playbass") >= 9  # the layers really play
    assert not any(a == "/playclick0" for a, *_ in again)  # the mute came back
    # the undone overdub came back on the redo stack, identical
    for r in (rig, loaded):
        r.press(STOP)
        r.press(REDO)
    assert played(loaded, 2) == played(rig, 2)
    assert 46 in [n.pitch for n in loaded.looper.track_notes(Track.BASS)]


def test_the_song_file_is_readable_and_its_notes_open_as_midi(song_file):
    text = song_file.read_text()
    assert 'qpm = 96.0' in text and 'kind = "overdub"' in text and "undone = true" in text
    midi = mido.MidiFile(song_file.with_suffix(".mid"))
    names = [t.name for t in midi.tracks]
    assert names[0] == "untitled" and "bass 1 record" in names
    assert any(n.startswith("drums current: beat") for n in names)
    assert midi.tracks[0][1].tempo == mido.bpm2tempo(96)
    song = load_song(song_file)
    assert [(la.track, la.replaces, la.undone) for la in song.layers] == [
        (Track.BASS, True, False), (Track.BASS, False, False), (Track.CHORDS, True, False),
        (Track.BASS, False, True)]
    assert song.mutes == {Track.CLICK} and song.volumes == {Track.CHORDS: pytest.approx(80 / 127)}


@pytest.mark.parametrize(("change", "reason"), [
    (lambda p: p.unlink(), "no such song file"),
    (lambda p: p.write_text("format = 1\nname = [broken"), "not a readable song file"),
    (lambda p: p.write_text(p.read_text().replace("format = 1", "format = 3")),
     "written by a newer psc-looper (song format 3; this one reads up to 1)"),
    (lambda p: p.write_text(p.read_text().replace('"record"', '"louder"', 1)),
     "layer kind must be one of"),
    (lambda p: p.write_text(p.read_text().replace("qpm = 96.0", "qpm = 900")), "[loop] qpm"),
    (lambda p: p.write_text(p.read_text().replace('chart = ""', 'chart = "Dm7 | Q7"')),
     "chart: "),
    (lambda p: p.with_suffix(".mid").write_bytes(b"MThd garbage"), "notes file"),
    (lambda p: p.with_suffix(".mid").unlink(), "No such file"),
])
def test_a_bad_song_file_is_one_line_naming_it(song_file, change, reason):
    change(song_file)
    with pytest.raises(SongError) as caught:
        load_song(song_file)
    message = str(caught.value)
    assert message.startswith(str(song_file)) and reason in message and "\n" not in message


def test_a_bad_song_at_start_refuses_before_anything_plays(tmp_path):
    with pytest.raises(SongError, match="no such song file"):
        rig_with(song=tmp_path / "nothing.toml")


def test_a_failed_save_is_a_status_line_and_the_loop_plays_on(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    rig = VirtualRig()
    make_song(rig)
    before = len(rig.sent)
    rig.backend.songs.save(blocker / "song.toml")
    assert rig.backend.songs.worker.wait_idle(10)
    rig.advance_to_step(200)
    assert len(rig.sent) > before and rig.looper.snapshot().playing
    status = rig.looper.snapshot().extras["song"]
    assert "FAILED" in status and str(blocker) in status
    assert not list(tmp_path.glob("**/*.part"))


def test_a_save_replaces_the_old_song_whole(song_file):
    old = load_song(song_file)
    save_song(old.__class__(name="renamed", settings=old.settings), song_file)
    new = load_song(song_file)
    assert new.name == "renamed" and new.layers == () and new.drums.current is None
    assert sorted(p.name for p in song_file.parent.iterdir()) == ["blue.mid", "blue.toml"]


def test_the_models_round_trip_relative_to_the_song(tmp_path):
    from psc_looper.songs.song import Song

    models = tmp_path / "models"
    song = Song(name="bundled", melody_bundle=str(models / "m.mag"),
                drums_bundle=str(models / "d.mag"), improv_bundle=str(models / "jazz.mag"))
    path = save_song(song, tmp_path / "songs" / "bundled.toml")
    text = path.read_text()
    assert 'improv = "../models/jazz.mag"' in text and 'melody = "../models/m.mag"' in text
    assert "format = 1" in text  # the improv model needs no new format: older readers skip it
    loaded = load_song(path)
    assert [Path(b).resolve() for b in (loaded.melody_bundle, loaded.drums_bundle,
                                        loaded.improv_bundle)] == \
        [(models / name).resolve() for name in ("m.mag", "d.mag", "jazz.mag")]
    plain = load_song(save_song(Song(name="plain"), tmp_path / "plain.toml"))
    assert plain.improv_bundle is None and "improv =" not in (tmp_path / "plain.toml").read_text()
