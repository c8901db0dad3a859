"""Hands: which of the pianist's keys are the melody and which the accompaniment.

Decided per key as it arrives (the note path cannot wait for the rest of a chord):

- ``split = "auto"`` (default): the register of each hand is tracked, the melody's
  and the accompaniment's as moving averages of their recent keys; a key nearer the
  melody's register than the accompaniment's is melody. Before any accompaniment
  has been heard, the keys are one line (as in the original). A key under
  ``BASS_FLOOR`` (a bass note), or more than an octave under the melody's last note
  while other keys are down (a left-hand voicing under a held melody), is
  accompaniment, and so is a key struck within the chord window of an accompaniment
  key, within a voicing's span of it and under the melody's register (the rest of a
  voicing).
- ``split = N`` (a MIDI note): keys at or above N are melody, as on a split keyboard.
- ``split = "none"``: every key is melody (one line, the original behaviour).

``Hands`` also remembers the top of the accompaniment that sounds now, the floor
the machine's substitutes stay above. Not locked: the improv feature owns it under
its lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MELODY_PRIOR, ACCOMPANIMENT_PRIOR = 72.0, 55.0  # C5 and G3 until the hands are heard
SMOOTHING = 0.25  # weight of a new key in its hand's moving average
VOICING_SPAN = 11  # semitones: a left-hand voicing's keys lie within this of each other
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
    chord_window: float = 0.03  # seconds: keys this close to an accompaniment key join it
    melody_register: float = MELODY_PRIOR
    accompaniment_register: float = ACCOMPANIMENT_PRIOR  # the voicings' (not the bass)
    two_hands: bool = False  # a bass key or a chord has been heard
    _last_melody: int | None = None
    _last_accompaniment_time: float = float("-inf")
    _last_accompaniment_key: int = 0
    _accompaniment: dict[int, float] = field(default_factory=dict)  # key -> last sounding step

    def is_melody(self, note: int, position: float, others_down: int,
                  now: float = float("-inf")) -> bool:
        """Classify a key pressed at ``position`` (``now`` in seconds) while ``others_down``
        keys are down."""
        if self.split is None:
            return True
        if self.split >= 0:
            melody = note >= self.split
        elif note < BASS_FLOOR or self._joins_accompaniment(note, now) or (
                others_down and self._last_melody is not None and note < self._last_melody - 12):
            melody = False
        elif not self.two_hands:
            self.two_hands = others_down >= 2  # a chord under the hands
            melody = True  # one line so far: it is the melody
        else:
            to_melody = abs(note - self.melody_register)
            melody = to_melody <= abs(note - self.accompaniment_register)
        self._learn(note, melody, position)
        if not melody:
            self._last_accompaniment_time, self._last_accompaniment_key = now, note
            self.two_hands = True
        return melody

    def _joins_accompaniment(self, note: int, now: float) -> bool:
        """Struck with an accompaniment key (a voicing's notes arrive together), within a
        voicing's span of it and under the melody's register."""
        return (now - self._last_accompaniment_time <= self.chord_window
                and note - self._last_accompaniment_key <= VOICING_SPAN
                and note < self.melody_register)

    def released(self, note: int, position: float) -> None:
        """An accompaniment key sounding until now is released: it keeps sounding for
        ACCOMPANIMENT_MEMORY_STEPS. (A melody key on the pitch of an old accompaniment
        key does not: the machine's floor would become the pianist's own melody note.)"""
        if self._accompaniment.get(note) == float("inf"):
            self._accompaniment[note] = position

    def accompaniment_top(self, position: float) -> int | None:
        """The highest accompaniment key sounding (or just released) at ``position``."""
        recent = [k for k, at in self._accompaniment.items()
                  if at + ACCOMPANIMENT_MEMORY_STEPS >= position]
        return max(recent, default=None)

    def _learn(self, note: int, melody: bool, position: float) -> None:
        if melody:
            self.melody_register += SMOOTHING * (note - self.melody_register)
            self._last_melody = note
        else:
            if note >= BASS_FLOOR:  # the voicings' register; the bass has its own floor
                self.accompaniment_register += SMOOTHING * (note - self.accompaniment_register)
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
