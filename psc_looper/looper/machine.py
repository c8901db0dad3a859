"""MachineLine: the machine's own notes (a traded phrase), queued by absolute step until
the loop plays them, and the voices they started with the clock time each is to stop,
so that ending the phrase (the pianist comes back, a stop, a panic) ends exactly those.
A voice's note-off is not sent ahead with the loop's steps but at its time (``due_offs``,
the Looper wakes for ``next_off``): so a yield can still stop it at once. Not locked:
the Looper owns it under its lock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class PhraseNote:
    """One note of the machine's phrase: it sounds at absolute ``step`` for ``duration``."""

    step: int
    pitch: int
    velocity: int = 80
    duration: int = 1


class MachineLine:
    def __init__(self) -> None:
        self._queue: dict[int, list[PhraseNote]] = {}  # step -> notes starting there
        # voice id -> (pitch, sounds from, stops at): clock times
        self._started: dict[int, tuple[int, float, float]] = {}

    def add(self, notes: Iterable[PhraseNote]) -> None:
        for note in notes:
            self._queue.setdefault(note.step, []).append(note)

    def due(self, step: int) -> list[PhraseNote]:
        """The queued notes starting at or before ``step`` (popped)."""
        late = [s for s in self._queue if s <= step]
        return [n for s in sorted(late) for n in self._queue.pop(s)]

    def started(self, voice_id: int, pitch: int, at: float, off: float) -> None:
        self._started[voice_id] = (pitch, at, off)

    def next_off(self) -> float | None:
        """The clock time of the next note-off due (None: none)."""
        return min((off for _, _, off in self._started.values()), default=None)

    def due_offs(self, now: float) -> list[tuple[int, int]]:
        """The voices whose note-off is due by ``now`` (popped): (voice id, pitch)."""
        due = [(i, pitch) for i, (pitch, _, off) in self._started.items() if off <= now]
        for voice_id, _ in due:
            del self._started[voice_id]
        return due

    def forget(self, live: Callable[[int], bool]) -> None:
        """Drop the voices that have ended (``live`` says which still sound)."""
        self._started = {i: v for i, v in self._started.items() if live(i)}

    def clear(self) -> list[tuple[int, int, float]]:
        """Drop the queue; the started voices as (voice id, pitch, sounds from)."""
        voices = [(i, pitch, at) for i, (pitch, at, _) in self._started.items()]
        self._queue.clear()
        self._started.clear()
        return voices

    @property
    def queued(self) -> int:
        return sum(len(notes) for notes in self._queue.values())
