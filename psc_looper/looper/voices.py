"""What is sounding now, so that every note started gets its note-off.

``Voices`` keeps each sounding (instrument, pitch) voice with the clock time it
sounds from, and the note-offs the loop has scheduled (by absolute step). A loop
voice sent ahead of its time is already "sounding" here; ``release_started`` frees
only what sounds by a given time (a panic while playing), so a voice scheduled for
later keeps its own note-off. ``HeldKeys`` remembers, for each key the pianist
holds, what that key made sound, so its release stops exactly that even if the
mode changed or the pitch was substituted. Not locked: the Looper owns both under
its lock.
"""

from __future__ import annotations

import heapq
from collections import deque
from itertools import count

from psc_looper.osc.protocol import Instrument

Voice = tuple[Instrument, int]


class Voices:
    def __init__(self) -> None:
        self._live: dict[int, tuple[Voice, float]] = {}  # voice id -> (voice, sounds from)
        self._by_voice: dict[Voice, deque[int]] = {}  # voice -> its ids, oldest first
        self._offs: list[tuple[int, int, float]] = []  # heap of (off step, voice id, delay)
        self._ids = count()

    def start(self, instrument: Instrument, pitch: int, off_step: int | None = None,
              at: float = float("-inf"), off_delay: float = 0.0) -> int:
        """A voice sounds from clock time ``at``; its note-off is due at ``off_step`` if given
        (``off_delay`` steps after it: a note played off its step keeps its length). Its id."""
        voice_id = next(self._ids)
        voice = (instrument, pitch)
        self._live[voice_id] = (voice, at)
        self._by_voice.setdefault(voice, deque()).append(voice_id)
        if off_step is not None:
            heapq.heappush(self._offs, (off_step, voice_id, off_delay))
        return voice_id

    def live(self, voice_id: int) -> bool:
        return voice_id in self._live

    def end(self, voice_id: int) -> bool:
        """The voice ``voice_id`` stops now; False if it no longer sounds (send nothing)."""
        if voice_id not in self._live:
            return False
        self._forget(voice_id)
        return True

    def stop(self, instrument: Instrument, pitch: int) -> bool:
        """The oldest voice of (instrument, pitch) stops; False if none sounds (send nothing)."""
        ids = self._by_voice.get((instrument, pitch))
        if not ids:
            return False
        self._forget(ids[0])
        return True

    def due_offs(self, step: int) -> list[tuple[Voice, float]]:
        """Pop the scheduled note-offs due at or before ``step`` whose voices still sound,
        each with its delay in steps after ``step``."""
        due = []
        while self._offs and self._offs[0][0] <= step:
            _, voice_id, delay = heapq.heappop(self._offs)
            if voice_id in self._live:
                due.append((self._forget(voice_id), delay))
        return due

    def release_all(self) -> list[Voice]:
        """Every sounding voice, once per voice; afterwards nothing sounds."""
        voices = [voice for voice, _ in self._live.values()]
        self._live.clear()
        self._by_voice.clear()
        self._offs.clear()
        return voices

    def release_at(self, step: int) -> None:
        """Every sounding voice gets its note-off at ``step`` (and no later one)."""
        self._offs = [(step, voice_id, 0.0) for voice_id in self._live]
        heapq.heapify(self._offs)

    def release_started(self, now: float) -> list[Voice]:
        """The voices sounding by ``now``; those scheduled after it keep their note-offs."""
        started = [i for i, (_, at) in self._live.items() if at <= now]
        return [self._forget(i) for i in started]

    def sounding(self) -> int:
        return len(self._live)

    def _forget(self, voice_id: int) -> Voice:
        voice, _ = self._live.pop(voice_id)
        ids = self._by_voice[voice]
        ids.remove(voice_id)
        if not ids:
            del self._by_voice[voice]
        return voice


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

    def release_every(self, key: KeyId) -> list[list[Voice]]:
        """Every press of ``key`` still held (oldest first); the key is then free."""
        return list(self._held.pop(key, ()))

    def clear(self) -> None:
        self._held.clear()

    def __len__(self) -> int:
        return sum(len(p) for p in self._held.values())
