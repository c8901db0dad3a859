"""Interrupting ``psc-looper run`` while it records: Ctrl-C keeps everything, a kill keeps
a readable file with everything but the last second."""

import signal
import subprocess
import sys
import time

from pythonosc.udp_client import SimpleUDPClient

from psc_looper.osc.protocol import NOTE_ON
from psc_looper.sessions.reader import read_session
from tests.sessions.test_live import free_port

NOTE_GAP = 0.05
PLAYING = 2.0  # seconds of notes before the interrupt


def run_and_interrupt(tmp_path, sig):
    """Start ``psc-looper run``, play notes into it, send ``sig``; return what was sent."""
    port, path = free_port(), tmp_path / "take.mid"
    process = subprocess.Popen(
        [sys.executable, "-m", "psc_looper", "run", "--record", str(path), "--status", "off",
         "--listen-port", str(port), "--bridge-port", str(free_port()),
         "--period", "256"],  # no period probe: the test is about the interrupt
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in process.stdout:
            if "listening" in line:
                break
        client = SimpleUDPClient("127.0.0.1", port)
        sent = []  # (time sent, note)
        start = time.monotonic()
        while time.monotonic() - start < PLAYING:
            note = 30 + len(sent) % 90
            client.send_message(NOTE_ON, [note, 1 + len(sent) % 126, 0, "Digital Piano"])
            sent.append((time.monotonic(), note))
            time.sleep(NOTE_GAP)
        interrupted = time.monotonic()
        process.send_signal(sig)
        code = process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return path, sent, interrupted, code


def notes_in(path):
    return [e.args[0] for e in read_session(path).inputs if e.address == NOTE_ON]


def test_ctrl_c_keeps_everything(tmp_path):
    path, sent, _, code = run_and_interrupt(tmp_path, signal.SIGINT)
    assert code == 0
    assert notes_in(path) == [note for _, note in sent]
    assert not path.with_name(path.name + ".part").exists()


def test_a_kill_leaves_a_readable_file_missing_at_most_the_last_second(tmp_path):
    path, sent, killed, code = run_and_interrupt(tmp_path, signal.SIGKILL)
    assert code == -signal.SIGKILL
    kept = notes_in(path)
    before_last_second = [note for at, note in sent if at < killed - 1.0]
    assert len(before_last_second) > 10
    assert kept == [note for _, note in sent][:len(kept)]  # a prefix, in order
    assert len(kept) >= len(before_last_second)
