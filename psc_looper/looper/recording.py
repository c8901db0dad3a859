"""Recording a bass or chord take: notes on the 16th grid with their feel, durations from
note-offs.

A take arms with the first note and covers from that note's quantized step to the
end of the loop it falls in. Positions are absolute steps (fractional while live),
so a note played just before the loop start rounds to the next loop's step 0.
``finish`` can be called while notes are still held (the loop starts playing the
take at its end while late notes may still round into it, onto step 0, unless the
take already has a step-0 note: a note is never doubled by the next loop's downbeat).
Each note keeps how far from its step it was played (``LoopNote.offset``, the feel),
unless the take is made with ``feel=False``.
A bass take keeps its lowest voice (of notes starting together, the lowest); a chords
take keeps every note. Pure data; the Looper owns the take under its lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from psc_looper.looper.notes import TRACK_INSTRUMENT, LoopNote, Track, feel_offset


def quantize(position: float) -> int:
    """Nearest 16th step (halves round up, so a note late by half a step moves on)."""
    return int(position + 0.5) if position >= 0 else -int(-position + 0.5)


def lowest_voice(notes: list[LoopNote]) -> list[LoopNote]:
    """The bass voice of a take: of the notes starting on the same step, the lowest."""
    lowest: dict[int, int] = {}
    for note in notes:
        lowest[note.onset] = min(note.pitch, lowest.get(note.onset, note.pitch))
    return [n for n in notes if n.pitch == lowest[n.onset]]


@dataclass
class Take:
    """A take in progress on ``track`` over absolute steps ``[start, end)``."""

    track: Track
    start: int
    end: int
    loop_start: int  # absolute step of the loop's step 0 that the take maps onto
    loop_steps: int
    overdub: bool = False  # the take adds a layer instead of replacing the track
    feel: bool = True  # notes keep their offsets from the grid
    notes: list[LoopNote] = field(default_factory=list)
    _held: dict[int, list[tuple[int, int, float]]] = field(default_factory=dict)

    def note_on(self, key: int, pitch: int, velocity: int, position: float) -> bool:
        """Start a note at fractional absolute step ``position``; False if outside the take,
        or if it rounds onto the take's end (the loop's step 0) where the take already has
        a note: that is the next loop's downbeat played along, never a doubled step 0."""
        step = quantize(position)
        if not self.start <= step <= self.end:
            return False
        if step == self.end and self._has_step_zero():
            return False
        self._held.setdefault(key, []).append((pitch, velocity, position))
        return True

    def _has_step_zero(self) -> bool:
        starts = [n.onset for n in self.notes]
        starts += [(quantize(began) - self.loop_start) % self.loop_steps
                   for presses in self._held.values() for _, _, began in presses]
        return 0 in starts

    def count(self) -> int:
        """Notes in the take so far (held ones too)."""
        return len(self.notes) + sum(len(presses) for presses in self._held.values())

    def note_off(self, key: int, position: float) -> None:
        held = self._held.get(key)
        if not held:
            return
        pitch, velocity, began = held.pop(0)
        self._add(pitch, velocity, began, position)

    def finish(self, until: float | None = None) -> list[LoopNote]:
        """The take's loop notes by onset, held notes closed at ``until`` (default: the
        take's end). Changes nothing: the take can go on."""
        close = float(self.end) if until is None else min(until, float(self.end))
        held = [
            self._note(pitch, velocity, began, close)
            for presses in self._held.values()
            for pitch, velocity, began in presses
        ]
        notes = sorted(self.notes + held)
        return lowest_voice(notes) if self.track is Track.BASS else notes

    def _add(self, pitch: int, velocity: int, began: float, ended: float) -> None:
        self.notes.append(self._note(pitch, velocity, began, ended))

    def _note(self, pitch: int, velocity: int, began: float, ended: float) -> LoopNote:
        start = quantize(began)
        # a note ends with the take, except one that rounded onto the take's end (step 0)
        limit = self.end if start < self.end else start + self.loop_steps
        onset = (start - self.loop_start) % self.loop_steps
        duration = max(1, min(quantize(ended), limit) - start)
        offset = feel_offset(began - start) if self.feel else 0.0
        return LoopNote(onset, self.track, TRACK_INSTRUMENT[self.track], pitch, velocity, duration,
                        offset)
