"""Keys thru: the bridge sounds a key at once as the looper would; the looper then only
tells its listeners, or corrects a stale guess; ``KeysThru`` says how keys sound now."""

from psc_looper.app import BackendConfig
from psc_looper.cli import build_parser
from psc_looper.commands.run import config_from
from psc_looper.looper.notes import TRACK_INSTRUMENT, Track
from psc_looper.looper.thru import KeysThru
from psc_looper.osc.events import NoteOn, event_of
from psc_looper.osc.protocol import KEY_INSTRUMENTS, KEYS_THRU, NOTE_OFF, NOTE_ON
from psc_looper.osc.strict import Message
from psc_looper.rig import VirtualRig


def heard(rig: VirtualRig) -> list:
    told = []
    rig.looper.add_output_listener(lambda out, at, origin: told.extend(out))
    return told


def test_a_key_the_bridge_played_is_only_told_to_the_listeners():
    rig = VirtualRig()
    told = heard(rig)
    rig.send(NOTE_ON, 60, 100, 0, "keyboard", "wurly", 100)
    assert [s.address for s in rig.sent] == []  # nothing sent: it sounds already
    assert told == [("/playwurly", (60, 100))]  # the session still records it
    rig.note_off(60)
    assert [(s.address, s.args) for s in rig.sent] == [("/stopwurly", (60, 0))]


def test_a_stale_guess_is_stopped_and_the_key_sounded_as_the_looper_says():
    rig = VirtualRig()
    rig.backend.actions.run("record", "bass", 127)  # keys play the bass now
    rig.looper.set_volume(Track.BASS, 0.5)
    told = heard(rig)
    rig.send(NOTE_ON, 40, 100, 0, "keyboard", "wurly", 100)
    assert [(s.address, s.args) for s in rig.sent] == [("/stopwurly", (40, 0)),
                                                        ("/playbass", (40, 50))]
    assert told == [("/playbass", (40, 50))]  # the session saw no wurly begin


def test_the_bridges_rounding_of_the_velocity_counts_as_the_same_sound():
    rig = VirtualRig()
    rig.looper.set_volume(Track.IMPROV, 0.5)
    rig.send(NOTE_ON, 60, 101, 0, "keyboard", "wurly", 51)  # 50.5: sclang rounds up
    assert rig.sent == []


def test_the_route_follows_the_mode_the_volume_and_the_inputs():
    rig = VirtualRig()
    thru = KeysThru(rig.looper, rig.output, ("keystation",))
    assert thru.message() == (KEYS_THRU, ("wurly", 1.0, "keystation"))
    rig.backend.actions.run("record", "chords", 127)
    rig.looper.set_volume(Track.CHORDS, 0.25)
    assert thru.message() == (KEYS_THRU, ("chords", 0.25, "keystation"))


def test_while_the_machine_picks_the_pitches_the_bridge_leaves_the_keys_alone():
    rig = VirtualRig()
    thru = KeysThru(rig.looper, rig.output)
    rig.backend.actions.run("mode", "improv", 127)
    assert thru.message() == (KEYS_THRU, ("wurly", 1.0))  # no machine: keys play through
    rig.looper.set_key_hook(object())  # type: ignore[arg-type]
    assert thru.message() == (KEYS_THRU, ("", 0.0))


def test_stopping_tells_the_bridge_to_leave_the_keys_to_the_backend():
    rig = VirtualRig()
    KeysThru(rig.looper, rig.output).stop()
    assert [(s.address, s.args) for s in rig.sent] == [(KEYS_THRU, ("", 0.0))]


def test_what_the_bridge_played_is_not_part_of_the_key_as_recorded():
    event = event_of(Message(NOTE_ON, (60, 100, 0, "kb", "wurly", 90)))
    assert isinstance(event, NoteOn) and event.played == ("wurly", 90)
    assert event.message == Message(NOTE_ON, (60, 100, 0, "kb"))


def test_run_turns_keys_thru_on_unless_asked_not_to():
    parser = build_parser()
    assert config_from(parser.parse_args(["run", "--no-models"])).keys_thru
    assert not config_from(parser.parse_args(["run", "--no-models", "--no-keys-thru"])).keys_thru
    assert not BackendConfig().keys_thru


def test_every_instrument_a_key_sounds_as_may_come_back_as_played():
    assert set(TRACK_INSTRUMENT.values()) == KEY_INSTRUMENTS


def test_a_forged_already_played_key_leaves_nothing_hanging():
    rig = VirtualRig()  # a local process claims the bridge played a key it never did
    rig.send(NOTE_ON, 60, 100, 0, "forger", "wurly", 100)
    assert rig.sent == []
    rig.send(NOTE_OFF, 60, 0, 0, "forger")  # its release (or a panic) ends it all the same
    assert [(s.address, s.args) for s in rig.sent] == [("/stopwurly", (60, 0))]
    rig.sent.clear()
    rig.send(NOTE_ON, 61, 100, 0, "forger", "wurly", 100)
    rig.backend.actions.run("panic", None, 127)
    assert ("/stopwurly", (61, 0)) in [(s.address, s.args) for s in rig.sent]
