"""Shared test helpers: reading what the backend sent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from psc_looper.osc.ports import Sent


def plays(sent: Iterable[Sent], name: str | None = None) -> list[Sent]:
    """The ``/play...`` messages, optionally of one instrument address suffix."""
    return [s for s in sent if s.address.startswith("/play") and (
        name is None or s.address == f"/play{name}")]


def unmatched_notes(sent: Iterable[Sent]) -> Counter[tuple[str, int]]:
    """Voices started and never stopped by their own stop: (instrument suffix, pitch) -> count."""
    sounding: Counter[tuple[str, int]] = Counter()
    for s in sent:
        if s.address.startswith("/play"):
            sounding[(s.address[5:], int(s.args[0]))] += 1
        elif s.address.startswith("/stop"):
            voice = (s.address[5:], int(s.args[0]))
            assert sounding[voice] > 0, f"stop without a sounding voice: {s}"
            sounding[voice] -= 1
    return +sounding
