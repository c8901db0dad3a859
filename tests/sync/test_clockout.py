"""MIDI clock out on the virtual clock: 24 pulses a quarter on the loop's grid,
Start on the downbeat, Stop with the loop, a tempo change followed without a gap."""

import time

import numpy as np

from psc_looper.app import Backend, BackendConfig
from psc_looper.looper.notes import Track
from psc_looper.osc.ports import CaptureOutput
from psc_looper.osc.protocol import CLOCK_DEVICE
from psc_looper.rig import VirtualRig
from psc_looper.sync import SyncOptions
from psc_looper.timing.clock import RealClock

PULSE, START, STOP = "/clock/pulse", "/clock/start", "/clock/stop"


def rig_with_clock_out(**config) -> VirtualRig:
    return VirtualRig(BackendConfig(sync=SyncOptions(clock_out="TR-8"), **config))


def clock_bytes(rig: VirtualRig) -> list:
    return [s for s in rig.sent if s.address.startswith("/clock/") and s.address != CLOCK_DEVICE]


def test_pulses_are_time_tagged_24_a_quarter_from_the_downbeat():
    rig = rig_with_clock_out(qpm=120)
    assert rig.sent[0].address == CLOCK_DEVICE and rig.sent[0].args == ("TR-8",)
    rig.looper.play()
    rig.advance_to_step(16)
    sent = clock_bytes(rig)
    assert sent[0].address == START and sent[0].at == rig.step_time(0)
    pulses = np.array([s.at for s in sent if s.address == PULSE])
    assert pulses[0] == rig.step_time(0)
    assert len(pulses) >= 15 * 6
    assert np.allclose(np.diff(pulses), 0.5 / 24)
    assert all(s.sent <= s.at for s in sent)  # ahead of time, like loop events


def test_a_tempo_change_bends_the_pulses_at_the_next_unsent_step():
    rig = rig_with_clock_out(qpm=120)
    rig.looper.play()
    rig.advance_to_step(8)
    rig.looper.set_qpm(90)
    rig.advance_to_step(40)
    pulses = np.array([s.at for s in clock_bytes(rig) if s.address == PULSE])
    gaps = np.diff(pulses)
    assert np.isclose(gaps.min(), 0.5 / 24) and np.isclose(gaps.max(), 60 / 90 / 24)
    assert set(np.round(gaps * 1e6)) == {round(0.5 / 24 * 1e6), round(60 / 90 / 24 * 1e6)}


def test_stop_sends_stop_and_a_count_in_starts_the_follower_on_the_downbeat():
    rig = rig_with_clock_out(qpm=120)
    rig.looper.toggle_count_in()
    rig.looper.record(Track.BASS)  # a take is counted in
    rig.looper.play()
    assert rig.looper.next_due()[0] == -16
    rig.advance_to_step(-2)
    assert clock_bytes(rig) == []  # counting in: the follower waits
    rig.advance_to(rig.step_time(0) + 0.01)
    first = clock_bytes(rig)[0]
    assert first.address == START and first.at == rig.step_time(0)
    rig.looper.stop()
    assert clock_bytes(rig)[-1].address == STOP and clock_bytes(rig)[-1].at is None
    rig.looper.stop()  # already stopped: no second Stop
    assert [s.address for s in clock_bytes(rig)].count(STOP) == 1


def test_resync_sends_song_position_and_continue_at_the_next_step():
    rig = rig_with_clock_out(qpm=120)
    rig.looper.play()
    rig.advance_to_step(5)
    rig.backend.actions.run("clock_resync", None, 127)  # a button on the controller
    rig.advance_to_step(7)
    sent = clock_bytes(rig)
    position = next(s for s in sent if s.address == "/clock/position")
    assert position.args == (int(rig.looper.schedule.step_at(position.at) + 0.5),)
    following = sent[sent.index(position) + 1]
    assert following.address == "/clock/continue" and following.at == position.at


def test_untimed_the_pulses_are_sent_plain_at_their_time():
    clock = RealClock()
    output = CaptureOutput(clock)
    backend = Backend(BackendConfig(timed=False, qpm=120, sync=SyncOptions(clock_out="TR-8")),
                      clock, output)
    backend.transport.start()
    try:
        backend.looper.play()
        time.sleep(0.6)
        backend.looper.stop()
        time.sleep(0.05)
    finally:
        backend.close()
    sent = [s for s in output.sent if s.address in (PULSE, START, STOP)]
    assert [s.address for s in sent[:2]] == [START, PULSE] and sent[-1].address == STOP
    assert all(s.at is None for s in sent)  # plain messages...
    pulses = [s.sent for s in sent if s.address == PULSE]
    assert 15 <= len(pulses) <= 30  # ...paced at 48 a second (about 0.5 s of play)
    assert min(np.diff(pulses)) > 0.5 / 24 / 2  # not sent in a burst
