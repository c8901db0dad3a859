"""The send order, deterministically: a step's batch held up in the output port is never
overtaken by a stop's note-offs (the timing-free twin of ``test_ordering``).

Only public Looper methods: the output blocks the step's batch inside ``send`` until
the test lets it go, while another thread stops the loop.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from psc_looper.looper.engine import Looper
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.osc.ports import OscOut
from psc_looper.osc.protocol import PANIC_ADDRESS, Instrument
from psc_looper.timing.clock import VirtualClock

WAIT = 5.0  # seconds: only a hang ever waits this long
OVERTAKE_WINDOW = 0.5  # seconds a stop gets to overtake the held step (a correct one never does)


class HeldOutput:
    """Records each batch as it leaves; the first time-tagged batch (a loop step) is held
    inside ``send`` until ``release`` is set."""

    def __init__(self) -> None:
        self.sent: list[tuple[list[OscOut], float | None]] = []
        self.step_held = threading.Event()
        self.release = threading.Event()
        self.untimed_sent = threading.Event()
        self._lock = threading.Lock()
        self._held_once = False

    def send(self, messages: Sequence[OscOut], at: float | None = None) -> None:
        if at is not None and not self._held_once:
            self._held_once = True
            self.step_held.set()
            assert self.release.wait(WAIT), "the held step was never released"
        with self._lock:
            self.sent.append((list(messages), at))
        if at is None:
            self.untimed_sent.set()


def test_a_stop_waits_for_the_step_batch_being_sent() -> None:
    output = HeldOutput()
    looper = Looper(VirtualClock(), output)
    bass = LoopNote(0, Track.BASS, Instrument.BASS, 40, 90, 2)
    looper.replace_track(Track.BASS, [bass])
    looper.play()
    due = looper.next_due()
    assert due is not None
    step = threading.Thread(target=looper.tick, args=(due[0],))
    step.start()
    assert output.step_held.wait(WAIT)  # the step's voices are on, its batch not yet out
    stop = threading.Thread(target=looper.stop)
    stop.start()
    # A stop that does not wait sends its note-offs now, ahead of the held note-ons.
    overtaken = output.untimed_sent.wait(OVERTAKE_WINDOW)
    output.release.set()
    step.join(WAIT)
    stop.join(WAIT)
    assert not step.is_alive() and not stop.is_alive()
    assert not overtaken, "the stop's batch left while the step's was still being sent"
    (step_batch, step_at), (stop_batch, stop_at) = output.sent
    assert step_at is not None and ("/playbass", (40, 90)) in step_batch
    assert stop_at is None and ("/stopbass", (40, 0)) in stop_batch
    assert stop_batch[-1][0] == PANIC_ADDRESS
