"""What a stage page shows, as JSON text, from copies taken under their owners' locks
briefly: one ``Looper.snapshot()`` (as the status view takes it; the band's and the
audio line's values are its ``facts``), the songs feature's place and the improv
feature's turn. ``StateCache`` builds it at most ``rate`` times a
second however many pages ask, so the loop thread can wait at most one snapshot's copy
(tens of microseconds, ``python -m bench stage``) that often, and never on the network:
sending, and waiting on the cache, happen on the web threads only.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from psc_looper.improv.feature import TurnView
from psc_looper.looper.engine import Snapshot
from psc_looper.looper.notes import Track
from psc_looper.songs.live import Place
from psc_looper.stage.pacing import MAX_PUSHES_PER_SECOND
from psc_looper.ui.status import armed, chord_and_next, form_bar

MESSAGES_SHOWN = 4  # newest first
XRUN_ALERT_SECONDS = 5.0  # the audio line is lit this long after the xruns grew


class Places(Protocol):
    def place(self) -> Place: ...


class Turns(Protocol):
    def turn(self) -> TurnView: ...


def stage_state(snap: Snapshot, place: Place | None = None,
                turn: TurnView | None = None) -> dict[str, Any]:
    """The page's state (pure: a function of what it is given)."""
    meter = snap.structure.meter
    counting = snap.playing and snap.position < 0
    bar, in_bar = divmod(max(snap.position, 0), meter.steps_per_bar)
    state: dict[str, Any] = {
        "playing": snap.playing,
        "mode": snap.mode.value,
        "qpm": round(snap.qpm, 1),
        "meter": str(meter),
        "bars": snap.structure.bars,
        "bar": bar,  # the loop's bar (from 0)
        "beat": in_bar // meter.steps_per_beat,  # from 0
        "beats": meter.numerator,
        "count_in": -(snap.position // meter.steps_per_beat) if counting else None,
        "loop": snap.loop_count + 1,
        "armed": " ".join(armed(snap)),
        "chart": None,
        "form_bar": None,
        "chord": None,
        "next_chord": None,
        "tracks": [{"name": t.value, "muted": snap.mutes[t], "notes": snap.notes_per_track[t]}
                   for t in Track if t is not Track.CLICK],
        "machine": snap.extras.get("improv"),
        "turn": None,
        "song": None,
        "messages": list(reversed(snap.warnings))[:MESSAGES_SHOWN],
        "band": snap.facts.get("band"),  # band.feature.BandView (None: no band feature)
        "audio": snap.facts.get("audio"),  # sc.period.AudioView (None: no bridge of ours)
    }
    if snap.chart is not None:
        chart = snap.chart
        state["chart"] = [" ".join(c.name() if c else "N.C." for c in bar) for bar in chart.bars]
        state["form_bar"] = form_bar(chart, snap.chart_step, meter)
        state["chord"], state["next_chord"] = chord_and_next(chart, snap.chart_step, meter)
    if turn is not None:
        state["turn"] = turn._asdict()
    if place is not None:
        state["song"] = {"name": place.song, "section": place.section,
                         "next_section": place.next_section, "setlist": list(place.setlist),
                         "index": place.index}
    return state


class XrunAlert:
    """Whether the xruns grew in the last ``seconds`` (the page lights the audio line)."""

    def __init__(self, seconds: float = XRUN_ALERT_SECONDS) -> None:
        self.seconds = seconds
        self._last: int | None = None  # the count seen last
        self._grew_at: float | None = None

    def __call__(self, xruns: int | None, now: float) -> bool:
        """``xruns`` counted at ``now``: the first count seen sets the baseline (a page
        opened late is not alarmed by old ones)."""
        if xruns is not None and self._last is not None and xruns > self._last:
            self._grew_at = now
        if xruns is not None:
            self._last = xruns
        return self._grew_at is not None and now - self._grew_at < self.seconds


def mark_xruns(state: dict[str, Any], alert: XrunAlert, now: float) -> dict[str, Any]:
    """``state`` with ``audio.alert``: the xruns grew a moment ago."""
    audio = state.get("audio")
    if audio is not None:
        state["audio"] = {**audio, "alert": alert(audio.get("xruns"), now)}
    return state


class StateCache:
    """The state as JSON text, rebuilt at most ``rate`` times a second (web threads)."""

    def __init__(self, build: Callable[[], dict[str, Any]], rate: float = MAX_PUSHES_PER_SECOND,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._build = build
        self._interval = 1.0 / rate
        self._clock = clock
        self._lock = threading.Lock()  # web threads only
        self._text = ""
        self._built_at: float | None = None
        self.builds = 0

    def latest(self) -> str:
        with self._lock:
            now = self._clock()
            if self._built_at is None or now - self._built_at >= self._interval:
                self._text = json.dumps(self._build(), separators=(",", ":"))
                self._built_at = now
                self.builds += 1
            return self._text
