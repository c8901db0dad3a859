"""Stop and panic against a fast loop over real UDP: nothing they release sounds on.

The backend runs on the real clock with its OSC server; a stand-in bridge
(``UdpCapture``) receives what it sends and keeps its voices as the bridge does:
``/play`` starts a voice at the bundle's time tag, ``/stop`` ends the oldest one of
that note, a bare ``/panic`` ends everything (and drops what is scheduled), ``/panic 1``
ends what sounds by its arrival. Sends of loop steps are delayed by up to 2 ms (a
descheduled loop thread), the window in which a stop used to overtake a step.
"""

from __future__ import annotations

import random
import socket
import time
from collections import defaultdict

from pythonosc.osc_message_builder import build_msg

from psc_looper.app import Backend, BackendConfig
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.osc.capture import Received, UdpCapture
from psc_looper.osc.ports import UdpOutput
from psc_looper.osc.protocol import CC_EVENT, Instrument
from psc_looper.sc.procs import free_udp_port
from psc_looper.timing.clock import RealClock

PLAY, STOP, PANIC = 41, 42, 46  # nanoKONTROL2 default map


class DescheduledOutput(UdpOutput):
    """A UDP output whose loop steps leave up to 2 ms after they were built."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._random = random.Random(15)

    def send(self, messages, at=None) -> None:  # type: ignore[no-untyped-def]
        if at is not None:
            time.sleep(self._random.uniform(0, 0.002))
        super().send(messages, at)


def bridge_voices(received: list[Received]) -> tuple[dict[tuple[str, int], list[float]], float]:
    """The voices a bridge would still hold after ``received``; and the last /panic's arrival."""
    voices: dict[tuple[str, int], list[float]] = defaultdict(list)
    last_panic = 0.0
    for r in received:
        sounds = r.timetag if r.timetag is not None else r.wall
        if r.address.startswith("/play"):
            voices[(r.address[5:], r.args[0])].append(sounds)
        elif r.address.startswith("/stop") and voices[(r.address[5:], r.args[0])]:
            voices[(r.address[5:], r.args[0])].pop(0)
        elif r.address == "/panic":
            last_panic = r.wall
            for key, starts in voices.items():
                voices[key] = [s for s in starts if r.args and s > r.wall]
    return {k: v for k, v in voices.items() if v}, last_panic


def overtaking_plays(received: list[Received], lookahead: float) -> list[Received]:
    """Loop notes built before a stop but arriving after its ``/panic``: the loop after a
    stop restarts no earlier than ``lookahead`` + 10 ms later, so a note due sooner
    belongs to the stopped run, and no note-off will ever come for it."""
    stale, panic = [], None
    for r in received:
        if r.address == "/panic" and not r.args:
            panic = r.wall
        elif (r.address.startswith("/play") and panic is not None and r.timetag is not None
              and r.timetag < panic + lookahead + 0.005):
            stale.append(r)
    return stale


def test_stop_and_panic_hammered_against_a_fast_loop_leave_no_orphaned_voice() -> None:
    bridge = UdpCapture()
    clock = RealClock()
    config = BackendConfig(listen_port=free_udp_port(), bridge_port=bridge.port, qpm=300)
    backend = Backend(config, clock, DescheduledOutput("127.0.0.1", bridge.port, clock))
    loop = [LoopNote(s, Track.BASS, Instrument.BASS, 36 + s % 5, 90, 2) for s in range(32)]
    loop += [LoopNote(s, Track.CHORDS, Instrument.CHORDS, 60 + s % 7, 70, 3)
             for s in range(0, 32, 2)]
    backend.looper.replace_track(Track.BASS, [n for n in loop if n.track is Track.BASS])
    backend.looper.replace_track(Track.CHORDS, [n for n in loop if n.track is Track.CHORDS])
    backend.start()
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    chooser = random.Random(11)

    def press(cc: int) -> None:
        for value in (127, 0):
            message = build_msg(CC_EVENT, [cc, value, 0, "nanoKONTROL2"])
            sender.sendto(message.dgram, ("127.0.0.1", config.listen_port))

    try:
        press(PLAY)
        deadline = time.monotonic() + 4.0
        presses = 0
        while time.monotonic() < deadline:
            press(chooser.choice((STOP, PANIC, PANIC, PLAY, PLAY)))
            presses += 1
            time.sleep(chooser.uniform(0.001, 0.02))
        press(PLAY)
        time.sleep(1.5)  # the loop plays on: every legitimate voice ends within 0.15 s
        checked = time.time()
        held, _ = bridge_voices(bridge.received)
        orphans = {k: [round(checked - s, 2) for s in v if s < checked - 0.5]
                   for k, v in held.items()}
        assert {k: v for k, v in orphans.items() if v} == {}
        assert overtaking_plays(bridge.received, backend.looper.lookahead) == []
        assert backend.looper.snapshot().playing and held  # the loop does sound
        press(STOP)
        time.sleep(0.3)
        held, last_panic = bridge_voices(bridge.received)
        assert held == {}
        assert not [r for r in bridge.received if r.wall > last_panic]
        assert presses > 200
        panics = [r for r in bridge.received if r.address == "/panic"]
        assert {r.args for r in panics} == {(), (1,)}  # both kinds were exercised
    finally:
        sender.close()
        backend.close()
        bridge.close()
