"""MIDI-learn: press a control, then name its action; the result is a controller map TOML.

``Learner`` is fed ``/ccevent`` messages (the OSC server thread) and the performer's
answers (the command's thread); its state is guarded by ``_lock``. A control is a
button if it only ever sent 0 and values >= 64 while learning, else continuous.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import tomli_w

from psc_looper.control.catalogue import check_action
from psc_looper.control.knobs import PRESSED
from psc_looper.osc.events import ControlChange


@dataclass
class Control:
    cc: int
    channel: int
    source: str
    values: set[int] = field(default_factory=set)

    @property
    def continuous(self) -> bool:
        return any(0 < v < PRESSED or PRESSED <= v < 127 for v in self.values)


class Learner:
    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._touched = threading.Condition(self._lock)
        # --- guarded by _lock ---
        self._pending: list[int] = []  # controls moved and not yet asked about, oldest first
        self._seen: dict[int, Control] = {}
        self._bindings: dict[int, tuple[str, bool]] = {}  # cc -> (action, continuous)
        self._source = ""
        self._channels: set[int] = set()

    def cc(self, event: ControlChange) -> None:
        """A control moved (OSC server thread)."""
        cc = event.cc
        with self._touched:
            control = self._seen.setdefault(cc, Control(cc, event.channel, event.source))
            control.values.add(event.value)
            if not self._pending or self._pending[-1] != cc:
                self._pending.append(cc)
            self._touched.notify_all()

    def wait_control(self, timeout: float | None = None) -> Control | None:
        """The next control moved and not yet asked about (None on timeout)."""
        with self._touched:
            if not self._touched.wait_for(lambda: self._pending, timeout):
                return None
            return self._seen[self._pending.pop(0)]

    def settle(self, control: Control) -> None:
        """Forget the moves of ``control`` still pending (a knob sends many)."""
        with self._lock:
            self._pending = [cc for cc in self._pending if cc != control.cc]

    def assign(self, control: Control, action: str) -> None:
        """Bind ``control`` to ``action`` (ValueError naming what is wrong)."""
        check_action(action, control.continuous)
        with self._lock:
            self._bindings[control.cc] = (action, control.continuous)
            self._source = self._source or control.source
            self._channels.add(control.channel)

    def bound(self) -> int:
        """How many controls are bound."""
        with self._lock:
            return len(self._bindings)

    def to_toml(self) -> str:
        with self._lock:
            channel = next(iter(self._channels)) if len(self._channels) == 1 else -1
            data = {
                "name": self.name,
                "source": self._source,
                "channel": channel,
                "buttons": {str(cc): a for cc, (a, cont) in sorted(self._bindings.items())
                            if not cont},
                "continuous": {str(cc): a for cc, (a, cont) in sorted(self._bindings.items())
                               if cont},
            }
        return "# Written by psc-looper maps --learn\n" + tomli_w.dumps(data)
