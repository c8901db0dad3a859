"""The band feature: plays the chart as a walking bass and drums, written as loop notes.

Off until ``band_on`` (or ``[band] on``). At each loop start it writes the next loop's
bass and drums (``Looper.replace_track``, which swaps them in at that loop start), so
the line follows the chart across the loop's wrap and varies from loop to loop. The
chart is the one the looper shows (the improv feature's changes), else ``[band] chart``.
Turning it off gives the bass and drums tracks back what they held before.
"""

from __future__ import annotations

import threading

from psc_looper.band.drummer import STYLES, Drummer
from psc_looper.band.options import BandOptions
from psc_looper.band.parts import TWO_FEEL, bass_part, drums_part
from psc_looper.band.walker import Walker
from psc_looper.harmony.chart import Chart, parse_chart
from psc_looper.host import Host
from psc_looper.looper.engine import Looper
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.tomlfiles import quote


class BandFeature:
    """A walking bass and a drummer from the chart; ``host.Feature``."""

    def __init__(self, options: BandOptions | None = None, seed: int | None = None) -> None:
        self.options = options or BandOptions()
        self._seed = seed or 0
        self._lock = threading.Lock()
        self._on = False
        self._style = self.options.style
        self._own_chart = parse_chart(self.options.chart) if self.options.chart.strip() else None
        self._saved: dict[Track, list[LoopNote]] = {}
        self._loop_start = 0  # the absolute step of the loop playing
        self._loops = 0  # loops written (varies the seed from loop to loop)
        self._walker = self._new_walker()
        self._looper: Looper | None = None
        self._status = False

    def attach(self, host: Host) -> None:
        self._looper = host.looper
        host.actions.register("band_on", lambda _arg, _value: self.toggle())
        host.actions.register("band_style", lambda arg, _value: self.set_style(arg or ""))
        host.looper.add_step_listener(self._on_step)
        if self.options.on:
            self.toggle()

    def close(self) -> None:
        """Nothing to stop: the band writes on the transport's thread."""

    @property
    def on(self) -> bool:
        with self._lock:
            return self._on

    def describe(self) -> str:
        with self._lock:
            on, style = self._on, self._style
        if not on:
            return "off"
        chart = self._chart()
        return f"{style}, {len(chart[0].bars)}-bar chart" if chart else \
            f"{style}, no chart (--changes or [band] chart)"

    def toggle(self) -> None:
        """Start or stop the band (from the next loop start when playing)."""
        looper = self._require()
        if not self._status:
            looper.add_status("band", self.describe)
            self._status = True
        with self._lock:
            self._on = not self._on
            on = self._on
        if on:
            self._saved = {t: looper.track_notes(t) for t in (Track.BASS, Track.DRUMS)}
            if self._chart() is None:
                looper.warn("band: no chord chart to play (--changes or [band] chart)")
            self._write(self._next_loop_start(looper))
        else:
            for track, notes in self._saved.items():
                looper.replace_track(track, notes)
            looper.tell("band off")

    def set_style(self, style: str) -> None:
        """The drummer's style (and the bass's feel) from the next loop start."""
        looper = self._require()
        if style not in STYLES:
            looper.warn(f"band_style: unknown style {quote(style)} (one of {', '.join(STYLES)})")
            return
        with self._lock:
            self._style = style
            self._walker = self._new_walker()
            on = self._on
        if on:
            self._write(self._next_loop_start(looper))

    def _new_walker(self) -> Walker:
        return Walker(4, two_feel=self._style in TWO_FEEL, seed=self._seed)

    def _require(self) -> Looper:
        if self._looper is None:
            raise RuntimeError("band feature used before attach")
        return self._looper

    def _chart(self) -> tuple[Chart, int] | None:
        looper = self._require()
        shown = looper.chart
        if shown is not None:
            return shown
        return None if self._own_chart is None else (self._own_chart, 0)

    def _next_loop_start(self, looper: Looper) -> int:
        if not looper.snapshot().playing:
            return 0
        with self._lock:
            return self._loop_start + looper.structure.steps

    def _on_step(self, step: int, position: int, _at: float) -> None:
        """At a loop start, write the next loop (it is swapped in at that loop start)."""
        with self._lock:
            self._loop_start = step - position
            on = self._on
        if position == 0 and on:
            self._write(step + self._require().structure.steps)

    def _write(self, loop_start: int) -> None:
        looper = self._require()
        chart = self._chart()
        if chart is None:
            return
        structure = looper.structure
        with self._lock:
            self._walker.beats_per_bar = structure.meter.numerator
            self._loops += 1
            drummer = Drummer(self._style, seed=self._seed * 1000 + self._loops)
            bass = bass_part(self._walker, chart[0], chart[1], loop_start, structure)
            drums = drums_part(drummer, chart[0], chart[1], loop_start, structure)
        if self.options.bass:
            looper.replace_track(Track.BASS, bass)
        if self.options.drums:
            looper.replace_track(Track.DRUMS, drums)
