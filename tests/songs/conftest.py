"""Songs recorded on the virtual clock, for the song and set-list tests."""

from pathlib import Path

import pytest

from psc_looper.app import BackendConfig
from psc_looper.rig import VirtualRig
from tests.looper.test_engine import BASS_REC, CHORDS_REC, PLAY, record

OVERDUB_BASS, UNDO = 33, 38


def played(rig, loops, structure_steps=32):
    """Play ``loops`` loops from stop; what was sent, timed from the play start."""
    rig.output.clear()
    rig.press(PLAY)
    t0 = rig.step_time(0)
    rig.advance_to_step(loops * structure_steps - 1)
    return [(s.address, tuple(s.args), None if s.at is None else round(s.at - t0, 9))
            for s in rig.sent]


def make_song(rig, pitch=36):
    """Bass take, overdub, a second overdub undone, chords, the beat, a mute and a volume."""
    rig.press(PLAY)
    record(rig, BASS_REC, [(0, pitch, 6), (16, pitch + 7, 4)])
    rig.advance_to_step(33)
    record(rig, OVERDUB_BASS, [(8, pitch + 12, 2)], loop_start=32)
    rig.advance_to_step(65)
    record(rig, OVERDUB_BASS, [(12, pitch + 10, 2)], loop_start=64)
    rig.advance_to_step(97)
    rig.press(UNDO)
    record(rig, CHORDS_REC, [(0, 60, 8), (0, 64, 8), (16, 62, 8)], loop_start=96)
    rig.advance_to_step(129)
    rig.backend.actions.run("build_beat", None, 127)
    rig.cc(3, 80)  # chords volume
    rig.press(48)  # click mute
    rig.advance_to_step(161)


@pytest.fixture
def song_file(tmp_path) -> Path:
    rig = VirtualRig()
    make_song(rig)
    rig.looper.set_qpm(96)
    rig.advance_to_step(170)
    path = rig.backend.songs.save(tmp_path / "blue.toml")
    assert rig.backend.songs.worker.wait_idle(10)
    rig.backend.close()
    return path


def rig_with(**config) -> VirtualRig:
    return VirtualRig(BackendConfig(**config))
