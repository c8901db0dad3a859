"""The status view on a terminal: keys typed into a pseudo-terminal drive the instrument,
and the screen (read through tmux) shows the key help, the song and the layers."""

import os
import pty
import select
import subprocess
import time

import pytest

from psc_looper.rig import VirtualRig
from psc_looper.rig.replay import ReplayOptions, replay_config, replay_inputs, replay_virtual
from psc_looper.sessions.format import qpm_of
from psc_looper.sessions.reader import read_session
from psc_looper.ui.keys import KEYS, help_lines, help_overlay
from tests.songs.conftest import make_song
from tests.ui.terminal import Pane, environment, run_command


def read_until(fd, text, timeout=30.0):
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never came; got {seen[-400:]!r}")
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def test_keys_typed_on_a_terminal_drive_the_instrument(tmp_path):
    session = tmp_path / "keys.mid"
    leader, follower = pty.openpty()
    proc = subprocess.Popen(run_command("--record", str(session)), stdin=follower,
                            stdout=follower, stderr=follower, env=environment(),
                            close_fds=True)
    os.close(follower)
    try:
        read_until(leader, "[SPACE] play/stop")
        os.write(leader, b" ")  # play
        time.sleep(1.5)
        os.write(leader, b"+++")  # tempo up three times: 126 qpm
        time.sleep(1.5)
        os.write(leader, b"q")
        read_until(leader, "stopped, all notes off")
        assert proc.wait(timeout=20) == 0
    finally:
        proc.kill()
        os.close(leader)
    recorded = read_session(session)
    clicks = [n for n in recorded.notes if "click" in n.track]
    assert len(clicks) >= 4  # the loop played from the space bar (2 beats a second)
    assert [round(qpm_of(s.us_per_beat)) for s in recorded.tempo.segments] == [120, 126]
    # the keys went in as the computer keys' controller: recorded, and a replay repeats them
    keys = [e.args[:2] for e in recorded.inputs if e.address == "/ccevent"]
    assert keys == [(1, 127), (14, 127), (14, 127), (14, 127)]
    options = ReplayOptions()
    config = replay_config(recorded, options)
    replay_virtual(replay_inputs(recorded, options, config), config, tmp_path / "again.mid")
    again = read_session(tmp_path / "again.mid")
    assert [round(qpm_of(s.us_per_beat)) for s in again.tempo.segments] == [120, 126]


@pytest.fixture
def song(tmp_path):
    rig = VirtualRig()
    make_song(rig)
    path = rig.backend.songs.save(tmp_path / "Blue Bossa.toml")
    assert rig.backend.songs.worker.wait_idle(10)
    rig.backend.close()
    return path


def test_the_screen_shows_key_help_song_and_layers(song):
    pane = Pane(run_command("--no-record", "--song", str(song)))
    try:
        screen = pane.wait_for("[q] quit")
        for line in help_lines(119):  # the pane's width less one
            assert line in screen
        assert "song: untitled" in screen  # the song's own name, from its file
        assert "bass:100% 3 notes 2 layers +1 redo" in screen
        assert "chords:63% 3 notes 1 layer" in screen and "click:MUTE" in screen
        pane.keys("r")  # redo the undone bass overdub (stopped: at once)
        pane.wait_for("bass:100% 4 notes 3 layers")
        pane.keys("?")  # the help overlay: every key, one a line
        overlay = pane.wait_for("again: back")
        assert all(line in overlay for line in help_overlay())
        assert "tracks (" not in overlay
        pane.keys("?")
        pane.wait_for("tracks (")
        pane.keys("m", "]", "}")  # the click back, 3 bars of 5/4 (stopped: at once)
        pane.wait_for("click:100%")
        pane.wait_for("5/4   bars 3")
        pane.keys("Escape")
        pane.wait_for("recent: panic: all notes off")
        pane.keys("Space")
        pane.wait_for("PLAYING")
        pane.keys("q")
        pane.wait_for("stopped, all notes off")
    finally:
        pane.close()
    assert len(KEYS) >= 20
