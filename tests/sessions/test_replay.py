"""Replays on the virtual clock: a recorded session plays the same again, foreign MIDI
files with a script, corrupt files refused, UDP replays delivered as the bridge sends."""

import socket

import mido
import pytest

from psc_looper.app import Backend, BackendConfig
from psc_looper.cli import main
from psc_looper.osc.capture import UdpCapture
from psc_looper.osc.events import wire
from psc_looper.osc.protocol import CC_EVENT, NOTE_OFF, NOTE_ON, READY
from psc_looper.osc.strict import Message
from psc_looper.rig import VirtualRig
from psc_looper.rig.replay import ReplayOptions, replay_config, replay_inputs, replay_udp
from psc_looper.rig.replay import replay_virtual as replay
from psc_looper.sc.client import SIM_ADDRESSES
from psc_looper.sessions.golden import golden_text
from psc_looper.sessions.reader import TimedInput, read_session
from psc_looper.sessions.recorder import Recorder
from psc_looper.timing.meter import Meter

PLAY, STOP, BASS, TAP, TEMPO_KNOB = 41, 42, 65, 32, 16


def perform(rig):
    """Tap a tempo, play, record a bass line between steps, listen, stop."""
    rig.advance(0.2)
    for _ in range(4):
        rig.press(TAP)
        rig.advance(0.45)
    rig.press(PLAY)
    rig.press(BASS)
    for k, pitch in enumerate((40, 43, 45, 47)):
        rig.advance_to_step(k * 8 + 0.3)
        rig.note_on(pitch, 80 + k)
        rig.advance_to_step(k * 8 + 5.6)
        rig.note_off(pitch)
    rig.cc(TEMPO_KNOB, 70)
    rig.advance_to_step(80.5)
    rig.press(STOP)
    rig.advance(0.5)


def test_a_recorded_session_replays_to_the_same_output(tmp_path):
    rig = VirtualRig()
    recorder = rig.backend.attach(Recorder(tmp_path / "live.mid"))
    perform(rig)
    rig.backend.close()
    recorder.close()
    recorded = read_session(tmp_path / "live.mid")
    config = replay_config(recorded, ReplayOptions())
    result = replay(replay_inputs(recorded, ReplayOptions(), config), config,
                    tmp_path / "again.mid", tail=0.5)
    replayed = read_session(tmp_path / "again.mid")
    assert golden_text(replayed) == golden_text(recorded)
    assert result.stats.notes["bass"] > 4 and result.stats.notes["pianist: bass"] == 4
    assert result.inputs == len(recorded.inputs) == 4 * 2 + 2 * 2 + 8 + 1 + 2
    assert sum(result.malformed.values()) == 0


def foreign_file(path, with_meter=True):
    """A plain type-1 piano file at 100 qpm in 3/4: notes on two channels, a pedal CC."""
    midi = mido.MidiFile(ticks_per_beat=480)
    meta = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=600_000)])
    if with_meter:
        meta.append(mido.MetaMessage("time_signature", numerator=3, denominator=4))
    piano = mido.MidiTrack()
    for k, (pitch, channel) in enumerate([(40, 0), (43, 3), (47, 0), (45, 3)]):
        piano.append(mido.Message("note_on", note=pitch, velocity=90, channel=channel,
                                  time=0 if k == 0 else 240))
        piano.append(mido.Message("note_off", note=pitch, channel=channel, time=240))
    piano.append(mido.Message("control_change", control=64, value=127, time=0))
    midi.tracks += [meta, piano]
    midi.save(path)
    return path


def test_a_foreign_file_with_a_script_records_its_notes_as_bass(tmp_path):
    session = read_session(foreign_file(tmp_path / "piano.mid"))
    assert not session.ours and session.ignored == 0  # the pedal CC is the keyboard's pedal
    assert session.inputs[-1].args == (64, 127, 0, "keyboard")
    first = [(40, 90, 0, "keyboard"), (40, 64, 0, "keyboard")]  # note_off's velocity: 64
    assert [e.args for e in session.inputs][:2] == first
    assert session.inputs[2].time == pytest.approx(0.6)  # beat 2 at 100 qpm
    options = ReplayOptions(script="play@0; bass@0-2bars; stop@4bars")
    config = replay_config(session, options)
    assert config.qpm == 100 and config.structure.meter == Meter(3, 4)
    result = replay(replay_inputs(session, options, config), config, tmp_path / "out.mid")
    output = read_session(tmp_path / "out.mid")
    step = 0.15  # seconds per 16th at 100 qpm
    bass = sorted((output.tempo.time_of(n.start), n.pitch)
                  for n in output.notes if n.track == "bass")
    start = output.tempo.time_of(output.markers[0][0])  # "play": the loop's step 0
    assert start == pytest.approx(config.lookahead + 0.01, abs=1e-3)  # = the file's time 0
    # the next loop (24 steps on) plays the line recorded on the file's beats
    assert [p for _, p in bass[:4]] == [40, 43, 47, 45]
    assert [round((t - start) / step, 2) for t, _ in bass[:4]] == [24, 28, 32, 36]
    assert result.stats.notes["pianist: bass"] == 4


