"""The recorder cannot die: any source name, any number of sources, I/O errors."""

from __future__ import annotations

import errno
import shutil
import time

import mido

from psc_looper.osc.protocol import NOTE_OFF, NOTE_ON
from psc_looper.rig import VirtualRig
from psc_looper.sessions import recorder as recorder_module
from psc_looper.sessions.reader import read_session
from psc_looper.sessions.recorder import Recorder
from psc_looper.sessions.writer import MAX_INPUT_TRACKS, OTHER_SOURCES


def wait(check, timeout: float = 3.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        time.sleep(0.01)
    return bool(check())


def press(rig: VirtualRig, note: int, source: str) -> None:
    rig.send(NOTE_ON, note, 90, 0, source)
    rig.advance(0.1)
    rig.send(NOTE_OFF, note, 0, 0, source)


def test_any_source_name_is_recorded_exactly(tmp_path):
    rig = VirtualRig()
    recorder = rig.backend.attach(Recorder(tmp_path / "s.mid", save_seconds=0.05))
    names = ["Piano — USB", "鋼琴 MIDI 1", "Ωmega\u200b", "x" * 500]
    for k, name in enumerate(names):
        press(rig, 60 + k, name)
    recorder.close()
    session = read_session(recorder.path)
    assert [e.args[3] for e in session.inputs if e.address == NOTE_ON] == names
    assert recorder.stats.inputs == 2 * len(names)


def test_thousands_of_sources_share_one_track_past_the_cap(tmp_path):
    rig = VirtualRig()
    recorder = rig.backend.attach(Recorder(tmp_path / "s.mid", save_seconds=0.05))
    sources = [f"device {k}" for k in range(2000)]
    for k, source in enumerate(sources):
        rig.send(NOTE_ON, 40 + k % 40, 90, 0, source)
        rig.send(NOTE_OFF, 40 + k % 40, 0, 0, source)
        rig.advance(0.001)
    recorder.close()
    session = read_session(recorder.path)
    ons = [e.args[3] for e in session.inputs if e.address == NOTE_ON]
    assert len(ons) == len(sources)  # nothing lost
    assert ons[:MAX_INPUT_TRACKS] == sources[:MAX_INPUT_TRACKS]
    assert set(ons[MAX_INPUT_TRACKS:]) == {OTHER_SOURCES}
    assert len(mido.MidiFile(recorder.path).tracks) < MAX_INPUT_TRACKS + 10


def test_io_errors_are_shown_retried_and_lose_nothing(tmp_path, monkeypatch, caplog):
    folder = tmp_path / "sessions"
    rig = VirtualRig()
    recorder = rig.backend.attach(Recorder(folder / "s.mid", save_seconds=0.05))
    press(rig, 60, "keys")
    assert wait(lambda: recorder.path.exists())

    shutil.rmtree(folder)  # the folder is gone, and a file sits where it was
    folder.write_text("not a folder")
    press(rig, 62, "keys")
    assert wait(lambda: "NOT SAVED" in rig.looper.snapshot().extras["recording"])
    assert "NOT SAVED" in caplog.text
    folder.unlink()  # the folder can be made again: recording resumes
    assert wait(lambda: "NOT SAVED" not in rig.looper.snapshot().extras["recording"])
    assert wait(lambda: len(read_session(recorder.path).notes) == 2)

    real_write = recorder_module.write_atomically

    def disk_full(path, data):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(recorder_module, "write_atomically", disk_full)
    press(rig, 64, "keys")
    assert wait(lambda: "No space left" in rig.looper.snapshot().extras["recording"])
    press(rig, 65, "keys")  # played while the disk is full
    monkeypatch.setattr(recorder_module, "write_atomically", real_write)
    press(rig, 67, "keys")
    recorder.close()
    assert "NOT SAVED" not in rig.looper.snapshot().extras["recording"]
    pitches = [n.pitch for n in read_session(recorder.path).notes if n.track == "pianist"]
    assert pitches == [60, 62, 64, 65, 67]
