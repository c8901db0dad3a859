"""``SyncOptions``: who leads the loop's time and where its clock goes (plain data)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SyncSource(StrEnum):
    """What a song or set list may ask to follow (``sync = "..."``)."""

    NONE = "none"
    CLOCK_IN = "clock-in"
    LINK = "link"


def sync_source(value: object) -> SyncSource:
    """A ``sync`` value from a file (``ValueError`` naming what is accepted)."""
    if isinstance(value, str) and value in set(SyncSource):
        return SyncSource(value)
    names = ", ".join(f'"{s}"' for s in SyncSource)
    raise ValueError(f"sync must be one of {names}, not {value!r}")


@dataclass(frozen=True)
class SyncOptions:
    clock_out: str | None = None  # a MIDI output device for 24 ppq clock (the bridge's)
    clock_in: str | None = None  # a MIDI input device whose clock leads
    link: bool = False  # join an Ableton Link session (local network: off unless asked)

    @property
    def any(self) -> bool:
        return bool(self.clock_out or self.clock_in or self.link)
