"""A piano-roll picture of a session's notes (PNG, matplotlib's Agg canvas, no pyplot).

Two panels over the same time axis: bars along the bottom (numbered from each play
start; a long session names every few), seconds along the top; the pitched parts (bass, chords, the
pianist, the machine) and the rhythm (drums, click). Each track has its colour; the
machine's notes are red with a star at their start, so takeovers stand out. Where the
chord track changes chord (as the improv feature infers it) a dashed line and the
chord's name mark the change. Thin lines mark the bars from each play start (in the
session's first meter); a thick purple line and its name mark each song or section
switch (the recorder's ``switch:`` markers); the chord chart (``chart:`` markers) names
its chords along the bottom, where each starts, until the next chart or the end; while
a chart is known the chords played are not named again (the chart says what they are).
While trading (``improv.mode``), the machine's turns are shaded red and the pianist's
orange, from each ``turn:`` marker to the next (or the next play start, or the end).
Beats are ticks on the bar axis. The legend sits to the right of the panels, never over
a note.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from psc_looper.harmony.chart import ChartError, parse_chart
from psc_looper.harmony.infer import chord_of
from psc_looper.models.notes import drum_kit_class
from psc_looper.sessions.format import CHART_MARKER, SWITCH_MARKER, TURN_MARKER, output_part
from psc_looper.sessions.reader import NoteSpan, SessionFile
from psc_looper.timing.meter import Meter

COLOURS = {
    "bass": "#1f77b4",
    "chords": "#2ca02c",
    "improv": "#9467bd",
    "pianist": "#ff7f0e",
    "pianist: bass": "#74b9e8",
    "pianist: chords": "#98df8a",
    "machine": "#d62728",
    "drums": "#8c564b",
    "click": "#b0b0b0",
}
OTHER_COLOUR = "#17becf"
CHORD_TRACKS = ("chords", "pianist: chords")
TOGETHER_PER_BEAT = 16  # notes this close (a 64th) start one chord
RHYTHM_PARTS = ("drums", "click")
ALPHA = 0.85  # notes over white
SWITCH_COLOUR = "#7b2d8e"
LABEL_ROOM = 4  # semitones below the lowest note, for the names along the bottom
MAX_BAR_LABELS = 40  # bar numbers along the axis; a longer session names every few
TURN_SHADES = {"machine": 0.10, "pianist": 0.06}  # whose turn -> shade (its colour's alpha)


def draw_piano_roll(session: SessionFile, path: Path, title: str) -> Path:
    """Draw ``session``'s notes to ``path`` (PNG); return the path."""
    figure = piano_roll(session, title)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90)
    return path


