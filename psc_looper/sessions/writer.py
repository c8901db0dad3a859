"""The session writer: inputs, outputs and steps in, a session MIDI file's bytes out.

Built for being saved again and again while a session goes on: events older than a
horizon are encoded once into each track's committed bytes (``commit``), the rest
stay pending and are encoded on every ``to_bytes``, with a provisional note-off for
every note still sounding, so each save is a complete, valid file and its cost
grows with the recent events, not the whole session. Events may arrive out of
order (loop events are sent ahead of their time) as long as they are newer than
the last commit. Not thread-safe: one owner (the recorder's writer thread).
"""

from __future__ import annotations

import itertools
import logging
import struct
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import mido
from mido.midifiles.midifiles import encode_variable_int

from psc_looper.looper.engine import Origin
from psc_looper.osc.ports import OscOut
from psc_looper.osc.protocol import CC_EVENT, NOTE_OFF, NOTE_ON, PANIC_ADDRESS, Instrument
from psc_looper.sessions.format import (
    CONDUCTOR,
    FORMAT_TAG,
    MICROSECONDS,
    PART_CHANNEL,
    PART_PROGRAM,
    TICKS_PER_BEAT,
    InputKind,
    RunSettings,
    TempoMap,
    output_part,
    output_track,
    us_per_beat,
)
from psc_looper.timing.meter import STEPS_PER_QUARTER, Meter

log = logging.getLogger(__name__)

MidiMessage: TypeAlias = mido.Message | mido.MetaMessage
Voice = tuple[str, int]  # (instrument address suffix, pitch)
ORDER_TICKS = 1.01  # just over a tick: distinct after rounding
# A MIDI file holds at most 65,535 tracks and every save rewrites them all: past this
# many input tracks, inputs of further sources share OTHER_SOURCES tracks (one per
# argument count) instead of each getting its own.
MAX_INPUT_TRACKS = 96
OTHER_SOURCES = "(other sources)"
INPUT_TYPES = {NOTE_ON: "note_on", NOTE_OFF: "note_off", CC_EVENT: "control_change"}


@dataclass
class SessionStats:
    """What a session held: inputs, notes per output track, machine takeovers."""

    inputs: int = 0
    notes: Counter[str] = field(default_factory=Counter)
    takeovers: int = 0  # machine notes right after a pianist's note


@dataclass(order=True)
class _Event:
    time: float
    seq: int
    message: MidiMessage = field(compare=False)
    tick: int | None = field(default=None, compare=False)  # fixed (tempo changes)


class _Track:
    """One track: committed bytes up to ``last_tick``, pending events after it."""

    def __init__(self, header: Iterable[MidiMessage]) -> None:
        self.data = bytearray()
        self.last_tick = 0
        self.pending: list[_Event] = []
        for message in header:
            self.data += _encode(0, message)

    def commit(self, horizon: float, tempo: TempoMap) -> None:
        self.pending.sort()
        split = next((i for i, e in enumerate(self.pending) if e.time >= horizon),
                     len(self.pending))
        done, self.pending = self.pending[:split], self.pending[split:]
        self.last_tick = _encode_into(self.data, done, self.last_tick, tempo)

    def chunk(self, tempo: TempoMap, extra: Sequence[_Event] = ()) -> bytes:
        data = bytearray(self.data)
        _encode_into(data, sorted([*self.pending, *extra]), self.last_tick, tempo)
        data += _encode(0, mido.MetaMessage("end_of_track"))
        return b"MTrk" + struct.pack(">I", len(data)) + bytes(data)


