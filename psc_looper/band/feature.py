"""The band feature: plays the chart as a walking bass and drums, a layer like the others.

Off until ``band_on`` (or ``[band] on``). The bass is a layer of the bass track ``by``
the band (``looper.layers``): mute, volume, overdub, undo and a replacing take work on
it as on a played one, and a song saves it. The drums are a part of the drums feature
(``drums_undo``, ``build_beat``, ``generate_groove`` over the band's bass). While a
loop plays, the band's next loop (a *chorus*) is generated on its own worker and
handed over for the next loop start; one not there in time is *late*: the loop plays
the last chorus again and the status line counts it. Each chorus has its own seed (the
run's and its number), so choruses vary and the same seed gives the same band;
``band_hold`` holds the chorus (the next ones are played from the same seed and note).

The chart: a song's or section's (``apply``, ``switch_song``, from the next loop start),
else the one the looper shows (the improv feature's changes), else ``[band] chart``,
else the improv changes (with no improv feature to show them).

Threads: actions on the OSC thread, step listener on the transport's, deliveries on the
worker's. State is guarded by ``_lock``; it is never held while calling the looper,
the drums or the worker.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple, Protocol

from psc_looper.background import Outcome, Worker
from psc_looper.band.drummer import STYLES
from psc_looper.band.options import BandOptions
from psc_looper.band.parts import FIRST_PITCH, Chorus, Plan, chorus, chorus_seed
from psc_looper.harmony.chart import Chart, ChartError, parse_chart
from psc_looper.host import Host
from psc_looper.looper.engine import Looper
from psc_looper.looper.layers import Layer
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.timing.meter import LoopStructure
from psc_looper.tomlfiles import quote

BY = "band"  # the name of the band's bass layer and drum part


class BandView(NamedTuple):
    """The band's state for a view (``describe``, the stage view's facts)."""

    on: bool
    style: str
    held: bool
    choruses: int  # handed over in time
    late: int  # loop starts that played the last chorus again
    chart_bars: int | None  # the chart it plays (None: none; also None when off)


@dataclass(frozen=True)
class _Base:
    """The chorus last planned: its loop start, number and first pitch."""

    loop_start: int
    number: int
    start: int


class DrumParts(Protocol):
    """What the band needs of the drums feature (``drums.feature.DrumsFeature``)."""

    def play_generated(self, name: str, notes: Sequence[LoopNote], structure: LoopStructure,
                       start: bool, at: int | None = None) -> bool: ...

    def drop_generated(self, name: str) -> None: ...


class BandFeature:
    """A walking bass and a drummer from the chart; ``host.Feature``."""

    def __init__(self, options: BandOptions | None = None, seed: int | None = None,
                 drums: DrumParts | None = None, inline: bool = False,
                 changes: str = "") -> None:
        """``changes``: the improv changes (``--changes``), played when no improv feature
        shows them and ``[band] chart`` is empty."""
        self.options = options or BandOptions()
        self._changes = _chart_of(changes)
        self._seed = seed or 0
        self._drums = drums
        self._worker = Worker("band", inline=inline)
        self._lock = threading.Lock()
        # --- guarded by _lock ---
        self._on = False
        self._held = False
        self._given: tuple[Chart, int] | None = None  # a song's or section's chart, origin
        self._own = _chart_of(self.options.chart)
        self._layer: Layer | None = None  # the bass layer it writes
        self._drumming = False  # its drum part was played (and may still be)
        self._wanted: LoopStructure | None = None  # the structure of the chorus asked for
        self._base: _Base | None = None
        self._last = FIRST_PITCH  # the last pitch of the chorus planned last
        self._delivered = -1  # the loop start of the last chorus handed over in time
        self._choruses = 0  # handed over in time
        self._late = 0  # loop starts whose chorus was not there: the last one played again
        self._generation = 0  # bumped by off and switches: older deliveries are dropped
        self._looper: Looper | None = None
        self._status = False

    def attach(self, host: Host) -> None:
        self._looper = host.looper
        host.actions.register("band_on", lambda _arg, _value: self.toggle())
        host.actions.register("band_style", lambda arg, _value: self.set_style(arg or ""))
        host.actions.register("band_hold", lambda _arg, _value: self.toggle_hold())
        host.looper.add_step_listener(self._on_step)
        host.looper.add_facts("band", lambda: self.view()._asdict())
        if self.options.on:
            self.toggle()

    def close(self) -> None:
        self._worker.close()

    # ------------------------------------------------------------------ views
    @property
    def on(self) -> bool:
        with self._lock:
            return self._on

    @property
    def late(self) -> int:
        with self._lock:
            return self._late

    def view(self) -> BandView:
        with self._lock:
            on, style, held = self._on, self.options.style, self._held
            choruses, late = self._choruses, self._late
        chart = self._chart() if on else None
        return BandView(on, style, held, choruses, late,
                        None if chart is None else len(chart[0].bars))

    def describe(self) -> str:
        band = self.view()
        if not band.on:
            return "off"
        if band.chart_bars is None:
            return f"{band.style}, no chart (--changes or [band] chart)"
        line = f"{band.style}, {band.chart_bars}-bar chart, {band.choruses} choruses"
        return line + (" (held)" if band.held else "") + (
            f", {band.late} late" if band.late else "")

    def wait_idle(self, timeout: float | None = None) -> bool:
        return self._worker.wait_idle(timeout)

    # ------------------------------------------------------------------ actions
    def toggle(self) -> None:
        """Start or stop the band (from the next loop start when playing)."""
        looper = self._require()
        self._show_status()
        with self._lock:
            self._on = not self._on
            self._generation += 1
            on = self._on
        if on:
            if self._chart() is None:
                looper.warn("band: no chord chart to play (--changes or [band] chart)")
            self._request(looper.next_loop_start())
        else:
            self._stop_playing()
            looper.tell("band off")

    def set_style(self, style: str) -> None:
        """The drummer's style (and the bass's feel) from the next loop start."""
        looper = self._require()
        if style not in STYLES:
            looper.warn(f"band_style: unknown style {quote(style)} (one of {', '.join(STYLES)})")
            return
        self.apply(replace(self.options, style=style, on=self.on))

    def toggle_hold(self) -> None:
        """Hold the chorus (the next ones repeat it) or let it vary again."""
        with self._lock:
            self._held = not self._held
            held = self._held
        self._require().tell(f"band: {'held' if held else 'varies from chorus to chorus'}")

    def apply(self, options: BandOptions, chart: str | None = None) -> None:
        """New options (a section switch, a style): the next loop start plays them; a
        ``chart`` (a section's or song's, checked) from that loop start too ("": none
        given, the looper's or ``[band] chart``; None: as it is)."""
        looper = self._require()
        start = looper.next_loop_start()
        with self._lock:
            was_on = self._on
            self._set_options(options, chart, start)
            on = self._on
        if was_on and not on:
            self._stop_playing()
        elif on:
            self._show_status()
            self._drop_unplayed()
            self._request(start)

    def switch_song(self, options: BandOptions, chart: str, structure: LoopStructure,
                    bass: list[Layer], drums: str | None) -> tuple[LoopNote, ...] | None:
        """A song switch (``songs.live``): ``bass`` (the song's done layers) and its drum
        part (named ``drums``) replace the loop's at the next loop start, so the band
        writes its first chorus into them now: its layer (the song's, if saved with one)
        into ``bass``; its drums are returned, for a part named ``BY`` (None: the song's
        part plays). Later choruses as usual."""
        looper = self._require()
        start = looper.next_loop_start()
        with self._lock:
            self._set_options(options, chart, start)
            self._generation += 1
            self._layer = next((la for la in reversed(bass) if la.by == BY
                                and la.track is Track.BASS), None)
            self._drumming = drums == BY
            self._base, self._last = None, FIRST_PITCH
            self._wanted = structure
            on = self._on
        if not on or self._chart() is None:
            return None
        self._show_status()
        made = chorus(self._plan(start, structure))
        with self._lock:
            self._count(made)
            if self.options.bass:
                if self._layer is None:
                    self._layer = Layer(Track.BASS, (), True, BY)
                    bass.append(self._layer)
                self._layer.notes = made.bass
            if not self.options.drums:
                return None
            self._drumming = True
        return made.drums

    # ------------------------------------------------------------------ generation
    def _on_step(self, step: int, position: int, _at: float) -> None:
        """At a loop start: count a late chorus, ask for the next one. Within a loop: if
        the next loop changes length, ask for its chorus again."""
        with self._lock:
            if not self._on:
                return
            wanted = self._wanted
        looper = self._require()
        if position != 0:
            if wanted is not None and looper.next_structure != wanted:
                self._request(looper.next_loop_start())
            return
        if self._chart() is None:
            return
        with self._lock:
            if self._delivered != step and step != 0:  # step 0: played again from stop,
                self._late += 1  # the last chorus made plays (a whole form: the same bars)
        self._request(step + looper.structure.steps)

    def _request(self, loop_start: int) -> None:
        """Generate the chorus starting at ``loop_start`` on the worker."""
        if self._chart() is None:
            return
        structure = self._require().next_structure
        with self._lock:
            generation, self._wanted = self._generation, structure

        def job() -> Chorus:
            return chorus(self._plan(loop_start, structure))

        try:
            self._worker.submit(job, lambda outcome: self._deliver(outcome, generation))
        except RuntimeError:  # closed: the backend is shutting down
            return

    def _plan(self, loop_start: int, structure: LoopStructure | None = None) -> Plan:
        """The next chorus's plan (``structure``: the next loop's, else the looper's); a
        chorus planned again (same loop start) or held keeps its number and first pitch."""
        chart = self._chart()
        assert chart is not None
        structure = structure or self._require().next_structure
        with self._lock:
            base = self._base
            if base is None:
                base = _Base(loop_start, 1, FIRST_PITCH)
            elif base.loop_start != loop_start and not self._held:
                base = _Base(loop_start, base.number + 1, self._last)
            else:
                base = replace(base, loop_start=loop_start)
            self._base = base
            options = self.options
        return Plan(chart[0], chart[1], loop_start, structure, options.style,
                    chorus_seed(self._seed, base.number), base.start, options.bass_volume,
                    options.drums_volume, options.bass_line)

    def _deliver(self, outcome: Outcome, generation: int) -> None:
        """Worker thread: hand the chorus over for its loop start (too late: dropped)."""
        looper = self._require()
        if not outcome.ok:
            looper.warn(f"band: chorus failed: {outcome.error}")
            return
        made: Chorus = outcome.result
        at = made.plan.loop_start
        with self._lock:
            if generation != self._generation or not self._on:
                return
            self._last = made.last
            layer, drumming, options = self._layer, self._drumming, self.options
        if looper.next_loop_start() != at:
            return  # late: its loop start came first (counted there)
        if options.bass:
            if layer is None:
                layer = looper.push_layer(Track.BASS, list(made.bass), BY, at=at)
            else:  # False: undone or replaced, the layer waits for a redo
                looper.rewrite_layer(layer, list(made.bass), at=at)
        if options.drums and self._drums is not None:  # False: another part took its place
            played = self._drums.play_generated(BY, made.drums, made.plan.structure,
                                                start=not drumming, at=at)
            drumming = drumming or played
        with self._lock:
            if generation != self._generation:
                return
            self._layer, self._drumming = layer, drumming
            self._count(made)

    def _count(self, made: Chorus) -> None:
        """A chorus handed over in time (locked)."""
        self._delivered = made.plan.loop_start
        self._choruses += 1

    # ------------------------------------------------------------------ helpers
    def _set_options(self, options: BandOptions, chart: str | None, start: int) -> None:
        """(Locked.) ``options`` from now; a given chart from the loop start ``start``."""
        own = _chart_of(options.chart)
        given = None if chart is None else _chart_of(chart)
        self.options, self._on, self._own = options, options.on, own
        if chart is not None:
            self._given = None if given is None else (given, start)

    def _drop_unplayed(self) -> None:
        """The bass or drums just turned off in the options stop playing."""
        with self._lock:
            layer = None if self.options.bass else self._layer
            part = not self.options.drums and self._drumming
            if layer is not None:
                self._layer = None
            if part:
                self._drumming = False
        self._give_back(layer, part)

    def _stop_playing(self) -> None:
        """Off: the band's layer and part go; what was below them plays again."""
        with self._lock:
            layer, part = self._layer, self._drumming
            self._layer, self._drumming = None, False
            self._generation += 1
            self._base = None
        self._give_back(layer, part)

    def _give_back(self, layer: Layer | None, drums: bool) -> None:
        if layer is not None:
            self._require().drop_layer(layer)
        if drums and self._drums is not None:
            self._drums.drop_generated(BY)

    def _show_status(self) -> None:
        """The band's status line, from the first time it plays."""
        if not self._status:
            self._require().add_status("band", self.describe)
            self._status = True

    def _require(self) -> Looper:
        if self._looper is None:
            raise RuntimeError("band feature used before attach")
        return self._looper

    def _chart(self) -> tuple[Chart, int] | None:
        with self._lock:
            given, own = self._given, self._own
        if given is not None:
            return given
        shown = self._require().chart
        if shown is not None:
            return shown
        own = own or self._changes
        return None if own is None else (own, 0)


def _chart_of(text: str) -> Chart | None:
    """A chart (checked where it was read: ``ChartError`` here is a bug) or None."""
    if not text.strip():
        return None
    try:
        return parse_chart(text)
    except ChartError as exc:
        raise ValueError(f"band chart: {exc}") from None
