"""The sustain pedal (keyboard.toml CC64): released keys sound on until it lifts; a re-struck
key restarts cleanly; takes record the sustained durations; panic forgets the pedal's notes."""

from psc_looper.looper.notes import Track
from psc_looper.looper.sustain import Sustain
from psc_looper.osc.protocol import CC_EVENT
from psc_looper.rig import VirtualRig
from tests.helpers import plays, unmatched_notes

SUSTAIN, PLAY, PANIC, BASS_REC = 64, 41, 46, 65


def pedal(rig, value):
    rig.send(CC_EVENT, SUSTAIN, value, 0, rig.source)  # from the keyboard, not the nanoKONTROL2


def stops(rig, pitch):
    return [s for s in rig.sent if s.address == "/stopwurly" and s.args[0] == pitch]


def test_a_key_released_under_the_pedal_sounds_until_the_pedal_lifts():
    rig = VirtualRig()
    pedal(rig, 127)
    rig.note_on(60)
    rig.advance(0.2)
    rig.note_off(60)
    rig.advance(1.0)
    assert stops(rig, 60) == [] and rig.looper.snapshot().sounding == 1
    pedal(rig, 0)
    assert [s.sent for s in stops(rig, 60)] == [rig.now]
    assert not unmatched_notes(rig.sent)


def test_without_the_pedal_a_release_stops_at_once_and_a_held_key_outlives_a_lift():
    rig = VirtualRig()
    rig.note_on(60)
    rig.advance(0.2)
    rig.note_off(60)
    assert len(stops(rig, 60)) == 1
    pedal(rig, 127)
    rig.note_on(62)
    pedal(rig, 0)  # the key is still down: it keeps sounding
    assert stops(rig, 62) == []
    rig.note_off(62)
    assert len(stops(rig, 62)) == 1
    assert not unmatched_notes(rig.sent)


def test_a_restruck_sustained_key_restarts_cleanly_never_doubled():
    rig = VirtualRig()
    pedal(rig, 127)
    for _ in range(3):
        rig.note_on(60)
        rig.advance(0.1)
        rig.note_off(60)
        rig.advance(0.1)
        assert rig.looper.snapshot().sounding == 1  # one voice of 60 at a time
    addresses = [s.address for s in rig.sent if s.args and s.args[0] == 60]
    assert addresses == ["/playwurly", "/stopwurly", "/playwurly", "/stopwurly", "/playwurly"]
    pedal(rig, 0)
    assert not unmatched_notes(rig.sent) and rig.looper.snapshot().sounding == 0


def test_half_pedal_values_follow_the_midi_convention():
    rig = VirtualRig()
    pedal(rig, 70)
    rig.note_on(60)
    rig.note_off(60)
    assert stops(rig, 60) == []
    pedal(rig, 40)
    assert len(stops(rig, 60)) == 1


def test_a_take_records_the_sustained_duration():
    rig = VirtualRig()
    rig.press(PLAY)
    rig.press(BASS_REC)
    rig.advance_to_step(0.1)
    pedal(rig, 127)
    rig.note_on(40)
    rig.advance_to_step(1.0)
    rig.note_off(40)  # a 1-step touch, held by the pedal ...
    rig.advance_to_step(6.0)
    pedal(rig, 0)  # ... to step 6
    rig.advance_to_step(8.0)
    rig.note_on(43)
    rig.advance_to_step(10.0)
    rig.note_off(43)  # no pedal: 2 steps
    rig.advance_to_step(41)
    notes = [(n.onset, n.pitch, n.duration) for n in rig.looper.track_notes(Track.BASS)]
    assert notes == [(0, 40, 6), (8, 43, 2)]
    assert len(plays(rig.sent, "bass")) == 2 + 2  # the take as played, then the loop
    first_stop = next(s for s in rig.sent if s.address == "/stopbass")
    assert first_stop.sent == rig.step_time(6)  # the sound ended with the pedal


def test_panic_ends_the_sustained_notes_and_the_lift_then_sends_nothing():
    rig = VirtualRig()
    pedal(rig, 127)
    rig.note_on(60)
    rig.note_off(60)
    rig.press(PANIC)
    assert len(stops(rig, 60)) == 1
    count = len(rig.sent)
    pedal(rig, 0)
    assert len(rig.sent) == count and not unmatched_notes(rig.sent)


def test_sustain_bookkeeping_alone():
    sustain = Sustain()
    assert not sustain.keep(("k", 60), [])
    sustain.press()
    assert sustain.keep(("k", 60), [("wurly", 60)])  # type: ignore[list-item]
    assert sustain.sustained() == 1
    assert sustain.restrike(("k", 60)) == [[("wurly", 60)]]
    assert sustain.restrike(("k", 60)) == []
    assert sustain.lift() == {} and not sustain.down
