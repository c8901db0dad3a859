"""The session file format: resolution, track names and channels, input-track headers,
and the tempo map that turns seconds into ticks and back.

- Type-1 MIDI, ``TICKS_PER_BEAT`` ticks per quarter note (one 16th step is
  ``TICKS_PER_STEP`` ticks; at 120 qpm a tick is 0.26 ms).
- Track 0, the conductor: name ``CONDUCTOR``, a text ``FORMAT_TAG``, then (files from
  settings v1 on) a text holding the run's settings as JSON (``RunSettings``), then
  ``set_tempo`` wherever the loop's step length changes, ``time_signature`` at each
  loop start with a new meter, markers (``play``, ``panic``, ``SWITCH_MARKER`` ...).
- Input tracks: name ``input: <source>`` (or ``input``), then a text event holding
  JSON ``{"psc_input": 1, "source": ..., "args": n}``: the OSC ``source`` argument
  (string or int, absent for messages without one) and the argument count. Notes are
  note_on/note_off (``/processnoteon`` / ``/processnoteoff`` with the channel and
  velocity as sent, so a note_on of velocity 0 stays one), CCs are control_change
  (``/ccevent``). Times are the times of receipt; inputs sit on distinct ticks in
  arrival order (a tie moves the later one a tick on), so merging the tracks by tick
  gives the order back.
- Output tracks: one per player and part (``output_track``), note_on at the time a
  note sounds, note_off at its stop. Drums on channel 10 with General MIDI pitches.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from typing import Any

from psc_looper.looper.engine import Origin
from psc_looper.osc.protocol import CLICKS, DRUMS, Instrument
from psc_looper.timing.meter import STEPS_PER_QUARTER

TICKS_PER_BEAT = 1920
SWITCH_MARKER = "switch: "  # a marker naming the song or section a loop start switched to
CHART_MARKER = "chart: "  # a marker holding the chord chart whose bar 1 starts there
TURN_MARKER = "turn: "  # trading: whose turn starts there (machine, pianist; "-" none)
TICKS_PER_STEP = TICKS_PER_BEAT // STEPS_PER_QUARTER
FORMAT_TAG = "psc-looper session v1"
CONDUCTOR = "psc-looper"
INPUT_PREFIX = "input"
INPUT_KEY = "psc_input"
SETTINGS_KEY = "psc_settings"  # its value is the version of the settings event
SETTINGS_VERSION = 1
SETTINGS_TABLES = ("loop", "improv", "band")
MODEL_KINDS = ("melody", "improv", "drums")
MICROSECONDS = 1_000_000

# MIDI channel (0-based) and General MIDI program of each part, for a DAW's playback.
PART_CHANNEL = {"keys": 0, "bass": 1, "chords": 2, "click": 8, "drums": 9}
PART_PROGRAM = {"keys": 4, "bass": 32, "chords": 0, "click": 115}


def part_of(instrument: Instrument) -> str:
    """The part an instrument belongs to: click, drums, bass, chords or keys."""
    if instrument in CLICKS:
        return "click"
    if instrument in DRUMS:
        return "drums"
    if instrument in (Instrument.BASS, Instrument.CHORDS):
        return instrument.value
    return "keys"


def output_track(origin: Origin, instrument: Instrument) -> str:
    """The output track of a note: who played it and, for a loop or a pianist, which part.

    The loop's parts are named by part (``click``, ``bass``, ``drums``, ``improv`` for
    keys); the pianist's live notes are ``pianist`` (``pianist: bass`` while recording
    a bass line); the machine's substituted notes are ``machine``.
    """
    part = part_of(instrument)
    if origin is Origin.MACHINE:
        return "machine"
    if origin is Origin.PIANIST:
        return "pianist" if part == "keys" else f"pianist: {part}"
    return "improv" if part == "keys" else part


def output_part(track: str) -> str:
    """The part of an output track name (inverse of ``output_track`` for channels)."""
    if track in ("machine", "pianist", "improv"):
        return "keys"
    return track.removeprefix("pianist: ")


@dataclass(frozen=True)
class InputKind:
    """What an input track holds: the OSC ``source`` argument and the argument count."""

    source: str | int | None
    args: int

    @property
    def track_name(self) -> str:
        """``input: <source>``; a MIDI name is Latin-1, so other characters are escaped
        here (the header's JSON keeps the source exactly)."""
        if self.source is None:
            return INPUT_PREFIX
        name = f"{INPUT_PREFIX}: {self.source}"
        return name.encode("latin-1", "backslashreplace").decode("latin-1")

    def header(self) -> str:
        data: dict[str, Any] = {INPUT_KEY: 1, "args": self.args}
        if self.source is not None:
            data["source"] = self.source
        return json.dumps(data, sort_keys=True)

    @classmethod
    def parse(cls, text: str) -> InputKind | None:
        """The kind in an input-track header, or None if ``text`` is not one."""
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get(INPUT_KEY) != 1:
            return None
        source, args = data.get("source"), data.get("args")
        if not isinstance(args, int) or not isinstance(source, str | int | None):
            return None
        return cls(source, args)

    def osc_args(self, first: int, second: int, channel: int) -> tuple[int | str, ...]:
        """The OSC arguments of an event of this kind: (note|cc, velocity|value, ...)."""
        full: tuple[int | str, ...] = (first, second, channel)
        if self.source is not None:
            full += (self.source,)
        return full[: self.args]


class SettingsFormatError(ValueError):
    """A settings event that cannot be read (bad JSON, unknown version, wrong shapes)."""


@dataclass(frozen=True)
class RunSettings:
    """What shaped the music of the run a session recorded, in the conductor's text event
    ``{"psc_settings": 1, "tables": {...}, "seed": n, "models": {...}}``: ``tables`` holds
    the performer config's ``[loop]``, ``[improv]`` and ``[band]`` tables (every key, as a
    TOML file would; ``config.performer``), ``seed`` the models' seed (null: none),
    ``models`` each model bundle's file name (null: none loaded; for the record)."""

    tables: dict[str, dict[str, Any]]
    seed: int | None = None
    models: dict[str, str | None] = field(default_factory=dict)

    @property
    def without_models(self) -> bool:
        """The run loaded no model (``--no-models``, or none was there)."""
        return bool(self.models) and all(name is None for name in self.models.values())

    def text(self) -> str:
        return json.dumps({SETTINGS_KEY: SETTINGS_VERSION, "tables": self.tables,
                           "seed": self.seed, "models": self.models}, sort_keys=True)

    @staticmethod
    def claims(text: str) -> bool:
        """Whether ``text`` is meant as a settings event (it names ``SETTINGS_KEY``)."""
        return text.lstrip().startswith("{") and SETTINGS_KEY in text

    @classmethod
    def parse(cls, text: str) -> RunSettings:
        """The settings in an event's text (``SettingsFormatError``: the reason)."""
        try:
            data = json.loads(text)
        except ValueError:
            raise SettingsFormatError("the settings event is not JSON") from None
        if not isinstance(data, dict) or SETTINGS_KEY not in data:
            raise SettingsFormatError("the settings event has no version")
        version = data[SETTINGS_KEY]
        if version != SETTINGS_VERSION or isinstance(version, bool):
            raise SettingsFormatError(f"settings version {json.dumps(version)[:20]} is not "
                                      f"known (this psc-looper reads {SETTINGS_VERSION})")
        tables, seed, models = data.get("tables"), data.get("seed"), data.get("models", {})
        if not isinstance(tables, dict) or set(tables) - set(SETTINGS_TABLES) or not all(
                isinstance(t, dict) for t in tables.values()):
            raise SettingsFormatError(f"the settings' tables must be {', '.join(SETTINGS_TABLES)}")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise SettingsFormatError("the settings' seed must be a whole number or null")
        if not isinstance(models, dict) or not all(
                k in MODEL_KINDS and isinstance(v, str | None) for k, v in models.items()):
            raise SettingsFormatError("the settings' models must name melody, improv, drums")
        return cls(tables, seed, models)


@dataclass(frozen=True)
class TempoSegment:
    tick: int
    time: float
    us_per_beat: int


class TempoMap:
    """Piecewise-constant tempo: ticks <-> seconds, the same arithmetic for writer and reader.

    Each segment starts at a tick; its time is computed from the segments before it
    (never taken from outside), so a reader rebuilding the map from the file's
    ``set_tempo`` events gets the same times, and every tick the writer computes is
    within half a tick of the time it was given. Not thread-safe: one owner.
    """

    def __init__(self, us_per_beat: int, ticks_per_beat: int = TICKS_PER_BEAT) -> None:
        self.ticks_per_beat = ticks_per_beat
        self.segments = [TempoSegment(0, 0.0, us_per_beat)]

    @property
    def us_per_beat(self) -> int:
        return self.segments[-1].us_per_beat

    def _tick_seconds(self, segment: TempoSegment) -> float:
        return segment.us_per_beat / (MICROSECONDS * self.ticks_per_beat)

    def tick_seconds(self) -> float:
        """The length of a tick at the latest tempo."""
        return self._tick_seconds(self.segments[-1])

    def time_of(self, tick: int) -> float:
        index = bisect.bisect_right([s.tick for s in self.segments], tick) - 1
        segment = self.segments[max(index, 0)]
        return segment.time + (tick - segment.tick) * self._tick_seconds(segment)

    def tick_of(self, time: float) -> int:
        index = bisect.bisect_right([s.time for s in self.segments], time) - 1
        segment = self.segments[max(index, 0)]
        return max(0, round(segment.tick + (time - segment.time) / self._tick_seconds(segment)))

    def change_at_tick(self, tick: int, us_per_beat: int) -> None:
        """A new tempo from ``tick`` on (ticks must not go back; same tick: replaced)."""
        last = self.segments[-1]
        if tick < last.tick:
            raise ValueError(f"tempo change at tick {tick} before the last one at {last.tick}")
        if tick == last.tick and len(self.segments) > 1:
            self.segments.pop()
        elif tick == last.tick:
            self.segments[0] = TempoSegment(0, 0.0, us_per_beat)
            return
        self.segments.append(TempoSegment(tick, self.time_of(tick), us_per_beat))

    def change_at_time(self, time: float, us_per_beat: int) -> int | None:
        """A new tempo from ``time`` on; returns its tick, or None if the tempo is the same."""
        if us_per_beat == self.us_per_beat:
            return None
        tick = max(self.tick_of(time), self.segments[-1].tick)
        self.change_at_tick(tick, us_per_beat)
        return tick


def us_per_beat(qpm: float) -> int:
    return round(60 * MICROSECONDS / qpm)


def qpm_of(us: int) -> float:
    return 60 * MICROSECONDS / us
