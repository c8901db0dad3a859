"""MIDI clock out: 24 pulses a quarter, start and stop, through the bridge's MIDI out.

Owns whether the follower (a drum machine, a DAW) runs. Each step the loop sends
brings its six pulses, spread evenly to the next step's time and time-tagged like
the loop's events (the next step's time no longer moves once a step is sent: a tempo
change re-anchors at the next unsent step). Start goes with the first pulse of the
loop's first step (after any count-in), so the follower starts on the downbeat; the
loop's stop sends Stop at once. ``resync`` sends the song position of the next step
and Continue, for a follower that joins while the loop plays. Untimed (``--untimed``)
the pulses are sent at their time by a pacing thread instead.

Threads: ``on_step`` runs on the transport thread, ``on_output`` on whichever thread
stopped the loop; ``_lock`` guards ``_running`` and ``_resync``.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence

from psc_looper.looper.engine import Looper, Origin
from psc_looper.osc.ports import OscOut, OutputPort
from psc_looper.osc.protocol import (
    CLOCK_CONTINUE,
    CLOCK_DEVICE,
    CLOCK_OUT_ADDRESSES,
    CLOCK_PULSE,
    CLOCK_SONG_POSITION,
    CLOCK_START,
    CLOCK_STOP,
    PANIC_ADDRESS,
)
from psc_looper.sync.follow import PULSES_PER_STEP
from psc_looper.timing.clock import Clock

Batch = tuple[list[OscOut], float | None]


def loop_stopped(messages: Sequence[OscOut], origin: Origin) -> bool:
    """Whether an output batch is the loop's stop (its bare ``/panic``; a panic while
    playing carries ``1``)."""
    return origin is Origin.CONTROL and any(
        address == PANIC_ADDRESS and not args for address, args in messages)


def _byte(kind: int, *args: int) -> OscOut:
    return (CLOCK_OUT_ADDRESSES[kind], tuple(args))


class ClockOut:
    """MIDI clock for the bridge's clock output ``device``."""

    def __init__(self, device: str, port: OutputPort, clock: Clock, timed: bool = True) -> None:
        self.device = device
        self._port = port
        self._clock = clock
        self._looper: Looper | None = None
        self._lock = threading.Lock()
        self._running = False
        self._resync = False
        self._pacer = None if timed else _Pacer(port, clock)

    def attach(self, looper: Looper) -> None:
        self._looper = looper
        looper.add_step_listener(self.on_step)
        looper.add_output_listener(self.on_output)
        self.open_device()

    def open_device(self) -> None:
        """Tell the bridge where the clock goes (again after it restarts: idempotent)."""
        self._port.send([(CLOCK_DEVICE, (self.device,))])

    def resync(self) -> None:
        """Song position and Continue at the next step (a follower joining mid-loop)."""
        with self._lock:
            self._resync = self._running

    @property
    def running(self) -> bool:
        with self._lock:
            return self._running

    def on_step(self, step: int, position: int, at: float) -> None:
        assert self._looper is not None
        end = self._looper.schedule.time_of(step + 1)  # fixed once ``step`` is sent
        first: list[OscOut] = []
        with self._lock:
            if not self._running:
                if position != 0:
                    return  # a count-in: the follower starts on the loop's downbeat
                self._running = True
                first.append(_byte(CLOCK_START))
            elif self._resync:
                self._resync = False
                first += [_byte(CLOCK_SONG_POSITION, position), _byte(CLOCK_CONTINUE)]
        width = (end - at) / PULSES_PER_STEP
        batches: list[Batch] = [([*first, _byte(CLOCK_PULSE)], at)]
        batches += [([_byte(CLOCK_PULSE)], at + i * width) for i in range(1, PULSES_PER_STEP)]
        self._emit(batches)

    def on_output(self, messages: Sequence[OscOut], at: float | None, origin: Origin) -> None:
        """The loop stopped: the follower stops too."""
        if not loop_stopped(messages, origin):
            return
        with self._lock:
            running, self._running = self._running, False
        if not running:
            return
        if self._pacer is not None:
            self._pacer.cancel_with([_byte(CLOCK_STOP)])  # no pulse waiting goes after it
        else:
            self._port.send([_byte(CLOCK_STOP)])

    def _emit(self, batches: list[Batch]) -> None:
        if self._pacer is not None:
            self._pacer.put(batches)
            return
        for messages, at in batches:
            self._port.send(messages, at)

    def close(self) -> None:
        if self._pacer is not None:
            self._pacer.close()


class _Pacer:
    """Untimed: sends each batch plain at its time, from its own thread."""

    def __init__(self, port: OutputPort, clock: Clock) -> None:
        self._port, self._clock = port, clock
        self._queue: queue.Queue[tuple[int, list[Batch]] | None] = queue.Queue()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._generation = 0  # guarded by _lock; cancel() moves it on
        self._thread = threading.Thread(target=self._run, name="clock-out", daemon=True)
        self._thread.start()

    def put(self, batches: list[Batch]) -> None:
        with self._lock:
            self._queue.put((self._generation, batches))

    def cancel_with(self, messages: list[OscOut]) -> None:
        """Drop every batch queued or waiting and send ``messages`` now (the stop)."""
        with self._lock:
            self._generation += 1
            self._port.send(messages)

    def _send(self, generation: int, messages: list[OscOut]) -> bool:
        """Send unless cancelled since (False); under the lock, so nothing follows a stop."""
        with self._lock:
            if generation != self._generation:
                return False
            self._port.send(messages)
            return True

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            generation, batches = item
            for messages, at in batches:
                if at is not None and not self._clock.sleep_until(at, self._stop):
                    return
                if not self._send(generation, messages):
                    break

    def close(self) -> None:
        self._stop.set()
        self._queue.put(None)
        self._thread.join(timeout=1)
