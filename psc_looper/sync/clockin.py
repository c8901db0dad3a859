"""MIDI clock in: an external clock leads the loop's tempo, phase and transport.

``ClockIn`` watches the clock bytes of one device (the bridge forwards them as
``/clockin``) and is a ``follow.Leader``: a line fitted through the last beat of
pulses gives the tempo and where the leader's grid is at any time. Start plays the
loop (its first pulse is the leader's step 0), Continue plays it from the song
position last given, Stop stops it. While the loop plays, ``on_step`` lets the
``Follower`` bend the loop onto the leader's grid. A leader silent for
``LOST_SECONDS`` leaves the loop at its last tempo, with one status line.

Bad input changes nothing but a line in the status view: a tempo outside the loop's
range is clamped, a pulse far too early is dropped, a Start while playing or a
Continue or song position out of place is ignored. Each problem is reported once
until the clock is good again.

Threads: ``on_event`` runs on the OSC server thread, ``on_step`` on the transport
thread; ``_lock`` guards everything below it. The looper is called outside it.
"""

from __future__ import annotations

import threading

from psc_looper.looper.engine import Looper
from psc_looper.osc.events import ClockByte, InputEvent
from psc_looper.osc.protocol import (
    CLOCK_CONTINUE,
    CLOCK_PULSE,
    CLOCK_SONG_POSITION,
    CLOCK_START,
    CLOCK_STOP,
)
from psc_looper.sync.follow import PULSES_PER_STEP, PulseFit, clamp_qpm
from psc_looper.sync.steering import Follower
from psc_looper.timing.clock import Clock

LOST_SECONDS = 0.5  # no pulse for this long: the leader is gone (20 pulses at 40 qpm)


class ClockIn:
    def __init__(self, device: str, looper: Looper, clock: Clock) -> None:
        self.device = device
        self._looper = looper
        self._clock = clock
        self.follower = Follower(looper)
        self._lock = threading.Lock()
        # --- guarded by _lock ---
        self._fit = PulseFit()
        self._zero: tuple[int, int] | None = None  # (pulse index, leader step) at the start
        self._position = 0  # the last song position, in steps
        self._lost = True
        self._reported: set[str] = set()
        self._pending: list[str] = []
        self._pulses = 0  # since the last tempo set while stopped
        self.active = True  # False: another source leads (a song's ``sync``); bytes ignored

    def matches(self, source: str) -> bool:
        return self.device.lower() in source.lower()

    # ------------------------------------------------------------------ input
    def on_event(self, event: InputEvent) -> None:
        """A clock byte from the bridge (OSC thread)."""
        if isinstance(event, ClockByte) and self.active and self.matches(event.source):
            self.on_byte(event.kind, event.value, self._clock.now())

    def on_byte(self, kind: int, value: int, t: float) -> None:
        """Take one clock byte received at ``t`` and act on the loop (outside the lock)."""
        playing = self._looper.next_due() is not None
        act = None
        with self._lock:
            if kind == CLOCK_PULSE:
                act = self._pulse(t, playing)
            elif kind in (CLOCK_START, CLOCK_CONTINUE):
                name = "start" if kind == CLOCK_START else "continue"
                if playing:
                    self._report(name, f"clock-in: {name} while playing ignored")
                else:
                    step = 0 if kind == CLOCK_START else self._position
                    self._zero = (self._next_index(), step)
                    act = "play"
            elif kind == CLOCK_STOP:
                self._zero = None
                act = "stop" if playing else None
            elif kind == CLOCK_SONG_POSITION:
                if playing:
                    self._report("position", "clock-in: song position while playing ignored")
                else:
                    self._position = value
        if act == "play":
            self.follower.realign()
            self._looper.play()
        elif act == "stop":
            self._looper.stop()
        elif act == "tempo":
            qpm = self.qpm
            if qpm is not None:
                self._looper.set_qpm(round(qpm, 1))
        self._flush()

    def _pulse(self, t: float, playing: bool) -> str | None:
        last = self._fit.last
        if last is not None and t - last[1] > LOST_SECONDS:
            self._fit.reset()  # back after a silence: its tempo may be new
        dropped = self._fit.add(t)
        if dropped is not None:
            self._report("early", f"clock-in: {dropped}")
            return None
        if self._lost and self._fit.qpm is not None:
            self._lost = False
            self._reported.discard("lost")
            self._pending.append(f"clock-in: {self.device} leads")
            self.follower.realign()
        self._check_range()
        self._pulses += 1
        if not playing and self._pulses >= PULSES_PER_STEP * 4:
            self._pulses = 0
            return "tempo"  # stopped: the loop's tempo follows, ready for a start
        return None

    def _next_index(self) -> int:
        last = self._fit.last
        return 0 if last is None else last[0] + 1

    def _check_range(self) -> None:
        qpm = self._fit.qpm
        if qpm is not None and clamp_qpm(qpm) != qpm:
            self._report("range", f"clock-in: {qpm:.0f} qpm is out of range, "
                                  f"clamped to {clamp_qpm(qpm):g}")
        else:
            self._reported.discard("range")

    def _report(self, kind: str, line: str) -> None:
        if kind not in self._reported:
            self._reported.add(kind)
            self._pending.append(line)

    def _flush(self) -> None:
        with self._lock:
            lines, self._pending = self._pending, []
        for line in lines:
            self._looper.warn(line)

    # ------------------------------------------------------------------ leader
    @property
    def qpm(self) -> float | None:
        with self._lock:
            qpm = self._fit.qpm
        return None if qpm is None else clamp_qpm(qpm)

    def step_at(self, t: float) -> float | None:
        with self._lock:
            index = self._fit.index_at(t)
            if index is None or self._zero is None or self._lost:
                return None
            start_index, start_step = self._zero
            return start_step + (index - start_index) / PULSES_PER_STEP

    def on_step(self, step: int, position: int, at: float) -> None:
        """After each step sent (transport thread): follow, or notice a lost leader."""
        if not self.active:
            return
        now = self._clock.now()
        with self._lock:
            last = self._fit.last
            gone = not self._lost and (last is None or now - last[1] > LOST_SECONDS)
            fitted = self._fit.qpm
            if gone:
                self._lost = True
                held = f"{clamp_qpm(fitted):.1f} qpm" if fitted else "its tempo"
                self._report("lost", f"clock-in: {self.device} stopped sending clock; "
                                     f"the loop keeps {held}")
        if gone:
            if fitted is not None:
                self._looper.set_qpm(round(clamp_qpm(fitted), 1))
        else:
            self.follower.on_step(self, step)
        self._flush()

    def describe(self) -> str:
        with self._lock:
            lost, started = self._lost, self._zero is not None
        qpm = self.qpm
        if lost:
            return f"clock-in {self.device}: no clock (the loop leads)"
        phase = self.follower.phase_error
        text = f"clock-in {self.device} leads at {qpm:.1f} qpm"
        if started and phase is not None:
            text += f", phase {phase * 1000:+.1f} ms"
        return text
