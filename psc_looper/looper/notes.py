"""Loop notes: what the loop plays, keyed by onset step; tracks and modes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from psc_looper.osc.protocol import Instrument


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

    def __post_init__(self) -> None:
        if self.onset < 0 or self.duration < 1:
            raise ValueError(f"bad loop note {self}")
        if not (0 <= self.pitch <= 127 and 1 <= self.velocity <= 127):
            raise ValueError(f"pitch/velocity out of MIDI range in {self}")


def scale_velocity(velocity: int, volume: float) -> int:
    """Velocity times volume, clamped to 1..127 (0 only when the volume is 0)."""
    if volume <= 0:
        return 0
    return min(127, max(1, round(velocity * volume)))
