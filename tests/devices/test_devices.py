"""Choosing devices: the MIDI sources listened to, JACK's rate and period, the take
latency offset, and ``psc-looper devices``."""

import pytest

from psc_looper.app import BackendConfig
from psc_looper.cli import build_parser, main
from psc_looper.commands import devices
from psc_looper.commands.devices import midi_ports, report, sound_cards
from psc_looper.looper.notes import Track
from psc_looper.osc.protocol import NOTE_ON
from psc_looper.rig import VirtualRig
from psc_looper.sc import launcher
from psc_looper.sc.jack import DUMMY_ARGS, with_rate
from psc_looper.ui.status import render

CLIENTS = '''Client info
  cur  clients : 4
Client   0 : "System" [Kernel]
  Port   0 : "Timer" (R-e-)
Client  14 : "Midi Through" [Kernel]
  Port   0 : "Midi Through Port-0" (RWe-)
Client  24 : "Keystation 49" [Kernel]
  Port   0 : "Keystation 49 MIDI 1" (R-e-)
Client  28 : "nanoKONTROL2" [Kernel]
  Port   0 : "nanoKONTROL2 MIDI 1" (RWeX)
'''
CARDS = ''' 0 [PCH            ]: HDA-Intel - HDA Intel PCH
                      HDA Intel PCH at 0xf7f10000 irq 31
 1 [Scarlett       ]: USB-Audio - Scarlett 2i2 USB
'''


def test_only_the_chosen_midi_sources_are_heard():
    rig = VirtualRig(BackendConfig(midi_inputs=("keystation",)), source="Keystation 49 MIDI 1")
    rig.note_on(60)
    assert [s.args for s in rig.sent if s.address.startswith("/play")] == [(60, 100)]
    for _ in range(3):
        rig.send(NOTE_ON, 62, 100, 0, "Launchkey Mini")
    rig.press(41)  # the nanoKONTROL2's play: not chosen either
    assert len([s for s in rig.sent if s.address.startswith("/play")]) == 1
    assert not rig.looper.snapshot().playing
    rig.backend.actions.run("toggle_play", None, 127)  # the computer keys always pass
    assert rig.backend.dispatcher.malformed_counts() == {}  # ignored, not malformed
    assert "midi in: keystation (ignored: Launchkey Mini 3, nanoKONTROL2 2)" in render(
        rig.looper.snapshot())


def test_every_source_is_heard_by_default():
    rig = VirtualRig()
    rig.send(NOTE_ON, 62, 100, 0, "Launchkey Mini")
    assert len([s for s in rig.sent if s.address.startswith("/play")]) == 1
    assert "midi in" not in render(rig.looper.snapshot())


@pytest.mark.parametrize(("offset", "onset"), [(0.0, 5), (100.0, 4)])
def test_the_take_offset_reads_each_key_earlier(offset, onset):
    rig = VirtualRig(BackendConfig(take_offset_ms=offset))
    rig.backend.actions.run("record", "bass", 127)
    rig.backend.actions.run("play", None, 127)
    rig.advance_to_step(4.6)  # 120 qpm: a step is 125 ms, the offset 0.8 of one
    rig.note_on(40)
    rig.advance_to_step(8)
    rig.note_off(40)
    rig.advance_to_step(33)
    assert [n.onset for n in rig.looper.track_notes(Track.BASS)] == [onset]


def test_a_bad_take_offset_is_one_line_and_changes_nothing():
    rig = VirtualRig()
    rig.looper.set_take_offset(2.0)
    assert rig.looper.snapshot().warnings[-1] == "take offset must be 0..500 ms, not 2000"


@pytest.mark.parametrize(("option", "value", "said"), [
    ("--period", "100", "want a power of two from 16 to 4096"),
    ("--sample-rate", "12345", "want one of 22050"),
    ("--take-offset-ms", "-5", "want milliseconds, 0..500"),
])
def test_bad_device_options_are_one_line(capsys, option, value, said):
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--no-sc", "--no-models", option, value])
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert said in err[-1] and option in err[-1]


def test_jack_takes_the_rate_and_period_asked_for():
    assert with_rate(DUMMY_ARGS, 44100, 64) == ("--realtime", "-d", "dummy", "-r", "44100",
                                                "-p", "64")
    assert with_rate(("-d", "alsa"), 48000, 128) == ("-d", "alsa", "-r", "48000", "-p", "128")


def test_devices_lists_midi_ports_and_sound_cards(tmp_path):
    (tmp_path / "seq").mkdir()
    (tmp_path / "seq" / "clients").write_text(CLIENTS)
    (tmp_path / "cards").write_text(CARDS)
    ports = midi_ports(tmp_path)
    assert [(p.name, p.readable, p.writable) for p in ports] == [
        ("Keystation 49: Keystation 49 MIDI 1", True, False),
        ("nanoKONTROL2: nanoKONTROL2 MIDI 1", True, True)]
    assert sound_cards(tmp_path) == ["0 [PCH]: HDA-Intel - HDA Intel PCH",
                                     "1 [Scarlett]: USB-Audio - Scarlett 2i2 USB"]
    lines = report(tmp_path)
    outputs = lines.index("MIDI outputs (run --midi-out NAME, --clock-out NAME):")
    assert lines[1:outputs] == ["  Keystation 49: Keystation 49 MIDI 1",
                                "  nanoKONTROL2: nanoKONTROL2 MIDI 1"]
    assert lines[outputs + 1] == "  nanoKONTROL2: nanoKONTROL2 MIDI 1"
    assert "none found" in report(tmp_path / "nothing")[1]


@pytest.fixture
def machine(tmp_path, monkeypatch):
    """A machine with two sound cards (ALSA's card list), as ``devices`` reads it."""
    (tmp_path / "cards").write_text(CARDS)
    monkeypatch.setattr(devices, "ASOUND", tmp_path)
    return tmp_path


@pytest.mark.parametrize(("name", "args"), [
    ("scarlett", ("-d", "alsa", "-d", "hw:Scarlett", "-r", "48000", "-p", "256")),
    ("HDA Intel", ("-d", "alsa", "-d", "hw:PCH", "-r", "48000", "-p", "256")),
    ("Dummy", DUMMY_ARGS),
])
def test_the_audio_device_is_chosen_by_a_part_of_its_name(machine, name, args):
    parsed = build_parser().parse_args(["run", "--audio-device", name])
    assert parsed.jack_args == args
    assert with_rate(parsed.jack_args, 44100, 64)[-4:] == ("-r", "44100", "-p", "64")


@pytest.mark.parametrize(("name", "said"), [
    ("Launchpad", "'Launchpad': no such audio device (psc-looper devices lists them: "
                  "PCH, Scarlett, dummy)"),
    (" - ", "' - ' names 2 audio devices (PCH, Scarlett): say which"),
])
def test_an_unknown_audio_device_is_one_line_and_starts_nothing(machine, capsys, monkeypatch,
                                                                name, said):
    monkeypatch.setattr(launcher, "Bridge", None)  # starting one would fail loudly
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--no-models", "--audio-device", name])
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and err.strip().splitlines()[-1].endswith(said)
    assert "--audio-device" in err.strip().splitlines()[-1]


def test_devices_lists_the_dummy_as_an_audio_device(machine):
    lines = report(machine)
    audio = next(i for i, line in enumerate(lines) if line.startswith("audio devices"))
    assert lines[audio + 1:audio + 4] == [
        "  0 [PCH]: HDA-Intel - HDA Intel PCH", "  1 [Scarlett]: USB-Audio - Scarlett 2i2 USB",
        "  dummy: JACK's dummy driver (no sound card: silent, keeps time)"]
