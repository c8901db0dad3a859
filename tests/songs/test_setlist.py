"""Set lists and sections: switched at the next loop start, no note left sounding."""

import pytest

from psc_looper.cli import main
from psc_looper.looper.notes import Track
from psc_looper.rig import VirtualRig
from psc_looper.songs.file import load_song, save_song
from psc_looper.songs.setlist import load_setlist
from psc_looper.songs.song import Section, SongError
from tests.helpers import unmatched_notes
from tests.looper.test_engine import PLAY, STOP
from tests.songs.conftest import make_song, rig_with

NEXT_SONG, PREVIOUS_SONG, NEXT_SECTION = "next_song", "previous_song", "next_section"


def write_song(folder, name, pitch, qpm, sections=()):
    rig = VirtualRig()
    make_song(rig, pitch)
    rig.looper.set_qpm(qpm)
    song = rig.backend.songs.capture()
    song = song.__class__(**{**song.__dict__, "name": name, "sections": tuple(sections)})
    rig.backend.close()
    return save_song(song, folder / f"{name}.toml")


@pytest.fixture
def setlist(tmp_path):
    write_song(tmp_path, "first", 36, 120, sections=[
        Section("head", chart="Cm7 | F7", mutes=(Track.DRUMS,)),
        Section("solo", chart="Dm7b5 G7", tables={"improv": {"threshold": 8},
                                                  "loop": {"qpm": 140}}),
    ])
    write_song(tmp_path, "second", 41, 90)
    path = tmp_path / "gig.toml"
    path.write_text('format = 1\nname = "gig"\nsongs = ["first.toml", "second.toml"]\n')
    return path


def act(rig, name):
    rig.backend.actions.run(name, None, 127)
    assert rig.backend.songs.worker.wait_idle(10)


def test_next_song_switches_at_the_loop_start_with_every_note_released(setlist):
    rig = rig_with(setlist=setlist)
    assert rig.looper.qpm == 120 and "first" in rig.looper.snapshot().extras["song"]
    assert "song 1/2, next second" in rig.looper.snapshot().extras["song"]
    rig.press(PLAY)
    rig.advance_to_step(2)
    rig.note_on(72)  # a key held over the switch
    rig.advance_to_step(20)
    act(rig, NEXT_SONG)
    assert rig.looper.qpm == 120  # not yet
    t32 = rig.step_time(32)
    rig.advance_to_step(33)
    assert rig.looper.qpm == 90 and "second" in rig.looper.snapshot().extras["song"]
    # everything sounding at the switch stopped on the loop start, time-tagged with it
    stops = [s for s in rig.sent if s.address.startswith("/stop") and s.at == t32]
    assert ("/stopwurly", 72) in {(s.address, s.args[0]) for s in stops}
    before = len(rig.sent)
    rig.note_off(72)  # its release sends nothing more
    assert len(rig.sent) == before
    assert sorted(n.pitch for n in rig.looper.track_notes(Track.BASS)) == [41, 48, 53]
    assert rig.step_time(34) - rig.step_time(33) == pytest.approx(60 / 90 / 4)
    rig.advance_to_step(64)
    rig.press(STOP)
    assert not unmatched_notes(rig.sent)


def test_previous_song_and_the_ends_of_the_list(setlist):
    rig = rig_with(setlist=setlist)
    act(rig, PREVIOUS_SONG)
    assert "already at the first song" in rig.looper.snapshot().warnings
    act(rig, NEXT_SONG)  # stopped: at once
    assert rig.looper.qpm == 90
    act(rig, NEXT_SONG)
    assert "the set list ends here" in rig.looper.snapshot().warnings
    act(rig, PREVIOUS_SONG)
    assert rig.looper.qpm == 120


def test_the_footswitch_walks_the_sections_then_the_next_song(setlist):
    rig = rig_with(setlist=setlist)
    rig.press(PLAY)
    rig.advance_to_step(40)
    act(rig, NEXT_SECTION)
    rig.advance_to_step(65)
    snap = rig.looper.snapshot()
    assert snap.mutes[Track.DRUMS] and "first [head] | chart Cm7 | F7" in snap.extras["song"]
    assert "next section solo" in snap.extras["song"]
    act(rig, NEXT_SECTION)
    rig.advance_to_step(97)
    assert rig.looper.qpm == 140 and "chart Dm7b5 G7" in rig.looper.snapshot().extras["song"]
    act(rig, NEXT_SECTION)  # past the last section: the next song
    rig.advance_to_step(129)
    assert rig.looper.qpm == 90 and rig.looper.snapshot().extras["song"].startswith("second")
    rig.press(STOP)
    assert not unmatched_notes(rig.sent)


def test_a_bad_next_song_is_a_line_and_the_loop_plays_on(setlist):
    (setlist.parent / "second.toml").write_text("format = 9\n")
    rig = rig_with(setlist=setlist)
    rig.press(PLAY)
    rig.advance_to_step(20)
    act(rig, NEXT_SONG)
    rig.advance_to_step(70)
    snap = rig.looper.snapshot()
    assert snap.playing and rig.looper.qpm == 120 and snap.notes_per_track[Track.BASS] == 3
    assert "second.toml: written by a newer psc-looper" in snap.extras["song"]
    assert any("written by a newer" in w for w in snap.warnings)


