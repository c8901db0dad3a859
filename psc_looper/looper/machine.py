"""MachineLine: the machine's own notes (a traded phrase), queued by absolute step until
the loop plays them, and the voices they started, so that ending the phrase (the pianist
comes back, a stop, a panic) ends exactly those. Not locked: the Looper owns it under
its lock.
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
        self._started: dict[int, tuple[int, float]] = {}  # voice id -> (pitch, sounds from)

    def add(self, notes: Iterable[PhraseNote]) -> None:
        for note in notes:
            self._queue.setdefault(note.step, []).append(note)

    def due(self, step: int) -> list[PhraseNote]:
        """The queued notes starting at or before ``step`` (popped)."""
        late = [s for s in self._queue if s <= step]
        return [n for s in sorted(late) for n in self._queue.pop(s)]

    def started(self, voice_id: int, pitch: int, at: float) -> None:
        self._started[voice_id] = (pitch, at)

    def forget(self, live: Callable[[int], bool]) -> None:
        """Drop the voices that have ended (``live`` says which still sound)."""
        self._started = {i: v for i, v in self._started.items() if live(i)}

    def clear(self) -> list[tuple[int, int, float]]:
        """Drop the queue; the started voices as (voice id, pitch, sounds from)."""
        voices = [(i, pitch, at) for i, (pitch, at) in self._started.items()]
        self._queue.clear()
        self._started.clear()
        return voices

    @property
    def queued(self) -> int:
        return sum(len(notes) for notes in self._queue.values())
