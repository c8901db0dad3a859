"""Keys thru: the bridge sounds each key at once, as the looper would, so the key's
sound skips the round trip through the backend (a pass through sclang each way and a
wake-up of this process; ``python -m bench keysound`` measures both ways).

``KeysThru`` tells the bridge how keys sound now: ``/keys/thru instrument volume
[name ...]`` (the looper's ``key_route`` and the MIDI inputs listened to), at once
when that changes (its thread looks every ``POLL_SECONDS``) and every
``REFRESH_SECONDS`` anyway: the bridge forgets it when no word came for a while (a
restarted bridge knows nothing; a backend gone must not leave keys sounding without
their note-offs). An empty instrument stops it: while the machine picks the keys'
pitches (improv), and when the backend closes. The bridge sends each key it played
with what it played; the looper then sends that sound only to its listeners (the
session recorder), or, when its own choice differs (the route changed in between),
stops the bridge's voice and sounds its own.

Threads: its own thread reads the looper through ``key_route`` (locked) and sends;
``stop`` joins it.
"""

from __future__ import annotations

import threading

from psc_looper.looper.engine import Looper
from psc_looper.osc.ports import OscOut, OutputPort
from psc_looper.osc.protocol import KEYS_THRU

POLL_SECONDS = 0.01
REFRESH_SECONDS = 0.5  # the bridge drops the route after 2 s without a word (midi.scd)


class KeysThru:
    def __init__(self, looper: Looper, port: OutputPort, inputs: tuple[str, ...] = ()) -> None:
        """``inputs``: the MIDI input names listened to (``run --midi-in``; none: all)."""
        self.looper = looper
        self.port = port
        self.inputs = inputs
        self._quit = threading.Event()
        self._thread = threading.Thread(target=self._run, name="keys-thru", daemon=True)

    def message(self) -> OscOut:
        """The ``/keys/thru`` telling the bridge how keys sound now."""
        route = self.looper.key_route()
        if route is None:
            return (KEYS_THRU, ("", 0.0))
        instrument, volume = route
        return (KEYS_THRU, (instrument.value, float(volume), *self.inputs))

    def start(self) -> KeysThru:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop telling; the bridge leaves the keys to the backend from now on."""
        self._quit.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        self.port.send([(KEYS_THRU, ("", 0.0))])

    def _run(self) -> None:
        sent: OscOut | None = None
        ticks = round(REFRESH_SECONDS / POLL_SECONDS)
        tick = 0
        while not self._quit.wait(POLL_SECONDS):
            now = self.message()
            tick = (tick + 1) % ticks
            if now != sent or tick == 0:
                self.port.send([now])
                sent = now
