"""JACK's period chosen by measurement when ``run --period`` is not given.

``probed`` starts the bridge (JACK, scsynth, sclang) at the smallest of ``CANDIDATES``
and watches our jackd's log for ``PROBE_SECONDS`` once it is up; an xrun there ends it
and tries the next size; the largest stands whatever happens. A JACK server already
running is not ours: its own period stands and nothing is probed. Xruns while the
bridge starts (clients connecting) do not count; ``describe`` says what was chosen and
why, for the terminal.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol, TypeVar

from psc_looper.sc.jack import running_period

log = logging.getLogger(__name__)

CANDIDATES = (64, 128, 256)
PROBE_SECONDS = 1.0


class Probed(Protocol):
    """What the probe needs of a started bridge: our jackd's xruns (None: not ours)."""

    def xruns(self) -> int | None: ...

    def stop(self) -> None: ...


B = TypeVar("B", bound=Probed)


@dataclass(frozen=True)
class Choice:
    period: int | None  # None: a JACK server not ours, with its own period
    tried: tuple[tuple[int, int], ...]  # (period, xruns in the probe) for each one refused
    probed: bool = True  # False: the largest, kept without a probe once the rest failed

    def describe(self, rate: int) -> str:
        if self.period is None:
            return "JACK: a server already running; its own period and rate stand"
        said = [f"{p} had {n} xrun{'s' * (n != 1)}" for p, n in self.tried]
        if self.probed:
            said.append(f"{self.period} none")
        return (f"JACK period {self.period} frames ({self.period / rate * 1000:.2f} ms at "
                f"{rate} Hz): {', '.join(said)} in a {PROBE_SECONDS:g} s probe"
                f"{'' if self.probed else f', so {self.period} stands'} (--period sets it)")


def probed(start: Callable[[int], B], candidates: Sequence[int] = CANDIDATES,
                      seconds: float = PROBE_SECONDS,
                      wait: Callable[[float], None] = time.sleep) -> tuple[B, Choice]:
    """The bridge ``start(period)`` returns, started at the smallest period of
    ``candidates`` that ran ``seconds`` without an xrun (else at the largest)."""
    tried: list[tuple[int, int]] = []
    for period in candidates:
        bridge = start(period)
        before = bridge.xruns()
        if before is None:  # a JACK server not ours: nothing to choose
            return bridge, Choice(None, ())
        if period == candidates[-1]:
            return bridge, Choice(period, tuple(tried), probed=len(candidates) == 1)
        wait(seconds)
        xruns = (bridge.xruns() or 0) - before
        if xruns == 0:
            return bridge, Choice(period, tuple(tried))
        log.info("JACK period %d: %d xruns in %.1f s; trying a larger one", period, xruns,
                 seconds)
        tried.append((period, xruns))
        bridge.stop()
    raise ValueError("no candidate periods")


class AudioView(NamedTuple):
    """The audio line's values (the stage view's facts)."""

    period: int | None  # JACK's period in frames (None: not known)
    rate: int  # its sample rate
    xruns: int | None  # since the bridge was up (None: a JACK server not ours)


class XrunWatch:
    """The status view's audio line: JACK's period and rate and the xruns since the
    bridge was up (our jackd's log; the ones while clients connected do not count)."""

    def __init__(self, bridge: Probed, period: int | None, rate: int) -> None:
        """``period``: None for a JACK server not ours (its own is asked for once)."""
        self.bridge, self.rate = bridge, rate
        self.since = bridge.xruns()
        self.period = period if self.since is not None else running_period()

    def view(self) -> AudioView:
        now = self.bridge.xruns()
        xruns = None if now is None or self.since is None else now - self.since
        return AudioView(self.period, self.rate, xruns)

    def describe(self) -> str:
        audio = self.view()
        if audio.xruns is None:
            frames = f"{audio.period} frames; " if audio.period else ""
            return f"JACK not ours ({frames}xruns not counted)"
        return (f"JACK {audio.period} frames @ {audio.rate} Hz, {audio.xruns} "
                f"xrun{'s' * (audio.xruns != 1)}" + (" (clicks, gaps)" if audio.xruns else ""))
