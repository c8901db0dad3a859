"""Making songs and set lists from the command line, and what a save keeps: the name,
the seed, the count-in; ``song show`` counts the layers that sound."""

from psc_looper.app import BackendConfig
from psc_looper.cli import main
from psc_looper.looper.notes import Track
from psc_looper.rig import VirtualRig
from psc_looper.songs.file import load_song
from psc_looper.songs.setlist import load_setlist
from tests.songs.conftest import BASS_REC, PLAY, record

BLUES = "C7 | F7 | C7 | C7 | F7 | F7 | C7 | C7 | G7 | F7 | C7 | G7"


def test_song_new_writes_a_song_run_plays(tmp_path, capsys):
    path = tmp_path / "blues.toml"
    assert main(["song", "new", str(path), "--name", "Blues in C", "--changes", BLUES,
                 "--qpm", "132", "--seed", "5", "--count-in"]) == 0
    assert f"wrote {path}: song Blues in C: 132 qpm, 4/4 x12 bars, seed 5, count-in" in \
        capsys.readouterr().out
    song = load_song(path)
    assert (song.name, song.seed, song.count_in) == ("Blues in C", 5, True)
    assert song.settings.improv.changes == BLUES and song.settings.structure.bars == 12
    rig = VirtualRig(BackendConfig(song=path))
    assert rig.looper.count_in and rig.looper.qpm == 132
    assert rig.backend.songs.song.name == "Blues in C"


def test_song_new_refuses_an_existing_file_and_bad_options_in_one_line(tmp_path, capsys):
    path = tmp_path / "s.toml"
    path.write_text("keep me")
    assert main(["song", "new", str(path)]) == 2
    assert capsys.readouterr().err.strip() == f"psc-looper: {path} is there already " \
        "(choose another file)"
    assert path.read_text() == "keep me"
    other = tmp_path / "t.toml"
    assert main(["song", "new", str(other), "--bars", "99"]) == 2
    err = capsys.readouterr().err.strip()
    assert "bars" in err and "\n" not in err and not other.exists()


def test_setlist_new_lists_songs_that_read(tmp_path, capsys):
    for name in ("one", "two"):
        assert main(["song", "new", str(tmp_path / "songs" / f"{name}.toml")]) == 0
    path = tmp_path / "friday.toml"
    songs = [str(tmp_path / "songs" / "two.toml"), str(tmp_path / "songs" / "one.toml")]
    assert main(["setlist", "new", str(path), *songs, "--name", "Friday"]) == 0
    setlist = load_setlist(path)
    assert setlist.name == "Friday"
    assert [p.resolve() for p in setlist.songs] == [tmp_path / "songs" / "two.toml",
                                                    tmp_path / "songs" / "one.toml"]
    assert 'songs = [\n    "songs/two.toml",' in path.read_text()
    capsys.readouterr()
    assert main(["setlist", "new", str(tmp_path / "bad.toml"), str(tmp_path / "none.toml")]) == 2
    assert "none.toml" in capsys.readouterr().err and not (tmp_path / "bad.toml").exists()


def test_a_saved_song_keeps_its_name_seed_and_count_in(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rig = VirtualRig(BackendConfig(seed=11))
    rig.backend.actions.run("count_in", None, 127)
    rig.backend.actions.run("song_save", "Blue Bossa", 127)
    assert rig.backend.songs.worker.wait_idle(10)
    rig.backend.close()
    song = load_song(tmp_path / "songs" / "blue-bossa.toml")
    assert (song.name, song.seed, song.count_in) == ("Blue Bossa", 11, True)
    again = VirtualRig(BackendConfig(song=tmp_path / "songs" / "blue-bossa.toml"))
    assert again.looper.count_in and again.backend.songs.song.name == "Blue Bossa"


def test_song_show_counts_a_replaced_take_as_silent(tmp_path, capsys):
    rig = VirtualRig()
    rig.press(PLAY)
    record(rig, BASS_REC, [(0, 36, 4)])
    rig.advance_to_step(33)
    record(rig, BASS_REC, [(4, 38, 4), (8, 40, 4)], loop_start=32)  # replaces the first
    rig.advance_to_step(65)
    assert len(rig.looper.track_notes(Track.BASS)) == 2
    path = rig.backend.songs.save(tmp_path / "two-takes.toml")
    assert rig.backend.songs.worker.wait_idle(10)
    rig.backend.close()
    assert main(["song", "show", str(path)]) == 0
    assert "  bass: 1 layer sounding (1 replaced), 2 notes" in capsys.readouterr().out
