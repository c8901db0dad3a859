"""Plain MIDI files replayed as a pianist's performance: piano channels, drums left out,
the sustain pedal kept, what is ignored named once, files that cannot be timed refused."""

import argparse

import mido
import pytest

from psc_looper.cli import main
from psc_looper.commands.replay import bundles_from
from psc_looper.osc.protocol import CC_EVENT, NOTE_ON
from psc_looper.sessions.foreign import ChannelError, parse_channels
from psc_looper.sessions.reader import SessionFileError, read_session
from tests.helpers import improv_labelled_bundle


def band_file(path, programs=None, type0=False):
    """Piano on channels 1 and 2, bass on 3, drums on 10; a pedal, a bend, a volume CC,
    a tempo change and a meter change."""
    events = [(0, mido.MetaMessage("set_tempo", tempo=500_000)),
              (0, mido.MetaMessage("time_signature", numerator=4, denominator=4)),
              (960, mido.MetaMessage("set_tempo", tempo=600_000)),
              (1920, mido.MetaMessage("time_signature", numerator=3, denominator=4))]
    for channel, program in (programs or {}).items():
        events.append((0, mido.Message("program_change", channel=channel, program=program)))
    for k, (channel, pitch) in enumerate([(0, 72), (1, 48), (2, 36), (9, 42), (0, 74)]):
        events.append((k * 240, mido.Message("note_on", channel=channel, note=pitch,
                                             velocity=80)))
        events.append((k * 240 + 200, mido.Message("note_off", channel=channel, note=pitch)))
    events += [(10, mido.Message("control_change", channel=0, control=64, value=127)),
               (1000, mido.Message("control_change", channel=0, control=64, value=0)),
               (20, mido.Message("pitchwheel", channel=0, pitch=300)),
               (30, mido.Message("control_change", channel=1, control=7, value=90)),
               (40, mido.Message("control_change", channel=9, control=64, value=127))]
    midi = mido.MidiFile(type=0 if type0 else 1, ticks_per_beat=480)
    groups = [events] if type0 else [[e for e in events if e[1].is_meta],
                                     [e for e in events if not e[1].is_meta]]
    for group in groups:
        track, now = mido.MidiTrack(), 0
        for tick, message in sorted(group, key=lambda e: e[0]):
            track.append(message.copy(time=tick - now))
            now = tick
        midi.tracks.append(track)
    midi.save(path)
    return path


def keys_of(session):
    return [(e.args[2], e.args[0]) for e in session.inputs
            if e.address == NOTE_ON and e.args[1] > 0]


@pytest.mark.parametrize("type0", [False, True])
def test_drums_are_left_out_and_the_pedal_is_kept(tmp_path, type0):
    session = read_session(band_file(tmp_path / "band.mid", type0=type0))
    assert keys_of(session) == [(0, 72), (1, 48), (2, 36), (0, 74)]
    pedal = [e.args for e in session.inputs if e.address == CC_EVENT]
    assert pedal == [(64, 127, 0, "keyboard"), (64, 0, 0, "keyboard")]
    text = "\n".join(session.notices)
    assert "channel 10: 1 notes left out, drums" in text
    assert "pitch bends (the keys have none): 1 ignored" in text
    assert "controller CC 7" in text and "events on channels left out: 1" in text
    assert session.ignored == 3


def test_tempo_and_meter_changes_are_named_once_and_the_notes_keep_their_times(tmp_path):
    session = read_session(band_file(tmp_path / "band.mid"))
    tempo = [n for n in session.notices if n.startswith("tempo changes")]
    meter = [n for n in session.notices if n.startswith("meter changes")]
    assert tempo == ["tempo changes: 1 (120 to 100..120 qpm): the notes keep their times, "
                     "the loop keeps 120 qpm"]
    assert meter == ["meter changes: 1 (4/4 -> 3/4): the loop keeps 4/4"]
    last = [e for e in session.inputs if e.address == NOTE_ON][-1]
    lift = [e for e in session.inputs if e.address == CC_EVENT][-1]
    assert last.time == pytest.approx(1.0)  # tick 960 at 120 qpm
    assert lift.time == pytest.approx(1.05)  # 40 ticks more at 100 qpm


def test_piano_programs_choose_the_channels_unless_told(tmp_path):
    path = band_file(tmp_path / "band.mid", programs={0: 0, 1: 4, 2: 33})
    session = read_session(path)
    assert keys_of(session) == [(0, 72), (1, 48), (0, 74)]
    assert any(n.startswith("channel 3, program 33: 1 notes left out, not a piano program")
               for n in session.notices)
    told = read_session(path, parse_channels("3,10"))
    assert keys_of(told) == [(2, 36), (9, 42)]


@pytest.mark.parametrize("text", ["0", "17", "1,x", ""])
def test_bad_channels_are_refused(text):
    with pytest.raises(ChannelError, match=r"1\.\.16"):
        parse_channels(text)


def _header(division):
    return (b"MThd\x00\x00\x00\x06\x00\x00\x00\x01" + division.to_bytes(2, "big")
            + b"MTrk\x00\x00\x00\x0c\x00\x90\x3c\x50\x60\x80\x3c\x00\x00\xff\x2f\x00")


@pytest.mark.parametrize(("content", "words"), [
    (_header(0), "division 0"),
    (_header(0xE728), "SMPTE"),
    (_header(480)[:-5], "truncated"),
])
def test_files_that_cannot_be_timed_are_one_line(tmp_path, capsys, content, words):
    path = tmp_path / "bad.mid"
    path.write_bytes(content)
    with pytest.raises(SessionFileError, match=words):
        read_session(path)
    assert main(["replay", str(path), "--no-models", "--out", str(tmp_path / "o.mid")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err


def test_a_zero_tempo_is_one_line(tmp_path, capsys):
    midi = mido.MidiFile(ticks_per_beat=480)
    midi.tracks.append(mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=0, time=10),
                                       mido.Message("note_on", note=60, velocity=80)]))
    midi.save(tmp_path / "t0.mid")
    assert main(["replay", str(tmp_path / "t0.mid"), "--no-models"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a tempo of 0" in err and "tick 10" in err


def test_replay_loads_the_shipped_models_unless_told_not_to(tmp_path):
    def args(*extra):
        parsed = argparse.Namespace(no_models=False, melody_bundle=None, drums_bundle=None,
                                    improv_bundle=None)
        for key, value in extra:
            setattr(parsed, key, value)
        return parsed

    shipped = bundles_from(args())
    assert shipped.melody is not None and shipped.melody.name == "melody.mag"
    assert shipped.drums is not None and shipped.drums.name == "drums.mag"
    assert bundles_from(args(("no_models", True))).melody is None
    own = tmp_path / "own.mag"
    assert bundles_from(args(("melody_bundle", own))).melody == own
    assert bundles_from(args(("improv_bundle", own))).improv == own
    assert bundles_from(args(("no_models", True), ("improv_bundle", own))).improv is None
    improv = improv_labelled_bundle(tmp_path / "jazz.mag")  # answers over the chords itself
    assert bundles_from(args(("melody_bundle", improv))).improv is None


def test_the_command_prints_what_it_left_out(tmp_path, capsys):
    path = band_file(tmp_path / "band.mid")
    assert main(["replay", str(path), "--no-models", "--out", str(tmp_path / "o.mid")]) == 0
    out = capsys.readouterr().out
    assert "models: none (--no-models)" in out
    assert "left out or changed: channel 10: 1 notes left out, drums" in out
    assert "left out or changed: tempo changes: 1" in out
