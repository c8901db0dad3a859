"""The session writer and reader: a round trip of inputs, outputs, tempo and meter."""

import mido
import pytest

from psc_looper.looper.engine import Origin
from psc_looper.osc.protocol import CC_EVENT, NOTE_OFF, NOTE_ON
from psc_looper.sessions.format import TICKS_PER_BEAT
from psc_looper.sessions.reader import read_session
from psc_looper.sessions.writer import SessionWriter
from psc_looper.timing.meter import Meter

ORIGIN = 100.0
INPUTS = [
    (100.5, CC_EVENT, [41, 127, 0, "nanoKONTROL2"]),
    (100.5, CC_EVENT, [41, 0, 0, "nanoKONTROL2"]),
    (101.0123, NOTE_ON, [60, 90, 0, "Digital Piano"]),
    (101.2, NOTE_ON, [60, 0, 0, "Digital Piano"]),  # a release sent as velocity 0
    (101.3, NOTE_ON, [62, 70, 2, 5]),  # an integer source on channel 2
    (101.4, NOTE_OFF, [62, 12, 2, 5]),
    (101.5, NOTE_ON, [64, 80]),  # no channel, no source
    (101.6, NOTE_OFF, [64, 0]),
    (101.7, CC_EVENT, [64, 127, 0]),  # a pedal without source
]


def steps(writer, first, count, seconds, start_step=0):
    for k in range(count):
        writer.add_step(start_step + k, first + k * seconds, Meter(4, 4) if k == 0 else None)


def sample_writer():
    writer = SessionWriter(ORIGIN, 120, Meter(4, 4))
    steps(writer, 100.61, 8, 0.125)  # 120 qpm
    steps(writer, 101.61, 8, 0.1, start_step=8)  # 150 qpm from step 8
    writer.add_step(16, 102.41, Meter(7, 8))
    for time, address, args in INPUTS:
        writer.add_input(time, address, args)
    writer.add_output(100.61, [("/playclick0", (60, 110)), ("/playbass", (40, 90))], Origin.LOOP)
    writer.add_output(100.735, [("/stopclick0", (60, 0))], Origin.LOOP)
    writer.add_output(101.0123, [("/playwurly", (60, 90))], Origin.PIANIST)
    writer.add_output(101.2, [("/stopwurly", (60, 0))], Origin.PIANIST)
    writer.add_output(101.3, [("/playwurly", (74, 70))], Origin.MACHINE)
    writer.add_output(101.4, [("/stopwurly", (74, 0))], Origin.PIANIST)
    return writer


def test_inputs_come_back_exactly(tmp_path):
    path = tmp_path / "s.mid"
    path.write_bytes(sample_writer().to_bytes())
    session = read_session(path)
    assert session.ours
    assert [(e.address, list(e.args)) for e in session.inputs] == [(a, x) for _, a, x in INPUTS]
    tick = 0.5 / TICKS_PER_BEAT  # seconds at 120 qpm
    times = [e.time for e in session.inputs]
    assert times == sorted(set(times))  # a tie (play pressed and released) moved a tick on
    for event, (time, *_) in zip(session.inputs, INPUTS, strict=True):
        assert event.time == pytest.approx(time - ORIGIN, abs=1.6 * tick)
    assert times[0] == pytest.approx(0.5, abs=tick / 2)


def test_outputs_tempo_meter_and_names(tmp_path):
    path = tmp_path / "s.mid"
    writer = sample_writer()
    path.write_bytes(writer.to_bytes())
    midi = mido.MidiFile(path)
    names = [t.name for t in midi.tracks]
    assert names[0] == "psc-looper"
    assert {"input: nanoKONTROL2", "input: Digital Piano", "input: 5", "input"} <= set(names)
    assert {"click", "bass", "pianist", "machine"} <= set(names)
    tempos = [m.tempo for m in midi.tracks[0] if m.type == "set_tempo"]
    assert tempos == [500_000, 400_000]
    meters = [(m.numerator, m.denominator) for m in midi.tracks[0] if m.type == "time_signature"]
    assert meters == [(4, 4), (7, 8)]
    session = read_session(path)
    bass = [n for n in session.notes if n.track == "bass"]
    # the bass note never stopped: ended provisionally at the latest event
    assert len(bass) == 1 and session.tempo.time_of(bass[0].end) == pytest.approx(
        writer.end, abs=1e-3)
    # the machine's note was stopped by the pianist's key release: still on its own track
    assert [(n.track, n.pitch) for n in session.notes if n.pitch == 74] == [("machine", 74)]
    assert writer.stats.takeovers == 1
    assert writer.stats.notes == {"click": 1, "bass": 1, "pianist": 1, "machine": 1}


