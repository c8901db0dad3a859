"""A scripted MIDI clock leader for the virtual rig: pulses at a tempo (or a ramp),
with jitter, through the dispatcher as the bridge would send them."""

from __future__ import annotations

import random
from collections.abc import Callable

from psc_looper.osc.protocol import (
    CLOCK_CONTINUE,
    CLOCK_IN,
    CLOCK_PULSE,
    CLOCK_SONG_POSITION,
    CLOCK_START,
    CLOCK_STOP,
)
from psc_looper.rig import VirtualRig

DEVICE = "TR-8"


class ScriptedLeader:
    def __init__(self, rig: VirtualRig, qpm: float = 120.0, jitter: float = 0.0,
                 seed: int = 1) -> None:
        self.rig = rig
        self.qpm: float | Callable[[float], float] = qpm
        self.jitter = jitter
        self.random = random.Random(seed)
        self.t = rig.now  # the ideal time of the next pulse
        self.pulses = 0  # since the last start
        self.beat_times: list[float] = []  # ideal times of the beats since the start

    def period(self) -> float:
        qpm = self.qpm(self.t) if callable(self.qpm) else self.qpm
        return 60.0 / qpm / 24

    def byte(self, kind: int, value: int = 0) -> None:
        self.rig.send(CLOCK_IN, kind, value, DEVICE)

    def run(self, beats: float) -> None:
        """Send pulses for ``beats`` beats, the loop playing along."""
        for _ in range(round(beats * 24)):
            at = self.t + self.random.uniform(-self.jitter, self.jitter)
            self.rig.advance_to(max(at, self.rig.now))
            if self.pulses % 24 == 0:
                self.beat_times.append(self.t)
            self.byte(CLOCK_PULSE)
            self.pulses += 1
            self.t += self.period()

    def start(self) -> None:
        self.rig.advance_to(self.t - self.period() / 2)
        self.byte(CLOCK_START)
        self.pulses = 0
        self.beat_times = []

    def stop(self) -> None:
        self.byte(CLOCK_STOP)

    def cont(self, position: int) -> None:
        self.byte(CLOCK_SONG_POSITION, position)
        self.rig.advance_to(self.t - self.period() / 2)
        self.byte(CLOCK_CONTINUE)
        self.pulses = position * 6
        self.beat_times = []
