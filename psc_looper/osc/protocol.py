"""The OSC protocol between the SuperCollider bridge and the backend: one table.

Addresses keep the original Psc2 names so existing SuperCollider patches connect
unchanged. The README's protocol table is written from this module.

Inbound (bridge -> backend, default ``127.0.0.1:12345``) are described by
``INBOUND``: address, required and optional arguments with their types and ranges.
Outbound (backend -> bridge, default ``127.0.0.1:57120``) are ``/play<name>`` and
``/stop<name>`` with ``note velocity`` for every ``Instrument``, ``/panic [1]``, the
MIDI clock's ``/clock/*`` (``CLOCK_OUT_ADDRESSES``, ``CLOCK_DEVICE``), and
``/keys/thru`` (``KEYS_THRU``: how the bridge sounds keys itself, ``looper.thru``).
Loop events go out as OSC bundles time-tagged with the step's wall-clock time;
the pianist's live notes go out as plain messages, at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

BACKEND_HOST = "127.0.0.1"
BACKEND_PORT = 12345
BRIDGE_HOST = "127.0.0.1"
BRIDGE_PORT = 57120

# Loop events are sent this long before their step time, time-tagged with it, so
# the bridge can play them sample-accurately. It bounds how late a control change
# (mute, tempo) can be heard: the next step that has not been sent yet.
DEFAULT_LOOKAHEAD_SECONDS = 0.1


class Instrument(StrEnum):
    """Every sound the backend asks the bridge to play; the value is the address suffix."""

    KEYS = "wurly"  # the electric piano under the pianist's hands; the original's name
    BASS = "bass"
    CHORDS = "chords"
    KICK = "kick"
    SNARE = "snare"
    CLOSED_HAT = "clhat"
    OPEN_HAT = "ophat"
    LOW_TOM = "lowtom"
    MID_TOM = "midtom"
    HIGH_TOM = "hightom"
    CRASH = "crash"
    RIDE = "ride"
    CLICK_START = "click0"  # first beat of the sequence
    CLICK_BAR = "click1"  # first beat of every other bar
    CLICK_BEAT = "click2"  # every beat of the denominator


DRUMS: tuple[Instrument, ...] = (
    Instrument.KICK,
    Instrument.SNARE,
    Instrument.CLOSED_HAT,
    Instrument.OPEN_HAT,
    Instrument.LOW_TOM,
    Instrument.MID_TOM,
    Instrument.HIGH_TOM,
    Instrument.CRASH,
    Instrument.RIDE,
)
# What a key may sound as (the looper's tracks' instruments): all the keys thru plays.
KEY_INSTRUMENTS = frozenset({Instrument.KEYS, Instrument.BASS, Instrument.CHORDS})
CLICKS: tuple[Instrument, ...] = (
    Instrument.CLICK_START,
    Instrument.CLICK_BAR,
    Instrument.CLICK_BEAT,
)


def play_address(instrument: Instrument) -> str:
    return f"/play{instrument.value}"


def stop_address(instrument: Instrument) -> str:
    return f"/stop{instrument.value}"


PANIC_ADDRESS = "/panic"  # backend -> bridge: free every voice now
# ``/panic 1``: free what sounds now but keep the loop events already scheduled (a
# panic while playing); a bare ``/panic`` also drops everything scheduled (stop).
PANIC_KEEP_SCHEDULED = 1


@dataclass(frozen=True)
class Arg:
    """One argument of an inbound message: name, accepted types, inclusive range (or the
    only values it may take, ``choices``)."""

    name: str
    types: tuple[type, ...]
    low: int | None = None
    high: int | None = None
    choices: frozenset[str] | None = None

    def check(self, value: object) -> str | None:
        """Return the kind of problem (``"type"`` or ``"range"``), or None if valid."""
        if isinstance(value, bool) or not isinstance(value, self.types):
            return "type"
        if self.low is not None and isinstance(value, int | float) and value < self.low:
            return "range"
        if self.high is not None and isinstance(value, int | float) and value > self.high:
            return "range"
        if self.choices is not None and value not in self.choices:
            return "range"
        return None


@dataclass(frozen=True)
class InboundSpec:
    address: str
    required: tuple[Arg, ...]
    optional: tuple[Arg, ...] = ()
    doc: str = ""
    counts: tuple[int, ...] = ()  # the argument counts allowed (empty: any in range)


_MIDI = (int,)
_SOURCE = Arg("source", (str, int))
_CHANNEL = Arg("channel", _MIDI, 0, 15)

NOTE_ON = "/processnoteon"
NOTE_OFF = "/processnoteoff"
CC_EVENT = "/ccevent"
READY = "/ready"
CLOCK_IN = "/clockin"  # a MIDI clock byte from a device (sync.clockin)
# backend -> bridge: how keys sound now (instrument volume [MIDI input name ...]; an empty
# instrument: not at the bridge); the bridge plays them so at once (looper.thru)
KEYS_THRU = "/keys/thru"

# MIDI clock, both ways: the kinds are SuperCollider's system real-time indices.
CLOCK_SONG_POSITION, CLOCK_PULSE, CLOCK_START, CLOCK_CONTINUE, CLOCK_STOP = 2, 8, 10, 11, 12
# backend -> bridge, time-tagged like loop events (sync.clockout); /clock/device names
# the MIDI output the bridge sends them to.
CLOCK_OUT_ADDRESSES = {CLOCK_PULSE: "/clock/pulse", CLOCK_START: "/clock/start",
                       CLOCK_CONTINUE: "/clock/continue", CLOCK_STOP: "/clock/stop",
                       CLOCK_SONG_POSITION: "/clock/position"}
CLOCK_DEVICE = "/clock/device"

INBOUND: dict[str, InboundSpec] = {
    spec.address: spec
    for spec in (
        InboundSpec(
            NOTE_ON,
            (Arg("note", _MIDI, 0, 127), Arg("velocity", _MIDI, 0, 127)),
            (_CHANNEL, _SOURCE, Arg("played", (str,), choices=KEY_INSTRUMENTS),
             Arg("played_velocity", _MIDI, 1, 127)),
            "a key pressed (velocity 0 counts as a release, as in MIDI); played and "
            "played_velocity: the bridge already sounded it so (keys thru, /keys/thru)",
            counts=(2, 3, 4, 6),  # played comes with played_velocity
        ),
        InboundSpec(
            NOTE_OFF,
            (Arg("note", _MIDI, 0, 127), Arg("velocity", _MIDI, 0, 127)),
            (_CHANNEL, _SOURCE),
            "a key released",
        ),
        InboundSpec(
            CC_EVENT,
            (Arg("cc", _MIDI, 0, 127), Arg("value", _MIDI, 0, 127)),
            (_CHANNEL, _SOURCE),
            "a controller change (knob, slider, button, pedal)",
        ),
        InboundSpec(
            READY,
            (),
            (Arg("port", _MIDI, 1, 65535),),
            "the bridge (re)started and listens on port (default 57120)",
        ),
        InboundSpec(
            CLOCK_IN,
            (Arg("kind", _MIDI, 0, 15), Arg("value", _MIDI, 0, 16383)),
            (_SOURCE,),
            "a MIDI clock byte: kind 8 pulse, 10 start, 11 continue, 12 stop, "
            "2 song position (value: 16ths)",
        ),
    )
}
