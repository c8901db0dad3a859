"""Loop notes: what the loop plays, keyed by onset step; tracks and modes.

A note's ``offset`` is the player's feel: how far (a fraction of a step, -0.5..0.5, in
the loop's swung frame) it was played from its grid step ``onset``; the loop plays it
there (``looper.feel``). Steps of ``FEEL_RESOLUTION`` keep it exact in a song's MIDI.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from psc_looper.osc.protocol import Instrument

FEEL_RESOLUTION = 480  # offsets are whole 1/480ths of a step (a song's MIDI ticks)


class Track(StrEnum):
    """Who a note belongs to: each has its own volume and mute."""

    CLICK = "click"
    BASS = "bass"
    CHORDS = "chords"
    DRUMS = "drums"
    IMPROV = "improv"  # the pianist's keys in free and improv modes, and the machine's notes


class Mode(StrEnum):
    FREE = "free"
    BASS = "bass"
    CHORDS = "chords"
    IMPROV = "improv"


# The sound a track's live notes (and its recorded loop notes) use.
TRACK_INSTRUMENT = {
    Track.BASS: Instrument.BASS,
    Track.CHORDS: Instrument.CHORDS,
    Track.IMPROV: Instrument.KEYS,
}
RECORDING_MODES = {Mode.BASS: Track.BASS, Mode.CHORDS: Track.CHORDS}


@dataclass(frozen=True, order=True)
class LoopNote:
    """One event of the loop: at ``onset`` (step in the loop) play ``pitch`` for ``duration``."""

    onset: int
    track: Track
    instrument: Instrument
    pitch: int
    velocity: int = 100
    duration: int = 1
    offset: float = 0.0  # the feel: played this fraction of a step from ``onset``

    def __post_init__(self) -> None:
        if self.onset < 0 or self.duration < 1 or not -0.5 <= self.offset < 0.5:
            raise ValueError(f"bad loop note {self}")
        if not (0 <= self.pitch <= 127 and 1 <= self.velocity <= 127):
            raise ValueError(f"pitch/velocity out of MIDI range in {self}")


def scale_velocity(velocity: int, volume: float) -> int:
    """Velocity times volume, clamped to 1..127 (0 only when the volume is 0)."""
    if volume <= 0:
        return 0
    return min(127, max(1, round(velocity * volume)))


def feel_offset(fraction: float) -> float:
    """``fraction`` of a step rounded to ``FEEL_RESOLUTION`` (so it saves exactly)."""
    offset = round(fraction * FEEL_RESOLUTION) / FEEL_RESOLUTION
    return min(max(offset, -0.5), 0.5 - 1 / FEEL_RESOLUTION)
