"""Yields read from a session file: the key, the machine's notes sounding then and those
sent ahead and cut; keys with nothing of the machine's sounding are not yields."""

from __future__ import annotations

import pytest

from psc_looper.looper.engine import Origin
from psc_looper.osc.protocol import NOTE_ON
from psc_looper.sessions.reader import read_session
from psc_looper.sessions.writer import SessionWriter
from psc_looper.sessions.yields import yields
from psc_looper.timing.meter import Meter


def session_with(tmp_path, machine, keys):
    writer = SessionWriter(0.0, 120, Meter(4, 4))
    for start, end, pitch in machine:
        writer.add_output(start, [("/playwurly", (pitch, 80))], Origin.MACHINE)
        writer.add_output(end, [("/stopwurly", (pitch, 0))], Origin.MACHINE)
    for at, pitch in keys:
        writer.add_input(at, NOTE_ON, [pitch, 90, 0, "keyboard"])
    path = tmp_path / "yields.mid"
    path.write_bytes(writer.to_bytes())
    return read_session(path)


def test_a_key_during_the_machines_notes_is_a_yield_timed_to_their_last_note_off(tmp_path):
    session = session_with(tmp_path, [(1.0, 1.502, 70), (1.2, 1.503, 74), (1.55, 1.551, 72)],
                           [(0.5, 80), (1.5, 76), (1.52, 77), (3.0, 40)])
    [found] = yields(session, lookahead=0.1)
    assert found.key == pytest.approx(1.5, abs=1e-3) and found.pitch == 76
    assert found.sounding == pytest.approx(0.003, abs=5e-4)
    assert found.ahead == pytest.approx(0.051, abs=5e-4)  # sent ahead, cut at its onset


def test_only_melody_keys_count(tmp_path):
    session = session_with(tmp_path, [(1.0, 1.5, 70)], [(1.2, 40)])
    assert yields(session, 0.1, melody=lambda pitch: pitch >= 60) == []
    assert yields(session, 0.1)[0].ahead is None
