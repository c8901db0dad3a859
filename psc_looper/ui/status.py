"""The status view: a live terminal panel, or plain log lines when there is no terminal.

Runs in its own thread at a bounded rate and reads the looper only through
``Looper.snapshot()`` (one short lock), so it never disturbs timing.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import TextIO

from psc_looper.harmony.chart import Chart
from psc_looper.looper.engine import Looper, Snapshot
from psc_looper.looper.notes import Track
from psc_looper.timing.meter import Meter
from psc_looper.timing.swing import STRAIGHT

log = logging.getLogger(__name__)

REFRESH_SECONDS = 0.2  # at most 5 redraws a second
MALFORMED_LOG_SECONDS = 5.0  # without a terminal, new malformed-input counts at most this often
CLEAR = "\x1b[H\x1b[2J"


def render(snap: Snapshot, malformed: dict[str, int] | None = None) -> str:
    """The status panel as text (pure function of a snapshot)."""
    s = snap.structure
    steps_per_bar = s.meter.steps_per_bar
    bar, step_in_bar = divmod(snap.position, steps_per_bar)
    beat = step_in_bar // s.meter.steps_per_beat
    pending = f" -> {snap.pending_structure.meter} x{snap.pending_structure.bars}" if (
        snap.pending_structure
    ) else ""
    lines = [
        f"psc-looper  {'PLAYING' if snap.playing else 'stopped'}   mode {snap.mode.upper()}"
        + (f"   RECORDING {snap.recording}" if snap.recording else ""),
        f"tempo {snap.qpm:.1f} qpm   {s.meter}{_swing(snap)}   bars {s.bars}{pending}   "
        f"bar {bar + 1}/{s.bars} beat {beat + 1} (step {snap.position + 1}/{s.steps})   "
        f"loop {snap.loop_count + 1}{_chords(snap)}",
        "tracks  "
        + "  ".join(
            f"{t}:{'MUTE' if snap.mutes[t] else f'{round(snap.volumes[t] * 100)}%'}"
            f"({snap.notes_per_track[t]}){_layers(snap, t)}"
            for t in Track
        ),
        f"sounding voices {snap.sounding}",
    ]
    lines += [f"{name}: {text}" for name, text in snap.extras.items()]
    if malformed:
        counts = ", ".join(f"{kind} {n}" for kind, n in malformed.items())
        lines.append(f"malformed OSC ignored: {counts}")
    if snap.warnings:
        lines.append("recent: " + " | ".join(snap.warnings[-4:]))
    return "\n".join(lines)


def _swing(snap: Snapshot) -> str:
    """' swing 0.667' (and what the next loop start brings), nothing when straight."""
    text = f" swing {snap.swing:.3g}" if snap.swing != STRAIGHT else ""
    if snap.pending_swing is not None and snap.pending_swing != snap.swing:
        text += f" -> swing {snap.pending_swing:.3g}"
    return text


def _chords(snap: Snapshot) -> str:
    """'   chord C7 next F7' where the chart is, nothing without one."""
    if snap.chart is None:
        return ""
    now, following = chord_and_next(snap.chart, snap.chart_step, snap.structure.meter)
    return f"   chord {now} next {following}"


def chord_and_next(chart: Chart, step: float, meter: Meter) -> tuple[str, str]:
    """The names of the chord sounding at ``step`` (from the chart's bar 1) and the next one."""
    beats = chart.length_beats(meter.numerator)
    beat = (step / meter.steps_per_beat) % beats
    spans = chart.spans(meter.numerator)
    index = next((k for k, (_, end, _) in enumerate(spans) if beat < end), 0)
    names = [chord.name() if chord else "N.C." for _, _, chord in spans]
    return names[index], names[(index + 1) % len(names)]


def _layers(snap: Snapshot, track: Track) -> str:
    """A layered track's layer count (and what redo would bring back), e.g. ' 1 layer +1 redo'."""
    if track not in snap.layers:
        return ""
    sounding, redo = snap.layers[track]
    text = f" {sounding} layer{'' if sounding == 1 else 's'}"
    return text + (f" +{redo} redo" if redo else "")


class StatusView:
    """Redraws ``render(...)`` on a terminal, or logs what changed, from its own thread."""

    def __init__(
        self,
        looper: Looper,
        malformed: Callable[[], dict[str, int]] | None = None,
        stream: TextIO | None = None,
        tty: bool | None = None,
    ) -> None:
        self.looper = looper
        self._malformed = malformed or dict
        self._stream = stream or sys.stdout
        self._tty = self._stream.isatty() if tty is None else tty
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="status", daemon=True)
        self._last_key: tuple[object, ...] | None = None
        self._last_malformed: dict[str, int] = {}
        self._logged_at = 0.0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1)

    def refresh(self) -> None:
        snap = self.looper.snapshot()
        if self._tty:
            self._stream.write(CLEAR + render(snap, self._malformed()) + "\n")
            self._stream.flush()
            return
        malformed = self._malformed()
        key = (snap.playing, snap.mode, snap.qpm, snap.structure, snap.recording,
               snap.warnings, tuple(snap.extras.items()), tuple(snap.mutes.items()))
        now = time.monotonic()
        counts_due = (malformed != self._last_malformed
                      and now - self._logged_at >= MALFORMED_LOG_SECONDS)
        if key != self._last_key or counts_due:
            self._last_key, self._last_malformed, self._logged_at = key, malformed, now
            log.info("status: %s", render(snap, malformed).replace("\n", " | "))

    def _run(self) -> None:
        while not self._stop.wait(REFRESH_SECONDS):
            try:
                self.refresh()
            except Exception:  # the view must never take the instrument down
                log.exception("status view failed")