def test_set_list_file_errors_name_the_file(tmp_path):
    path = tmp_path / "gig.toml"
    path.write_text('format = 1\nsongs = ["gone.toml"]\n')
    with pytest.raises(SongError, match=r"gig.toml: song .*gone.toml is not there"):
        load_setlist(path)
    path.write_text('format = 1\nsongs = "one.toml"\n')
    with pytest.raises(SongError, match="songs must be a list"):
        load_setlist(path)


def test_run_with_a_missing_song_says_so_in_one_line(tmp_path, capsys):
    code = main(["run", "--song", str(tmp_path / "none.toml"), "--no-sc", "--no-models",
                 "--status", "off", "--duration", "0"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err == f"psc-looper: error: {tmp_path / 'none.toml'}: no such song file"


def test_sections_round_trip(setlist):
    song = load_song(setlist.parent / "first.toml")
    assert [s.name for s in song.sections] == ["head", "solo"]
    assert song.sections[0].mutes == (Track.DRUMS,)
    assert song.sections[1].tables == {"improv": {"threshold": 8}, "loop": {"qpm": 140}}


def test_song_show_and_check(setlist, capsys):
    assert main(["song", "show", str(setlist)]) == 0
    out = capsys.readouterr().out
    assert "set list gig: 2 songs" in out and "2. second (second.toml): 90 qpm, 4/4 x2 bars" in out
    assert main(["song", "show", str(setlist.parent / "first.toml")]) == 0
    out = capsys.readouterr().out
    assert "  bass: 2 layers sounding (+1 undone), 3 notes" in out
    assert "section solo: Dm7b5 G7" in out
    (setlist.parent / "second.toml").write_text("format = 2\n")
    assert main(["song", "check", str(setlist.parent / "first.toml"), str(setlist)]) == 2
    captured = capsys.readouterr()
    assert captured.out.strip() == f"{setlist.parent / 'first.toml'}: ok"
    assert captured.err.strip().endswith("second.toml: written by a newer psc-looper "
                                         "(song format 2; this one reads up to 1)")


def test_run_reads_the_song_and_the_set_list_once_each(setlist, monkeypatch):
    from psc_looper.app import Backend
    from psc_looper.cli import build_parser
    from psc_looper.commands import run as run_command
    from psc_looper.songs import live

    reads = []
    for name in ("load_song", "load_setlist"):
        real = getattr(live, name)
        monkeypatch.setattr(live, name, lambda path, real=real, name=name: (
            reads.append((name, path.name)), real(path))[1])
    args = build_parser().parse_args(["run", "--setlist", str(setlist), "--no-models"])
    start = live.opening(args.song, args.setlist)
    backend = Backend(run_command.config_from(args, start), start=start)
    assert backend.songs.song.name == "first"
    backend.close()
    assert sorted(reads) == [("load_setlist", "gig.toml"), ("load_song", "first.toml")]


def test_a_songs_chart_then_its_sections_chart_are_the_harmony_the_machine_hears(tmp_path):
    from psc_looper.bundles import DEFAULT_IMPROV_BUNDLE

    path = write_song(tmp_path, "tune", 36, 120, sections=[Section("bridge", chart="Dm7b5 G7")])
    song = load_song(path)
    save_song(song.__class__(**{**song.__dict__, "chart": "Cm7 | F7"}), path)
    rig = rig_with(song=path, improv_bundle=DEFAULT_IMPROV_BUNDLE, inline_generation=True,
                   isolate_models=False)
    improv = rig.backend.improv
    assert improv is not None
    rig.press(PLAY)
    rig.advance_to_step(1)
    names = {c.name() for c in improv.chords_at(0, 32)}
    assert names == {"Cm7", "F7"} and "ImprovRNN over song chart" in improv.describe()
    act(rig, NEXT_SECTION)
    rig.advance_to_step(33)  # the section from the next loop start
    assert {c.name() for c in improv.chords_at(32, 32)} == {"Dm7b5", "G7"}
    assert "over section chart" in improv.describe() and "chord D" in improv.describe()
    rig.backend.close()


def test_a_fifo_as_the_next_songs_notes_does_not_block_the_songs_thread(setlist):
    import os

    second = setlist.parent / "second.toml"
    os.mkfifo(setlist.parent / "pipe.mid")
    second.write_text(second.read_text().replace('notes = "second.mid"', 'notes = "pipe.mid"'))
    rig = rig_with(setlist=setlist)
    rig.press(PLAY)
    rig.advance_to_step(20)
    act(rig, NEXT_SONG)
    assert rig.backend.songs.worker.wait_idle(1.0)  # answered at once, not blocked
    rig.advance_to_step(70)
    assert "a FIFO, not a regular file" in rig.looper.snapshot().extras["song"]
    saved = rig.backend.songs.save(setlist.parent / "after.toml")  # a later save happens
    assert rig.backend.songs.worker.wait_idle(5) and load_song(saved).name