def piano_roll(session: SessionFile, title: str) -> Figure:
    """The piano roll as a drawn figure (``draw_piano_roll`` saves it)."""
    by_track: dict[str, list[NoteSpan]] = defaultdict(list)
    for note in session.notes:
        by_track[note.track].append(note)
    figure = Figure(figsize=(14, 7))
    FigureCanvasAgg(figure)  # no pyplot: no global state, safe off the main thread
    pitched, rhythm = figure.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    rows = _rhythm_rows(by_track)
    shaded: set[str] = set()  # whose turns are in the legend already
    for track, notes in sorted(by_track.items()):
        rhythmic = output_part(track) in RHYTHM_PARTS
        axis = rhythm if rhythmic else pitched
        starts = [session.tempo.time_of(n.start) for n in notes]
        widths = [max(session.tempo.time_of(n.end) - s, 0.02) for n, s in zip(notes, starts,
                                                                               strict=True)]
        ys = [rows[n.pitch][0] if rhythmic else n.pitch for n in notes]
        colour = COLOURS.get(track, OTHER_COLOUR)
        machine = track == "machine"
        axis.barh(ys, widths, left=starts, height=0.8, color=colour, alpha=ALPHA,
                  edgecolor="black" if machine else colour, linewidth=0.6,
                  label=f"{track} ({len(notes)})")
        if machine:
            axis.scatter(starts, [y + 1.2 for y in ys], marker="*", s=40, color=colour,
                         zorder=3)
    for tick, text in session.markers:
        if text == "play":
            for axis in (pitched, rhythm):
                axis.axvline(session.tempo.time_of(tick), color="black", linewidth=0.5,
                             linestyle=":")
        elif text.startswith(SWITCH_MARKER):
            x = session.tempo.time_of(tick)
            for axis in (pitched, rhythm):
                axis.axvline(x, color=SWITCH_COLOUR, linewidth=1.6)
            pitched.annotate(text.removeprefix(SWITCH_MARKER), (x, 0.0),
                             xycoords=("data", "axes fraction"), xytext=(3, 4),
                             textcoords="offset points", fontsize=8, color=SWITCH_COLOUR)
    for start, end, whose in turn_spans(session):
        for k, axis in enumerate((pitched, rhythm)):
            axis.axvspan(session.tempo.time_of(start), session.tempo.time_of(end),
                         color=COLOURS[whose], alpha=TURN_SHADES[whose], linewidth=0,
                         zorder=0, label=f"{whose}'s turn" if k == 0 and whose not in
                         shaded else None)
        shaded.add(whose)
    charted = chart_chords(session)
    for tick, name in charted:
        pitched.annotate(name, (session.tempo.time_of(tick), 0.0), xycoords=(
            "data", "axes fraction"), xytext=(2, 14), textcoords="offset points", fontsize=7,
            color="#1a4f8b")
    for tick in bar_lines(session):
        for axis in (pitched, rhythm):
            axis.axvline(session.tempo.time_of(tick), color="#999999", linewidth=0.3)
    chart_from = charted[0][0] if charted else session.end_tick + 1
    for tick, name in chord_marks(session.notes, session.ticks_per_beat // TOGETHER_PER_BEAT):
        if tick >= chart_from:
            continue  # the chart names them
        x = session.tempo.time_of(tick)
        pitched.axvline(x, color=COLOURS["chords"], linewidth=0.7, linestyle="--")
        pitched.annotate(name, (x, 1.0), xycoords=("data", "axes fraction"), xytext=(2, -10),
                         textcoords="offset points", fontsize=7, color="#1a6b1a")
    rhythm.set_yticks([r for r, _ in rows.values()], [n for _, n in rows.values()], fontsize=7)
    pitched.set_xlim(left=0)
    pitches = [n.pitch for t, ns in by_track.items() if output_part(t) not in RHYTHM_PARTS
               for n in ns]
    if pitches:  # room below the notes for the chart's and the switches' names
        pitched.set_ylim(min(pitches) - LABEL_ROOM, max(pitches) + 2)
    pitched.set_ylabel("MIDI pitch")
    pitched.set_title(title)
    _bar_axis(session, rhythm, pitched)
    for axis in (pitched, rhythm):
        if axis.get_legend_handles_labels()[0]:
            axis.legend(loc="upper left", bbox_to_anchor=(1.005, 1), fontsize=8, ncols=1,
                        borderaxespad=0)
    figure.tight_layout()
    return figure


def _bar_axis(session: SessionFile, bottom: Axes, top: Axes) -> None:
    """Bars on ``bottom``'s axis (at most ``MAX_BAR_LABELS`` named), seconds on ``top``'s."""
    numbered = bar_numbers(session)
    every = max(1, -(-len(numbered) // MAX_BAR_LABELS))
    shown = [(tick, n) for k, (tick, n) in enumerate(numbered) if n == 1 or k % every == 0]
    bottom.set_xticks([session.tempo.time_of(t) for t, _ in shown],
                      [str(n) for _, n in shown], fontsize=7)
    bottom.set_xticks([session.tempo.time_of(t) for t in beat_ticks(session)], minor=True)
    bottom.set_xlabel("bar (from each play start); beats ticked")
    seconds = top.secondary_xaxis("top")
    seconds.set_xlabel("seconds", fontsize=8)
    seconds.tick_params(labelsize=7)


def bar_numbers(session: SessionFile) -> list[tuple[int, int]]:
    """(tick, bar number) of each bar line, numbered from 1 at each play start."""
    plays = {tick for tick, text in session.markers if text == "play"}
    out: list[tuple[int, int]] = []
    for tick in bar_lines(session):
        out.append((tick, 1 if tick in plays or not out else out[-1][1] + 1))
    return out


def bar_lines(session: SessionFile) -> list[int]:
    """The ticks of the bars from each play start to the next (or the end), in the
    session's first meter (4/4 if it has none)."""
    meter = session.meter or Meter()
    bar = session.ticks_per_beat * 4 * meter.numerator // meter.denominator
    plays = [tick for tick, text in session.markers if text == "play"]
    ends = [*plays[1:], session.end_tick][:len(plays)]
    return [tick for start, end in zip(plays, ends, strict=True)
            for tick in range(start, end, bar)]


def beat_ticks(session: SessionFile) -> list[int]:
    """The ticks of the beats of each bar line's bar, in the session's first meter."""
    meter = session.meter or Meter()
    beat = session.ticks_per_beat * 4 // meter.denominator
    return [tick + k * beat for tick in bar_lines(session) for k in range(meter.numerator)]


def turn_spans(session: SessionFile) -> list[tuple[int, int, str]]:
    """(first tick, end tick, whose) of each turn the ``turn:`` markers mark while
    trading, each until the next turn or play start (or the session's end)."""
    turns = sorted((tick, text.removeprefix(TURN_MARKER)) for tick, text in session.markers
                   if text.startswith(TURN_MARKER))
    plays = [tick for tick, text in session.markers if text == "play"]
    spans = []
    for k, (start, whose) in enumerate(turns):
        ends = [t for t in plays if t > start] + [session.end_tick]
        if k + 1 < len(turns):
            ends.append(turns[k + 1][0])
        if whose in TURN_SHADES and min(ends) > start:
            spans.append((start, min(ends), whose))
    return spans


def chart_chords(session: SessionFile) -> list[tuple[int, str]]:
    """(tick, chord name) of each chord of the charts the session marks, repeated from
    each chart's bar 1 until the next chart or the end."""
    meter = session.meter or Meter()
    beat = session.ticks_per_beat * 4 // meter.denominator
    charts = [(tick, text.removeprefix(CHART_MARKER)) for tick, text in session.markers
              if text.startswith(CHART_MARKER)]
    out = []
    ends = [*(t for t, _ in charts[1:]), session.end_tick][:len(charts)]
    for (start, text), end in zip(charts, ends, strict=True):
        try:
            spans = parse_chart(text).spans(meter.numerator)
        except ChartError:
            continue  # a chart a foreign file marks: not ours to draw
        length = round(spans[-1][1] * beat)
        for chorus in range(start, end, length):
            out += [(chorus + round(first * beat), chord.name() if chord else "N.C.")
                    for first, _, chord in spans if chorus + first * beat < end]
    return out


def chord_marks(notes: list[NoteSpan], together: int = 0) -> list[tuple[int, str]]:
    """(tick, chord name) wherever the chords played (loop or take) change chord: the
    notes starting within ``together`` ticks of a group's first on a chord track, named
    as the improv feature reads them."""
    onsets: dict[int, list[int]] = defaultdict(list)
    first = None
    for note in sorted((n for n in notes if n.track in CHORD_TRACKS), key=lambda n: n.start):
        if first is None or note.start - first > together:
            first = note.start
        onsets[first].append(note.pitch)
    marks: list[tuple[int, str]] = []
    for tick in sorted(onsets):
        chord = chord_of(onsets[tick])
        name = chord.name() if chord is not None else ""
        if name and (not marks or marks[-1][1] != name):
            marks.append((tick, name))
    return marks


def _rhythm_rows(by_track: dict[str, list[NoteSpan]]) -> dict[int, tuple[int, str]]:
    """Pitch -> (row, label) for the drum and click panel: one row per sound, no gaps."""
    labels: dict[int, str] = {}
    for track, notes in by_track.items():
        part = output_part(track)
        if part in RHYTHM_PARTS:
            for note in notes:
                labels[note.pitch] = ("click" if part == "click"
                                      else drum_kit_class(note.pitch) or str(note.pitch))
    return {pitch: (row, labels[pitch]) for row, pitch in enumerate(sorted(labels))}
