"""``SyncFeature``: playing with others, plugged in through ``host.Feature``.

Builds what the options ask for (``clockout.ClockOut``, ``clockin.ClockIn``, later a
Link session), hooks them on the looper's steps and the input events, and shows one
status line: who leads, and the phase error. It never reaches into the engine: the
loop is led only through ``Looper.set_qpm``/``play``/``stop``.
"""

from __future__ import annotations

from psc_looper.host import Host
from psc_looper.looper.engine import Looper
from psc_looper.osc.events import BridgeReady, InputEvent
from psc_looper.osc.ports import OutputPort
from psc_looper.sync.clockin import ClockIn
from psc_looper.sync.clockout import ClockOut
from psc_looper.sync.link import LinkSession
from psc_looper.sync.options import SyncOptions, SyncSource


class SyncFeature:
    def __init__(self, options: SyncOptions, port: OutputPort, timed: bool = True) -> None:
        self.options = options
        self._port = port
        self._timed = timed
        self.clock_out: ClockOut | None = None
        self.clock_in: ClockIn | None = None
        self.link: LinkSession | None = None
        self._looper: Looper | None = None
        self.source = SyncSource.NONE  # who leads now

    def attach(self, host: Host) -> None:
        looper, options = host.looper, self.options
        if options.clock_in:
            self.clock_in = ClockIn(options.clock_in, looper, host.clock)
            looper.add_step_listener(self.clock_in.on_step)
        if options.link:
            link = self.link = LinkSession(looper, host.clock)
            looper.add_step_listener(link.on_step)
            host.actions.register("play", lambda _arg, _value: link.play())
            host.actions.register("stop", lambda _arg, _value: link.stop())
            host.actions.register("toggle_play", lambda _arg, _value: link.toggle_play())
        if options.clock_out:
            self.clock_out = ClockOut(options.clock_out, self._port, host.clock, self._timed)
            self.clock_out.attach(looper)
            host.actions.register("clock_resync", lambda _arg, _value: self._resync())
        host.watch_input(self._on_input)
        looper.add_status("sync", self.describe)
        self._looper = looper
        self.select(None)

    def select(self, source: SyncSource | None) -> None:
        """Who leads (a song's or set list's ``sync``; None: the command line's choice,
        Link before clock-in). A source the command line did not open stays closed,
        with one line: a song file never opens a network port or a device by itself."""
        available = {SyncSource.NONE: True, SyncSource.LINK: self.link is not None,
                     SyncSource.CLOCK_IN: self.clock_in is not None}
        if source is None:
            source = next(s for s in (SyncSource.LINK, SyncSource.CLOCK_IN, SyncSource.NONE)
                          if available[s])
        if not available[source]:
            flag = "--link" if source is SyncSource.LINK else "--clock-in DEVICE"
            if self._looper is not None:
                self._looper.warn(f'sync = "{source}" needs {flag} on the command line; '
                                  f"{self.source} leads")
            return
        self.source = source
        if self.clock_in is not None:
            self.clock_in.active = source is SyncSource.CLOCK_IN
        if self.link is not None and self.link.active != (source is SyncSource.LINK):
            self.link.active = source is SyncSource.LINK

    def _on_input(self, event: InputEvent) -> None:
        if self.clock_in is not None:
            self.clock_in.on_event(event)
        if isinstance(event, BridgeReady) and self.clock_out is not None:
            self.clock_out.open_device()

    def _resync(self) -> None:
        if self.clock_out is not None:
            self.clock_out.resync()

    def describe(self) -> str:
        if self.source is SyncSource.LINK and self.link is not None:
            parts = [self.link.describe()]
        elif self.source is SyncSource.CLOCK_IN and self.clock_in is not None:
            parts = [self.clock_in.describe()]
        else:
            parts = ["the loop leads"]
        if self.clock_out is not None:
            parts.append(f"clock out to {self.clock_out.device}")
        return "; ".join(parts)

    def close(self) -> None:
        if self.link is not None:
            self.link.close()
        if self.clock_out is not None:
            self.clock_out.close()
