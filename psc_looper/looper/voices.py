"""What is sounding now, so that every note started gets its note-off.

``Voices`` counts sounding (instrument, pitch) voices and holds the note-offs the
loop has scheduled (by absolute step). ``HeldKeys`` remembers, for each key the
pianist holds, what that key made sound, so its release stops exactly that even if
the mode changed or the pitch was substituted. Not locked: the Looper owns both
under its lock.
"""

from __future__ import annotations

import heapq
from collections import Counter, deque
from itertools import count

from psc_looper.osc.protocol import Instrument

Voice = tuple[Instrument, int]


class Voices:
    def __init__(self) -> None:
        self._sounding: Counter[Voice] = Counter()
        self._offs: list[tuple[int, int, Instrument, int]] = []
        self._seq = count()

    def start(self, instrument: Instrument, pitch: int, off_step: int | None = None) -> None:
        """A voice starts; if ``off_step`` is given its note-off is due at that absolute step."""
        self._sounding[(instrument, pitch)] += 1
        if off_step is not None:
            heapq.heappush(self._offs, (off_step, next(self._seq), instrument, pitch))

    def stop(self, instrument: Instrument, pitch: int) -> bool:
        """A voice stops; False if none was sounding (nothing to send)."""
        voice = (instrument, pitch)
        if self._sounding[voice] <= 0:
            return False
        self._sounding[voice] -= 1
        if not self._sounding[voice]:
            del self._sounding[voice]
        return True

    def due_offs(self, step: int) -> list[Voice]:
        """Pop the scheduled note-offs due at or before ``step`` that still sound."""
        due = []
        while self._offs and self._offs[0][0] <= step:
            _, _, instrument, pitch = heapq.heappop(self._offs)
            if self.stop(instrument, pitch):
                due.append((instrument, pitch))
        return due

    def release_all(self) -> list[Voice]:
        """Every sounding voice, once per voice; afterwards nothing sounds."""
        voices = list(self._sounding.elements())
        self._sounding.clear()
        self._offs.clear()
        return voices

    def release_at(self, step: int) -> None:
        """Every sounding voice gets its note-off at ``step`` (and no later one)."""
        voices = list(self._sounding.elements())
        self._offs.clear()
        for instrument, pitch in voices:
            heapq.heappush(self._offs, (step, next(self._seq), instrument, pitch))

    def sounding(self) -> int:
        return sum(self._sounding.values())


KeyId = tuple[str, int]  # (MIDI source, note number)


class HeldKeys:
    """For each held key, a queue of what each press of it sounded (oldest first)."""

    def __init__(self) -> None:
        self._held: dict[KeyId, deque[list[Voice]]] = {}

    def press(self, key: KeyId, voices: list[Voice]) -> None:
        self._held.setdefault(key, deque()).append(voices)

    def release(self, key: KeyId) -> list[Voice]:
        presses = self._held.get(key)
        if not presses:
            return []
        voices = presses.popleft()
        if not presses:
            del self._held[key]
        return voices

    def clear(self) -> None:
        self._held.clear()

    def __len__(self) -> int:
        return sum(len(p) for p in self._held.values())
