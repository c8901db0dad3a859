"""Hands: which of the pianist's keys are the melody and which the accompaniment.

Decided per key as it arrives (the note path cannot wait for the rest of a chord):

- ``split = "auto"`` (default): the register of each hand is tracked, the melody's
  and the accompaniment's as moving averages of their recent keys; a key nearer the
  melody's register than the accompaniment's is melody. Before any accompaniment
  has been heard, the keys are one line (as in the original). A key under
  ``BASS_FLOOR`` (a bass note), or more than an octave under the melody's last note
  while other keys are down (a left-hand voicing under a held melody), is
  accompaniment.
- ``split = N`` (a MIDI note): keys at or above N are melody, as on a split keyboard.
- ``split = "none"``: every key is melody (one line, the original behaviour).

``Hands`` also remembers the top of the accompaniment that sounds now, the floor
the machine's substitutes stay above. Not locked: the improv feature owns it under
its lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SMOOTHING = 0.25  # weight of a new key in its hand's moving average
BASS_FLOOR = 43  # G2: lower keys are the bass, whatever the registers say
ACCOMPANIMENT_MEMORY_STEPS = 4.0  # an accompaniment key counts as sounding this long after it


class SplitError(ValueError):
    """A split setting that is neither ``auto``, ``none`` nor a MIDI note."""


def parse_split(value: str) -> int | None:
    """``"auto"`` -> -1, ``"none"`` -> None, a note ``"0".."127"`` -> that note."""
    if value == "auto":
        return -1
    if value == "none":
        return None
    if value.isdigit() and 0 <= int(value) <= 127:
        return int(value)
    raise SplitError(f"split must be auto, none or a MIDI note 0..127, not {value!r}")


@dataclass
class Hands:
    split: int | None = -1  # -1: auto (register tracking); None: all melody; N: fixed
    melody_register: float | None = None  # from the first melody key on
    accompaniment_register: float | None = None  # unknown until the left hand plays
    _last_melody: int | None = None
    _accompaniment: dict[int, float] = field(default_factory=dict)  # key -> last sounding step

    def is_melody(self, note: int, position: float, others_down: int) -> bool:
        """Classify a key pressed at ``position`` while ``others_down`` keys are down."""
        if self.split is None:
            return True
        if self.split >= 0:
            melody = note >= self.split
        elif note < BASS_FLOOR or (others_down and self._last_melody is not None
                                   and note < self._last_melody - 12):
            melody = False
        elif self.melody_register is None or self.accompaniment_register is None:
            melody = True  # one line so far: it is the melody
        else:
            to_melody = abs(note - self.melody_register)
            melody = to_melody <= abs(note - self.accompaniment_register)
        self._learn(note, melody, position)
        return melody

    def released(self, note: int, position: float) -> None:
        if note in self._accompaniment:
            self._accompaniment[note] = position

    def accompaniment_top(self, position: float) -> int | None:
        """The highest accompaniment key sounding (or just released) at ``position``."""
        recent = [k for k, at in self._accompaniment.items()
                  if at + ACCOMPANIMENT_MEMORY_STEPS >= position]
        return max(recent, default=None)

    def _learn(self, note: int, melody: bool, position: float) -> None:
        if melody:
            register = self.melody_register
            self.melody_register = (note if register is None
                                    else register + SMOOTHING * (note - register))
            self._last_melody = note
        else:
            register = self.accompaniment_register
            self.accompaniment_register = (note if register is None
                                           else register + SMOOTHING * (note - register))
            self._accompaniment[note] = float("inf")  # sounding until released
            if len(self._accompaniment) > 32:
                oldest = min(self._accompaniment, key=self._accompaniment.__getitem__)
                del self._accompaniment[oldest]


def above(pitch: int, floor: int | None, high: int = 108) -> int:
    """``pitch`` moved up by octaves until it is above ``floor`` (never past ``high``)."""
    if floor is None:
        return pitch
    while pitch <= floor and pitch + 12 <= high:
        pitch += 12
    return pitch