@pytest.mark.parametrize("content", [
    b"",
    b"hello, this is not MIDI\n",
    b"MThd\x00\x00\x00\x06\x00\x01\x00\x02\x01\xe0MTrk\x00\x00\x00\x40\x00\x90",  # cut short
    b"MThd\x00\x00\x00\x06\x00\x00\x00\x01\x01\xe0MTrk\x00\x00\x00\x04\x00\x90\xff\x10",
])
def test_corrupt_files_are_refused_with_a_clear_error(tmp_path, capsys, content):
    path = tmp_path / "bad.mid"
    path.write_bytes(content)
    assert main(["replay", str(path), "--out", str(tmp_path / "o.mid")]) == 2
    error = capsys.readouterr().err
    assert "bad.mid: not a readable MIDI file" in error
    assert not (tmp_path / "o.mid").exists()


def test_missing_file_bad_script_and_bad_target_exit_non_zero(tmp_path, capsys):
    assert main(["replay", str(tmp_path / "nope.mid")]) == 2
    assert "not a readable MIDI file" in capsys.readouterr().err
    piano = foreign_file(tmp_path / "piano.mid")
    assert main(["replay", str(piano), "--script", "dance@0"]) == 2
    assert "no controller binding for 'dance'" in capsys.readouterr().err
    assert main(["replay", str(piano), "--udp", "localhost"]) == 2
    assert "HOST:PORT" in capsys.readouterr().err


def test_the_command_prints_a_summary_and_writes_output_and_picture(tmp_path, capsys):
    piano = foreign_file(tmp_path / "piano.mid", with_meter=False)
    out, png = tmp_path / "o.mid", tmp_path / "o.png"
    assert main(["replay", str(piano), "--script", "play@0", "--seed", "3", "--out", str(out),
                 "--png", str(png), "--no-models"]) == 0
    text = capsys.readouterr().out
    assert "events in: 11" in text  # 8 notes + the pedal + play pressed and released
    assert "notes out:" in text and "pianist 4" in text and "malformed events: 0" in text
    assert read_session(out).ours and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_udp_replay_delivers_the_same_messages(tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    backend = Backend(BackendConfig(listen_port=port, bridge_port=port + 1))
    got = []
    backend.watch_input(lambda event: got.append(wire(event)))
    backend.start()
    try:
        events = [TimedInput(0.01 * k, NOTE_ON, (60 + k, 90, 1, "Piano")) for k in range(5)]
        assert replay_udp(events, "127.0.0.1", port) == 5
        deadline = backend.clock.now() + 2
        while len(got) < 5 and backend.clock.now() < deadline:
            backend.clock.sleep_until(backend.clock.now() + 0.01)
    finally:
        backend.close()
    assert got == [Message(NOTE_ON, (60 + k, 90, 1, "Piano")) for k in range(5)]


def test_bridge_replay_sends_simulated_midi_and_leaves_out_the_rest():
    events = [TimedInput(0.0, NOTE_ON, (60, 90, 0, "keyboard")),
              TimedInput(0.01, READY, (57120,)),
              TimedInput(0.02, CC_EVENT, (41, 127, 0, "nanoKONTROL2")),
              TimedInput(0.03, NOTE_OFF, (60, 0, 0, "keyboard"))]
    bridge = UdpCapture()
    try:
        assert replay_udp(events, "127.0.0.1", bridge.port, rename=SIM_ADDRESSES) == 3
        got = bridge.wait_for("/sim/noteoff", timeout=2) and bridge.received
    finally:
        bridge.close()
    assert [(r.address, r.args) for r in got] == [
        ("/sim/noteon", (60, 90, 0, "keyboard")), ("/sim/cc", (41, 127, 0, "nanoKONTROL2")),
        ("/sim/noteoff", (60, 0, 0, "keyboard"))]
