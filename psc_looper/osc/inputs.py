"""Which MIDI sources the backend listens to (``run --midi-in NAME``, repeatable).

A key or control from a source no name matches (case-insensitive, part of the source's
device name) is dropped before anything sees it: not played, not recorded, counted per
source for the status view. With no names every source is taken. The sources given as
``always`` (the computer keys) and events with no source (a local OSC tool) pass; MIDI
clock follows ``--clock-in``.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence

from psc_looper.osc.events import ControlChange, InputEvent, NoteOff, NoteOn

SOURCES_COUNTED = 16  # ignored sources kept by name (more are counted as "other")


class MidiInputs:
    """Owns the ignored-source counts under its own lock (server thread writes, status
    view reads)."""

    def __init__(self, names: Sequence[str] = (), always: Sequence[str] = ()) -> None:
        """``always``: sources that pass whatever the names (the computer keys)."""
        self.names = tuple(n.lower() for n in names)
        self.always = ("", *always)
        self._shown = tuple(names)
        self._lock = threading.Lock()
        self._ignored: Counter[str] = Counter()

    def admits(self, event: InputEvent) -> bool:
        """False for a key or control from a source not chosen (counted)."""
        if not self.names or not isinstance(event, NoteOn | NoteOff | ControlChange):
            return True
        source = event.source
        if source in self.always or any(n in source.lower() for n in self.names):
            return True
        with self._lock:
            key = source if source in self._ignored or len(self._ignored) < SOURCES_COUNTED \
                else "other"
            self._ignored[key] += 1
        return False

    def ignored(self) -> dict[str, int]:
        with self._lock:
            return dict(self._ignored)

    def describe(self) -> str:
        """'Keystation, nanoKONTROL2 (ignored: Launchkey 12)'."""
        ignored = self.ignored()
        text = ", ".join(self._shown)
        if ignored:
            text += " (ignored: " + ", ".join(f"{s} {n}" for s, n in ignored.items()) + ")"
        return text