class SessionWriter:
    """Accumulates a session; times are clock seconds, ``origin`` is the file's tick 0;
    ``settings``: the run's, kept in the conductor track for a replay."""

    def __init__(self, origin: float, qpm: float, meter: Meter,
                 settings: RunSettings | None = None) -> None:
        self.origin = origin
        self.tempo = TempoMap(us_per_beat(qpm))
        self.meter = meter
        self.stats = SessionStats()
        self.end = 0.0  # latest event time (relative to origin)
        self._seq = itertools.count()
        self._conductor = _Track([
            mido.MetaMessage("track_name", name=CONDUCTOR),
            mido.MetaMessage("text", text=FORMAT_TAG),
            *([mido.MetaMessage("text", text=settings.text())] if settings else []),
            mido.MetaMessage("set_tempo", tempo=self.tempo.us_per_beat),
            _time_signature(meter),
        ])
        self._tracks: dict[object, _Track] = {}  # InputKind or output track name
        # voice -> (track, note-on event) of each sounding note, oldest first
        self._sounding: dict[Voice, list[tuple[str, _Event]]] = defaultdict(list)
        self._last_step: tuple[int, float] | None = None
        self._last_live: Origin | None = None
        self._last_input = -1.0
        self._input_tracks = 0

    # ------------------------------------------------------------------ events
    def add_input(self, time: float, address: str, args: Sequence[Any]) -> None:
        """One accepted inbound message (notes and CCs; others are not recorded)."""
        kind_name = INPUT_TYPES.get(address)
        if kind_name is None or len(args) < 2:
            return
        kind = InputKind(args[3] if len(args) > 3 else None, len(args))
        if kind not in self._tracks and self._input_tracks >= MAX_INPUT_TRACKS:
            kind = InputKind(OTHER_SOURCES, len(args))
        channel = int(args[2]) if len(args) > 2 else 0
        if kind_name == "control_change":
            message = mido.Message(kind_name, channel=channel, control=args[0], value=args[1])
        else:
            message = mido.Message(kind_name, channel=channel, note=args[0], velocity=args[1])
        # Inputs get distinct ticks in arrival order, so a reader merging the input tracks
        # gets the order back: a tie moves the later event a tick later.
        if time - self.origin <= self._last_input:
            time = self.origin + self._last_input + ORDER_TICKS * self.tempo.tick_seconds()
        self._last_input = time - self.origin
        track = self._tracks.get(kind)
        if track is None:
            header = [mido.MetaMessage("track_name", name=kind.track_name),
                      mido.MetaMessage("text", text=kind.header())]
            track = self._tracks[kind] = _Track(header)
            self._input_tracks += 1
        self._add(track, time, message)
        self.stats.inputs += 1

    def add_output(self, time: float, messages: Sequence[OscOut], origin: Origin) -> None:
        """One batch the backend sent; ``time`` is when it sounds."""
        for address, args in messages:
            if address == PANIC_ADDRESS:  # mirrors the bridge: what sounds by then ends
                self.close_notes(time)
                self.add_marker(time, "panic")
            elif address.startswith(("/play", "/stop")) and len(args) >= 2:
                self._output_note(time, address[1:5] == "play", address[5:], args, origin)

    def add_step(self, step: int, at: float, loop_meter: Meter | None = None) -> None:
        """A step played at ``at``: follows the tempo; ``loop_meter`` is given at loop starts."""
        last, self._last_step = self._last_step, (step, at)
        if step == 0:
            self.add_marker(at, "play")
        if last is not None and step == last[0] + 1:
            us = round((at - last[1]) * STEPS_PER_QUARTER * MICROSECONDS)
            tick = self.tempo.change_at_time(last[1] - self.origin, us)
            if tick is not None:
                tick = max(tick, self._conductor.last_tick)
                message = mido.MetaMessage("set_tempo", tempo=us)
                self._conductor.pending.append(_Event(last[1] - self.origin, next(self._seq),
                                                      message, tick))
        if loop_meter is not None and loop_meter != self.meter:
            self.meter = loop_meter
            self._add(self._conductor, at, _time_signature(loop_meter))

    def add_marker(self, time: float, text: str) -> None:
        self._add(self._conductor, time, mido.MetaMessage("marker", text=text))

    def close_notes(self, time: float) -> None:
        """A note-off at ``time`` for every note sounding by then (a panic, the end of the
        session); a loop note scheduled after it keeps sounding until its own stop."""
        relative = time - self.origin
        for (_suffix, pitch), notes in self._sounding.items():
            for name, on in [n for n in notes if n[1].time <= relative]:
                self._add(self._tracks[name], time, self._note_off(name, pitch))
                notes.remove((name, on))
        for voice in [v for v, notes in self._sounding.items() if not notes]:
            del self._sounding[voice]

    # ------------------------------------------------------------------ output
    def commit(self, horizon: float) -> None:
        """Encode for good every event before clock time ``horizon`` (none may come later)."""
        for track in (self._conductor, *self._tracks.values()):
            track.commit(horizon - self.origin, self.tempo)

    def to_bytes(self) -> bytes:
        """The whole file now, with notes still sounding ended at the latest event."""
        chunks = [self._conductor.chunk(self.tempo)]
        closing: dict[object, list[_Event]] = defaultdict(list)  # keys as in _tracks
        for (_suffix, pitch), notes in self._sounding.items():
            for name, _on in notes:
                event = _Event(self.end, next(self._seq), self._note_off(name, pitch))
                closing[name].append(event)
        inputs = [k for k in self._tracks if isinstance(k, InputKind)]
        outputs = [k for k in self._tracks if not isinstance(k, InputKind)]
        for key in [*inputs, *outputs]:
            chunks.append(self._tracks[key].chunk(self.tempo, closing.get(key, ())))
        header = b"MThd" + struct.pack(">IHHH", 6, 1, len(chunks), TICKS_PER_BEAT)
        return header + b"".join(chunks)

    # ------------------------------------------------------------------ helpers
    def _add(self, track: _Track, time: float, message: MidiMessage) -> _Event:
        relative = time - self.origin
        self.end = max(self.end, relative)
        event = _Event(relative, next(self._seq), message)
        track.pending.append(event)
        return event

    def _end_note(self, time: float, pitch: int, name: str, on: _Event) -> None:
        """A stop: the note ends at ``time``; a note stopped before it sounded (a loop
        note sent ahead, then a stop) never sounded and leaves the file."""
        track = self._tracks[name]
        if on.time > time - self.origin and on in track.pending:
            track.pending.remove(on)
            self.stats.notes[name] -= 1
            return
        self._add(track, max(time, self.origin + on.time), self._note_off(name, pitch))

    def _output_note(self, time: float, on: bool, suffix: str, args: Sequence[Any],
                     origin: Origin) -> None:
        try:
            instrument = Instrument(suffix)
            pitch, velocity = int(args[0]), int(args[1])
        except (ValueError, TypeError):
            log.debug("not recorded: /%s %r", suffix, args)
            return
        if not 0 <= pitch <= 127:
            return
        voice = (suffix, pitch)
        if not on:
            notes = self._sounding.get(voice)
            if notes:
                self._end_note(time, pitch, *notes.pop(0))
            return
        name = output_track(origin, instrument)
        track = self._tracks.get(name)
        if track is None:
            track = self._tracks[name] = _Track(_output_header(name))
        velocity = min(127, max(1, velocity))
        channel = PART_CHANNEL[output_part(name)]
        event = self._add(track, time, mido.Message("note_on", channel=channel, note=pitch,
                                                    velocity=velocity))
        self._sounding[voice].append((name, event))
        self.stats.notes[name] += 1
        if origin in (Origin.PIANIST, Origin.MACHINE):
            if origin is Origin.MACHINE and self._last_live is Origin.PIANIST:
                self.stats.takeovers += 1
            self._last_live = origin

    @staticmethod
    def _note_off(name: str, pitch: int) -> mido.Message:
        return mido.Message("note_off", channel=PART_CHANNEL[output_part(name)], note=pitch)


def _output_header(name: str) -> list[MidiMessage]:
    part = output_part(name)
    header: list[MidiMessage] = [mido.MetaMessage("track_name", name=name)]
    if part in PART_PROGRAM:
        header.append(mido.Message("program_change", channel=PART_CHANNEL[part],
                                   program=PART_PROGRAM[part]))
    return header


def _time_signature(meter: Meter) -> mido.MetaMessage:
    return mido.MetaMessage("time_signature", numerator=meter.numerator,
                            denominator=meter.denominator)


def _encode(delta: int, message: MidiMessage) -> bytes:
    return bytes(encode_variable_int(delta)) + bytes(message.bytes())


def _encode_into(data: bytearray, events: Iterable[_Event], last_tick: int,
                 tempo: TempoMap) -> int:
    """Append ``events`` (in order) as delta-timed messages; return the last tick."""
    for event in events:
        tick = event.tick if event.tick is not None else tempo.tick_of(event.time)
        tick = max(tick, last_tick)  # an event older than the last commit: as late as allowed
        data += _encode(tick - last_tick, event.message)
        last_tick = tick
    return last_tick
