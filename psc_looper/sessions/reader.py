"""Reading a MIDI file back: the inputs to replay, the notes each track played, the grid.

Our session files give back their input tracks exactly (OSC address and arguments,
time of receipt within half a tick). Any other standard MIDI file is read as a
piano performance (``foreign.py``: its piano channels' notes and sustain pedal become
keyboard input, what is left out is named in ``notices``). A file that cannot be
replayed (truncated, no ticks per beat, a zero tempo) is one ``SessionFileError`` line.
"""

from __future__ import annotations

import struct
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mido

from psc_looper.osc.protocol import CC_EVENT, NOTE_OFF, NOTE_ON
from psc_looper.sessions import foreign
from psc_looper.sessions.foreign import FOREIGN_SOURCE
from psc_looper.sessions.format import (
    FORMAT_TAG,
    InputKind,
    RunSettings,
    SettingsFormatError,
    TempoMap,
    qpm_of,
)
from psc_looper.timing.meter import Meter, MeterError

__all__ = [
    "FOREIGN_SOURCE",
    "NoteSpan",
    "SessionFile",
    "SessionFileError",
    "TimedInput",
    "read_session",
]
DEFAULT_US_PER_BEAT = 500_000  # MIDI's default tempo, 120 qpm


class SessionFileError(ValueError):
    """A file that is not a readable standard MIDI file."""


@dataclass(frozen=True)
class TimedInput:
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
    inputs: list[TimedInput] = field(default_factory=list)
    notes: list[NoteSpan] = field(default_factory=list)
    markers: list[tuple[int, str]] = field(default_factory=list)
    ignored: int = 0  # events of a foreign file that are not notes or its sustain pedal
    notices: list[str] = field(default_factory=list)  # what a foreign file's replay leaves out
    settings_text: str | None = None  # the conductor's settings event (None: none)

    @property
    def end_tick(self) -> int:
        """The tick where the last note ends (0: no notes)."""
        return max((n.end for n in self.notes), default=0)

    @property
    def qpm(self) -> float:
        return qpm_of(self.tempo.segments[0].us_per_beat)

    def run_settings(self) -> RunSettings | None:
        """The settings of the run it recorded (None: a file from before they were kept,
        or not ours); ``SessionFileError`` naming the file if they cannot be read."""
        if self.settings_text is None:
            return None
        try:
            return RunSettings.parse(self.settings_text)
        except SettingsFormatError as exc:
            raise SessionFileError(f"{self.path}: {exc}") from None


def read_session(path: str | Path, channels: frozenset[int] | None = None) -> SessionFile:
    """Read any standard MIDI file; raise ``SessionFileError`` if it is not one.
    ``channels`` (0-based) chooses a foreign file's piano channels (default: ``foreign``)."""
    path = Path(path)
    try:
        midi = mido.MidiFile(path)
    except EOFError as exc:
        raise SessionFileError(f"{path}: not a readable MIDI file (it ends in the middle "
                               f"of a chunk: truncated){_detail(exc)}") from exc
    except (OSError, ValueError, KeyError, IndexError, struct.error) as exc:
        raise SessionFileError(f"{path}: not a readable MIDI file{_detail(exc)}") from exc
    tracks = [_absolute(track) for track in midi.tracks]
    _check_timing(path, midi.ticks_per_beat, tracks)
    session = SessionFile(path, _is_ours(tracks), midi.ticks_per_beat,
                          _tempo_map(tracks, midi.ticks_per_beat), _first_meter(tracks))
    timed: list[tuple[int, int, int, TimedInput]] = []
    keys, ignored = frozenset[int](), Counter[str]()
    if session.ours:
        session.settings_text = next((m.text for _, m in tracks[0][:6] if m.type == "text"
                                      and RunSettings.claims(m.text)), None)
    else:
        keys, session.notices = foreign.piano_channels(tracks, channels)
    for index, track in enumerate(tracks):
        name = _track_name(track) or f"track {index}"
        kind = _input_kind(track) if session.ours else None
        if kind is not None:
            timed += _inputs(track, kind, session.tempo, index)
            continue
        if not session.ours:
            timed += [(tick, number, order, TimedInput(*event)) for tick, number, order, event
                      in foreign.foreign_inputs(track, session.tempo, keys, index, ignored)]
        session.notes += _spans(track, name)
        session.markers += [(t, m.text) for t, m in track if m.type == "marker"]
    session.inputs = [event for *_, event in sorted(timed, key=lambda x: x[:3])]
    session.notes.sort(key=lambda n: (n.start, n.track, n.pitch))
    session.markers.sort()
    if not session.ours:
        session.ignored = sum(ignored.values())
        session.notices += foreign.ignored_notices(ignored)
        session.notices += foreign.change_notices(session.tempo, _meters(tracks))
    return session


def _detail(exc: BaseException) -> str:
    return f" ({exc})" if str(exc) else ""


def _check_timing(path: Path, ticks_per_beat: int, tracks: list[list[tuple[int, Any]]]) -> None:
    """Refuse what would make times meaningless: no ticks per beat, SMPTE division, tempo 0."""
    if ticks_per_beat == 0:
        raise SessionFileError(f"{path}: its header gives 0 ticks per beat (division 0): "
                               "note times cannot be known")
    if ticks_per_beat < 0:  # mido reads the division signed: negative is SMPTE
        raise SessionFileError(f"{path}: SMPTE time division (frames per second) is not "
                               "supported; save it with ticks per beat")
    for track in tracks:
        for tick, message in track:
            if message.type == "set_tempo" and message.tempo <= 0:
                raise SessionFileError(f"{path}: a tempo of 0 (set_tempo 0 us per beat) at "
                                       f"tick {tick}: note times cannot be known")


def _meters(tracks: list[list[tuple[int, Any]]]) -> list[tuple[int, str]]:
    return [(t, f"{m.numerator}/{m.denominator}") for track in tracks for t, m in track
            if m.type == "time_signature"]


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
            index: int) -> list[tuple[int, int, int, TimedInput]]:
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
        out.append((tick, index, order, TimedInput(tempo.time_of(tick), address, args)))
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