def test_committing_early_changes_nothing_in_the_file():
    whole = sample_writer().to_bytes()
    writer = SessionWriter(ORIGIN, 120, Meter(4, 4))
    steps(writer, 100.61, 8, 0.125)
    writer.commit(100.55)
    steps(writer, 101.61, 8, 0.1, start_step=8)
    writer.add_step(16, 102.41, Meter(7, 8))
    for time, address, args in INPUTS[:3]:
        writer.add_input(time, address, args)
    writer.commit(100.9)
    for time, address, args in INPUTS[3:]:
        writer.add_input(time, address, args)
    writer.add_output(100.61, [("/playclick0", (60, 110)), ("/playbass", (40, 90))], Origin.LOOP)
    writer.add_output(100.735, [("/stopclick0", (60, 0))], Origin.LOOP)
    writer.commit(101.0)
    writer.add_output(101.0123, [("/playwurly", (60, 90))], Origin.PIANIST)
    writer.add_output(101.2, [("/stopwurly", (60, 0))], Origin.PIANIST)
    writer.add_output(101.3, [("/playwurly", (74, 70))], Origin.MACHINE)
    writer.add_output(101.4, [("/stopwurly", (74, 0))], Origin.PIANIST)
    assert writer.to_bytes() == whole


def test_a_panic_ends_every_sounding_note(tmp_path):
    writer = SessionWriter(0.0, 120, Meter(4, 4))
    writer.add_output(0.5, [("/playbass", (40, 90)), ("/playchords", (60, 70))], Origin.LOOP)
    writer.add_output(0.8, [("/panic", ())], Origin.CONTROL)
    writer.add_output(5.0, [("/playclick0", (60, 100)), ("/stopclick0", (60, 0))], Origin.LOOP)
    path = tmp_path / "p.mid"
    path.write_bytes(writer.to_bytes())
    session = read_session(path)
    ended = {n.track: session.tempo.time_of(n.end) for n in session.notes}
    assert ended["bass"] == pytest.approx(0.8, abs=1e-3)
    assert ended["chords"] == pytest.approx(0.8, abs=1e-3)
    assert [text for _, text in session.markers] == ["panic"]


def test_unknown_outputs_are_left_out(tmp_path):
    writer = SessionWriter(0.0, 120, Meter(4, 4))
    writer.add_output(0.5, [("/playtheremin", (40, 90)), ("/playbass", ("x", 1)),
                            ("/stopbass", (41, 0))], Origin.LOOP)
    writer.add_input(0.6, "/ready", [57120])
    assert writer.stats.notes == {} and writer.stats.inputs == 0
    path = tmp_path / "u.mid"
    path.write_bytes(writer.to_bytes())
    assert read_session(path).notes == []


def session_of(writer, tmp_path):
    path = tmp_path / "o.mid"
    path.write_bytes(writer.to_bytes())
    session = read_session(path)
    return [(n.track, session.tempo.time_of(n.start), session.tempo.time_of(n.end))
            for n in session.notes]


def test_a_stop_drops_loop_notes_sent_ahead_that_never_sounded(tmp_path):
    writer = SessionWriter(0.0, 120, Meter(4, 4))
    writer.add_output(0.5, [("/playbass", (40, 90))], Origin.LOOP)
    writer.add_output(1.1, [("/playchords", (60, 70))], Origin.LOOP)  # sent ahead of 1.0
    writer.add_output(1.0, [("/stopbass", (40, 0)), ("/stopchords", (60, 0)),
                            ("/panic", ())], Origin.CONTROL)
    notes = session_of(writer, tmp_path)
    assert [(t, round(s, 3), round(e, 3)) for t, s, e in notes] == [("bass", 0.5, 1.0)]
    assert writer.stats.notes["chords"] == 0


def test_a_panic_while_playing_keeps_loop_notes_scheduled_after_it(tmp_path):
    writer = SessionWriter(0.0, 120, Meter(4, 4))
    writer.add_output(0.5, [("/playbass", (40, 90))], Origin.LOOP)
    writer.add_output(1.1, [("/playbass", (40, 80))], Origin.LOOP)  # sent ahead of 1.0
    writer.add_output(1.0, [("/stopbass", (40, 0)), ("/panic", (1,))], Origin.CONTROL)
    writer.add_output(1.3, [("/stopbass", (40, 0))], Origin.LOOP)  # its own note-off
    notes = sorted(session_of(writer, tmp_path))
    assert [(t, round(s, 3), round(e, 3)) for t, s, e in notes] == [
        ("bass", 0.5, 1.0), ("bass", 1.1, 1.3)]


def test_a_source_outside_latin_1_is_escaped_in_the_track_name_and_kept_exactly(tmp_path):
    source = "Клавиши ü"  # Cyrillic (not Latin-1) and a Latin-1 letter
    writer = SessionWriter(ORIGIN, 120, Meter(4, 4))
    steps(writer, 100.5, 4, 0.125)
    writer.add_input(100.6, NOTE_ON, [60, 90, 0, source])
    path = tmp_path / "s.mid"
    path.write_bytes(writer.to_bytes())
    escaped = "".join(f"\\u{ord(c):04x}" for c in "Клавиши")
    names = [m.name for t in mido.MidiFile(path).tracks for m in t if m.type == "track_name"]
    assert f"input: {escaped} ü" in names  # readable, and each character recoverable
    session = read_session(path)
    assert [list(e.args) for e in session.inputs] == [[60, 90, 0, source]]
