"""A swung take with the player's feel round-trips: record, loop, save, load, replay."""

import pytest

from psc_looper.app import BackendConfig
from psc_looper.looper.notes import Track
from psc_looper.rig import VirtualRig
from psc_looper.songs.file import load_song
from psc_looper.timing.swing import TRIPLET
from tests.looper.test_engine import BASS_REC, STOP
from tests.looper.test_feel import play_at
from tests.songs.conftest import played, rig_with


def test_a_swung_take_with_its_feel_round_trips_through_a_song(tmp_path):
    rig = VirtualRig(BackendConfig(swing=TRIPLET))
    rig.press(41)  # play
    rig.advance_to_step(20)
    rig.press(BASS_REC)
    walk = [(rig.step_time(32 + 2 * k) + 0.011, 36 + k, 0.1) for k in range(1, 16)]
    play_at(rig, [*walk, (rig.step_time(64) - 0.02, 33, 0.1)])  # pushed onto step 0
    rig.advance_to_step(70)
    notes = rig.looper.track_notes(Track.BASS)
    assert notes[0].onset == 0 and notes[0].offset < 0 and notes[0].pitch == 33
    assert all(n.offset > 0 for n in notes[1:])
    rig.backend.songs.save(tmp_path / "swung.toml")
    assert rig.backend.songs.worker.wait_idle(10)
    song = load_song(tmp_path / "swung.toml")
    assert song.settings.swing == TRIPLET
    assert list(song.layers[-1].notes) == notes
    rig.press(STOP)
    original = played(rig, 2)
    loaded = rig_with(song=tmp_path / "swung.toml")
    assert loaded.looper.schedule.swing == TRIPLET
    assert played(loaded, 2) == original
    downbeats = [at for address, args, at in original if address == "/playbass" and args[0] == 33]
    # from stop the first sounds on its step, then pushed (to a 480th of a step)
    assert downbeats == pytest.approx([0.0, 4 - 0.02, 8 - 0.02], abs=0.0002)


def test_song_show_names_the_swing(capsys):
    from psc_looper.cli import main
    from psc_looper.rig.demos import DEMOS_DIR

    assert main(["song", "show", str(DEMOS_DIR / "7-swing-blues" / "swing-blues.toml")]) == 0
    assert "144 qpm, 4/4 x12 bars, swing 0.667" in capsys.readouterr().out
