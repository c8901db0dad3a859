"""The status view: a live terminal panel, or plain log lines when there is no terminal.

Runs in its own thread at a bounded rate and reads the looper only through
``Looper.snapshot()`` (one short lock), so it never disturbs timing.
"""

from __future__ import annotations

import logging
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from typing import TextIO

from psc_looper.harmony.chart import Chart
from psc_looper.looper.engine import Looper, Snapshot
from psc_looper.looper.notes import RECORDING_MODES, Mode, Track
from psc_looper.timing.meter import Meter
from psc_looper.timing.swing import STRAIGHT

log = logging.getLogger(__name__)

REFRESH_SECONDS = 0.2  # at most 5 redraws a second
MALFORMED_LOG_SECONDS = 5.0  # without a terminal, new malformed-input counts at most this often
CLEAR = "\x1b[H\x1b[2J"


WIDTH = 100  # the panel's width when the terminal's is not known
RECENT_SHOWN = 4  # messages in the panel, newest first


def render(snap: Snapshot, malformed: dict[str, int] | None = None, width: int = WIDTH) -> str:
    """The status panel as text (pure function of a snapshot), lines wrapped at ``width``
    between words."""
    s = snap.structure
    pending = f" -> {snap.pending_structure.meter} x{snap.pending_structure.bars}" if (
        snap.pending_structure
    ) else ""
    lines = [
        f"psc-looper  {'PLAYING' if snap.playing else 'stopped'}   mode {snap.mode.upper()}",
        *armed(snap),
        f"tempo {snap.qpm:.1f} qpm   {s.meter}{_swing(snap)}   bars {s.bars}{pending}   "
        f"{_where(snap)}   loop {snap.loop_count + 1}{_chords(snap)}",
        *_form(snap, width),
        *_pack("tracks (volume, notes in the loop, layers)",
               [f"{t}:{_track(snap, t)}" for t in Track], width),
        f"sounding voices {snap.sounding}",
    ]
    lines += [f"{name}: {_extra(snap, name, text)}" for name, text in snap.extras.items()]
    if malformed:
        counts = ", ".join(f"{kind} {n}" for kind, n in malformed.items())
        lines.append(f"malformed OSC ignored: {counts}")
    recent = list(reversed(snap.warnings))[:RECENT_SHOWN]
    for k, message in enumerate(recent):
        lines.append(("recent: " if k == 0 else "        ") + message)
    return "\n".join(wrapped for line in lines for wrapped in _wrap(line, width))


def _wrap(line: str, width: int) -> list[str]:
    """``line`` cut between words to ``width`` (a word longer than that is cut)."""
    if len(line) <= width:
        return [line]
    return textwrap.wrap(line, width, subsequent_indent="  ", break_on_hyphens=False) or [""]


def _pack(head: str, items: list[str], width: int) -> list[str]:
    """``head`` and ``items`` two spaces apart, a new line (indented) before an item that
    would pass ``width``."""
    lines = [head]
    for item in items:
        if len(lines[-1]) + 2 + len(item) > width:
            lines.append("  " + item)
        else:
            lines[-1] += "  " + item
    return lines


def armed(snap: Snapshot) -> list[str]:
    """What a recording mode is doing or waiting for (a line, or none)."""
    if snap.free_take is not None:
        return [f"FREE TAKE {snap.free_take}: play, then press free record again to close it"]
    if snap.recording is not None:
        return [f"RECORDING {snap.recording}: {snap.take_notes} notes so far, "
                "until the loop's end"]
    track = RECORDING_MODES.get(snap.mode)
    if track is None:
        return []
    if not snap.playing:
        count = ", a bar of count-in," if snap.count_in else ""
        return [f"ARMED {track}: press play{count} then the first note starts the take"]
    if snap.position < 0:
        return [f"ARMED {track}: after the count-in the first note starts the take"]
    return [f"ARMED {track}: waits for the first note"]


def _where(snap: Snapshot) -> str:
    """'bar 2/4 beat 3 (step 22/64)', or 'count-in 3' (beats left) before the loop."""
    meter = snap.structure.meter
    if snap.playing and snap.position < 0:
        return f"count-in {-(snap.position // meter.steps_per_beat)}"
    bar, step_in_bar = divmod(snap.position, meter.steps_per_bar)
    beat = step_in_bar // meter.steps_per_beat
    return (f"bar {bar + 1}/{snap.structure.bars} beat {beat + 1} "
            f"(step {snap.position + 1}/{snap.structure.steps})")


def _form(snap: Snapshot, width: int) -> list[str]:
    """The chart from the bar playing on, that bar in brackets: 'form 3/12: [F7] | C7 | ..'."""
    chart = snap.chart
    if chart is None:
        return []
    now = form_bar(chart, snap.chart_step, snap.structure.meter)
    text = f"form {now + 1}/{len(chart.bars)}:"
    for k in range(len(chart.bars)):
        bar = " ".join(c.name() if c else "N.C." for c in chart.bars[(now + k) % len(chart.bars)])
        item = f" [{bar}]" if k == 0 else f" | {bar}"
        if len(text) + len(item) > width:
            break
        text += item
    return [text]


def form_bar(chart: Chart, step: float, meter: Meter) -> int:
    """The chart's bar (from 0) sounding at ``step`` (counted from the chart's bar 1)."""
    beat = (step / meter.steps_per_beat) % chart.length_beats(meter.numerator)
    return int(beat // meter.numerator)


def _track(snap: Snapshot, track: Track) -> str:
    """'100% 8 notes 2 layers', the take so far when recording, what the next loop brings."""
    level = "MUTE" if snap.mutes[track] else f"{round(snap.volumes[track] * 100)}%"
    text = f"{level} {snap.notes_per_track[track]} notes{_layers(snap, track)}"
    if track in snap.pending_notes:
        text += f" -> {snap.pending_notes[track]} next loop"
    if snap.recording == track:
        text += f" (take {snap.take_notes})"
    return text


def _extra(snap: Snapshot, name: str, text: str) -> str:
    """A feature's line; improv's says it is off outside improv mode (keys play through)."""
    if name == "improv" and snap.mode is not Mode.IMPROV:
        return f"off in mode {snap.mode.upper()}: keys play through ([i] improv)"
    return text


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
