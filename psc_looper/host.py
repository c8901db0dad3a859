"""The seam between the instrument and its features: what a feature may use, and how
it plugs in.

A feature (the drums, improv, songs, the session recorder, and the ones to come) is
built with its own settings and models, then attached once: ``Backend.attach(feature)``
calls ``feature.attach(host)``, where it registers its actions, its status line, its
hooks on the looper and, if it watches the input, an input watcher; at exit the
backend calls ``close`` on every attached feature, in attach order. Through ``Host`` a
feature sees only the looper's public methods, the action table, the clock and the
typed input events; it never imports ``psc_looper.app``. Features that need each other
are handed to each other at construction (songs gets the drums and improv features)
and call narrow methods, never attribute writes or scans.
"""

from __future__ import annotations

from typing import Protocol

from psc_looper.control.actions import ActionTable
from psc_looper.looper.engine import Looper
from psc_looper.osc.dispatcher import InputListener
from psc_looper.timing.clock import Clock


class Host(Protocol):
    """What an attached feature may use of the backend."""

    @property
    def looper(self) -> Looper: ...

    @property
    def actions(self) -> ActionTable: ...

    @property
    def clock(self) -> Clock: ...

    def watch_input(self, watcher: InputListener) -> None:
        """See every accepted input event (OSC server thread) before the backend acts on
        it; keep it quick: no I/O, no lock held long."""
        ...

    def press(self, action: str) -> bool:
        """Press the computer key bound to ``action`` (``ui.keys``, e.g. "record:bass"), as
        the status view does: validated, watched (a session records it), then run from
        the action table. False if no key has that action (nothing happens)."""
        ...


class Feature(Protocol):
    """What the backend asks of a feature."""

    def attach(self, host: Host) -> None:
        """Register actions, status line, hooks and watchers (once, before the start)."""
        ...

    def close(self) -> None:
        """Stop its threads and release its models (idempotent)."""
        ...
