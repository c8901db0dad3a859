"""Reading a MIDI file back: the inputs to replay, the notes each track played, the grid.

Our session files give back their input tracks exactly (OSC address and arguments,
time of receipt within half a tick). Any other standard MIDI file is read as a
piano performance: every note on any track and channel becomes keyboard input
(source ``FOREIGN_SOURCE``); its controller events are left out.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mido

from psc_looper.osc.protocol import CC_EVENT, NOTE_OFF, NOTE_ON
from psc_looper.sessions.format import FORMAT_TAG, InputKind, TempoMap, qpm_of
from psc_looper.timing.meter import Meter, MeterError

FOREIGN_SOURCE = "keyboard"
DEFAULT_US_PER_BEAT = 500_000  # MIDI's default tempo, 120 qpm


class SessionFileError(ValueError):
    """A file that is not a readable standard MIDI file."""


@dataclass(frozen=True)
class InputEvent:
    """One inbound OSC message at ``time`` seconds from the file's start."""

    time: float
    address: str
    args: tuple[int | str, ...]


@dataclass(frozen=True)
class NoteSpan:
    """A note of an output track, in ticks."""

    track: str
    pitch: int
    velocity: int
    start: int
    end: int


@dataclass
class SessionFile:
    path: Path
    ours: bool  # written by psc-looper (inputs read from its input tracks)
    ticks_per_beat: int
    tempo: TempoMap
    meter: Meter | None  # the first time signature, if the looper supports it
    inputs: list[InputEvent] = field(default_factory=list)
    notes: list[NoteSpan] = field(default_factory=list)
    markers: list[tuple[int, str]] = field(default_factory=list)
    ignored: int = 0  # events of a foreign file that are not notes

    @property
    def qpm(self) -> float:
        return qpm_of(self.tempo.segments[0].us_per_beat)

    @property
    def end_tick(self) -> int:
        return max((n.end for n in self.notes), default=0)


def read_session(path: str | Path) -> SessionFile:
    """Read any standard MIDI file; raise ``SessionFileError`` if it is not one."""
    path = Path(path)
    try:
        midi = mido.MidiFile(path)
    except (OSError, EOFError, ValueError, KeyError, IndexError, struct.error) as exc:
        raise SessionFileError(f"{path}: not a readable MIDI file ({exc})") from exc
    tracks = [_absolute(track) for track in midi.tracks]
    session = SessionFile(path, _is_ours(tracks), midi.ticks_per_beat,
                          _tempo_map(tracks, midi.ticks_per_beat), _first_meter(tracks))
    timed: list[tuple[int, int, int, InputEvent]] = []
    for index, track in enumerate(tracks):
        name = _track_name(track) or f"track {index}"
        kind = _input_kind(track) if session.ours else None
        if kind is not None:
            timed += _inputs(track, kind, session.tempo, index)
            continue
        if not session.ours:
            timed += _foreign_inputs(track, session, index)
        session.notes += _spans(track, name)
        session.markers += [(t, m.text) for t, m in track if m.type == "marker"]
    session.inputs = [event for *_, event in sorted(timed, key=lambda x: x[:3])]
    session.notes.sort(key=lambda n: (n.start, n.track, n.pitch))
    session.markers.sort()
    return session


def _absolute(track: mido.MidiTrack) -> list[tuple[int, Any]]:
    tick, out = 0, []
    for message in track:
        tick += message.time
        out.append((tick, message))
    return out


def _is_ours(tracks: list[list[tuple[int, Any]]]) -> bool:
    return bool(tracks) and any(
        m.type == "text" and m.text == FORMAT_TAG for _, m in tracks[0][:4])


def _tempo_map(tracks: list[list[tuple[int, Any]]], ticks_per_beat: int) -> TempoMap:
    changes = sorted((t, m.tempo) for track in tracks for t, m in track if m.type == "set_tempo")
    tempo = TempoMap(changes[0][1] if changes and changes[0][0] == 0 else DEFAULT_US_PER_BEAT,
                     ticks_per_beat)
    for tick, us in changes:
        if tick > 0:
            tempo.change_at_tick(tick, us)
    return tempo


def _first_meter(tracks: list[list[tuple[int, Any]]]) -> Meter | None:
    signatures = [(t, m) for track in tracks for t, m in track if m.type == "time_signature"]
    if not signatures:
        return None
    first = min(signatures, key=lambda x: x[0])[1]
    try:
        return Meter(first.numerator, first.denominator)
    except MeterError:
        return None


def _track_name(track: list[tuple[int, Any]]) -> str | None:
    return next((m.name for _, m in track if m.type == "track_name"), None)


def _input_kind(track: list[tuple[int, Any]]) -> InputKind | None:
    for _, message in track[:3]:
        if message.type == "text":
            kind = InputKind.parse(message.text)
            if kind is not None:
                return kind
    return None


def _inputs(track: list[tuple[int, Any]], kind: InputKind, tempo: TempoMap,
            index: int) -> list[tuple[int, int, int, InputEvent]]:
    out = []
    for order, (tick, message) in enumerate(track):
        if message.type in ("note_on", "note_off"):
            address = NOTE_ON if message.type == "note_on" else NOTE_OFF
            args = kind.osc_args(message.note, message.velocity, message.channel)
        elif message.type == "control_change":
            address, args = CC_EVENT, kind.osc_args(message.control, message.value,
                                                    message.channel)
        else:
            continue
        out.append((tick, index, order, InputEvent(tempo.time_of(tick), address, args)))
    return out


def _foreign_inputs(track: list[tuple[int, Any]], session: SessionFile,
                    index: int) -> list[tuple[int, int, int, InputEvent]]:
    out = []
    for order, (tick, message) in enumerate(track):
        if message.type in ("note_on", "note_off"):
            address = NOTE_ON if message.type == "note_on" else NOTE_OFF
            args = (message.note, message.velocity, message.channel, FOREIGN_SOURCE)
            out.append((tick, index, order,
                        InputEvent(session.tempo.time_of(tick), address, args)))
        elif not message.is_meta:
            session.ignored += 1
    return out


def _spans(track: list[tuple[int, Any]], name: str) -> list[NoteSpan]:
    """Pair note-ons with note-offs (first in, first out); unended notes end with the track."""
    sounding: dict[tuple[int, int], list[tuple[int, int]]] = {}
    spans = []
    for tick, message in track:
        if message.type not in ("note_on", "note_off"):
            continue
        key = (message.channel, message.note)
        if message.type == "note_on" and message.velocity > 0:
            sounding.setdefault(key, []).append((tick, message.velocity))
        elif sounding.get(key):
            start, velocity = sounding[key].pop(0)
            spans.append(NoteSpan(name, message.note, velocity, start, tick))
    end = track[-1][0] if track else 0
    for (_, pitch), started in sounding.items():
        spans += [NoteSpan(name, pitch, velocity, start, end) for start, velocity in started]
    return spans
