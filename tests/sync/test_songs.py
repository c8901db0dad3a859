"""A song or set list says who leads (``sync = "link" | "clock-in" | "none"``); the
command line opens what may lead (a file never opens a port or a device)."""

import sys
from dataclasses import replace

import pytest

from psc_looper.app import BackendConfig
from psc_looper.cli import main
from psc_looper.osc.protocol import CLOCK_IN, CLOCK_START
from psc_looper.rig import VirtualRig
from psc_looper.songs.file import load_song, save_song
from psc_looper.songs.setlist import load_setlist
from psc_looper.songs.song import Song, SongError
from psc_looper.sync import SyncOptions, SyncSource
from tests.sync.leader import DEVICE, ScriptedLeader


def song_file(folder, name, sync):
    return save_song(Song(name=name, sync=sync), folder / f"{name}.toml")


def test_sync_round_trips_in_songs_and_set_lists_and_a_bad_one_is_one_line(tmp_path):
    path = song_file(tmp_path, "led", SyncSource.CLOCK_IN)
    assert 'sync = "clock-in"' in path.read_text()
    assert load_song(path).sync is SyncSource.CLOCK_IN
    assert load_song(song_file(tmp_path, "free", None)).sync is None
    gig = tmp_path / "gig.toml"
    gig.write_text('format = 1\nsongs = ["led.toml", "free.toml"]\nsync = "link"\n')
    assert load_setlist(gig).sync is SyncSource.LINK
    path.write_text(path.read_text().replace('"clock-in"', '"midi"'))
    with pytest.raises(SongError, match=r'led.toml: sync must be one of "none", "clock-in", '
                                        r'"link", not \'midi\'$'):
        load_song(path)


def rig_playing(tmp_path, sync) -> VirtualRig:
    path = song_file(tmp_path, "song", sync)
    return VirtualRig(BackendConfig(song=path, sync=SyncOptions(clock_in=DEVICE)))


def test_a_song_saying_none_leaves_the_clock_in_unheard(tmp_path):
    rig = rig_playing(tmp_path, SyncSource.NONE)
    leader = ScriptedLeader(rig)
    leader.run(2)
    rig.send(CLOCK_IN, CLOCK_START, 0, DEVICE)
    assert rig.looper.next_due() is None  # the leader's start is not obeyed
    assert rig.looper.snapshot().extras["sync"] == "the loop leads"
    assert rig.backend.sync.source is SyncSource.NONE


def test_a_song_saying_clock_in_follows_it_and_one_saying_link_without_link_is_a_line(tmp_path):
    rig = rig_playing(tmp_path, SyncSource.CLOCK_IN)
    leader = ScriptedLeader(rig)
    leader.run(2)
    leader.start()
    assert rig.looper.next_due() is not None
    rig.backend.songs.play_song(Song(name="linked", sync=SyncSource.LINK), None)
    assert rig.backend.sync.source is SyncSource.CLOCK_IN  # unchanged
    assert rig.looper.snapshot().warnings[-1] == (
        'sync = "link" needs --link on the command line; clock-in leads')


def test_without_a_song_the_command_lines_source_leads():
    rig = VirtualRig(BackendConfig(sync=SyncOptions(clock_in=DEVICE)))
    assert rig.backend.sync.source is SyncSource.CLOCK_IN
    rig.backend.songs.play_song(replace(Song(name="x"), sync=None), None)
    assert rig.backend.sync.source is SyncSource.CLOCK_IN


def test_run_link_without_the_binding_is_one_line(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "link", None)  # not installed
    code = main(["run", "--link", "--no-sc", "--no-models", "--status", "off",
                 "--duration", "0.1"])
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        "psc-looper: error: --link needs LinkPython-extern "
        "(pip install LinkPython-extern==1.3.0)")
