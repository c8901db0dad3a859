"""Typed input events: what the bridge sends, made once from a validated message.

The dispatcher turns every accepted message into one of these small immutable values
(``event_of``) and hands it to its listeners (the backend's router, the recorder), so
no listener re-reads untyped arguments and the wire format is not anyone's method
signature. A note-on with velocity 0 is a release (as in MIDI) and arrives as a
``NoteOff``: presses and releases travel the same road. Each event keeps the message
it came from (``message``), so a session records exactly what arrived. Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from psc_looper.osc.protocol import BRIDGE_PORT, CC_EVENT, CLOCK_IN, NOTE_OFF, NOTE_ON, READY
from psc_looper.osc.strict import Message


@dataclass(frozen=True, slots=True)
class _Key:
    note: int
    velocity: int = 0
    channel: int = 0
    source: str = ""
    message: Message | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class NoteOn(_Key):
    """A key pressed (velocity 1..127). ``played``: the instrument and velocity the
    bridge already sounded it with (keys thru), else None; not part of ``message``,
    which is the key as the device sent it."""

    played: tuple[str, int] | None = field(default=None, compare=False)


class NoteOff(_Key):
    """A key released (a ``/processnoteoff``, or a ``/processnoteon`` with velocity 0)."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class ControlChange:
    """A knob, slider, button or pedal moved."""

    cc: int
    value: int
    channel: int = 0
    source: str = ""
    message: Message | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class BridgeReady:
    """The bridge (re)started and listens on ``port``."""

    port: int
    message: Message | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ClockByte:
    """A MIDI clock byte from ``source`` (kinds: ``protocol.CLOCK_*``)."""

    kind: int
    value: int = 0
    source: str = ""
    message: Message | None = field(default=None, compare=False, repr=False)


InputEvent = NoteOn | NoteOff | ControlChange | BridgeReady | ClockByte
ADDRESSES = (NOTE_ON, NOTE_OFF, CC_EVENT, READY, CLOCK_IN)  # every inbound address has an event


def event_of(message: Message) -> InputEvent:
    """The event of a message that passed ``protocol.INBOUND``'s checks (types, ranges,
    arity); a bare ``/ready`` means the default bridge port."""
    address, args = message.address, message.args
    if address == READY:
        return BridgeReady(int(args[0]) if args else BRIDGE_PORT, message)
    if address == CLOCK_IN:
        return ClockByte(int(args[0]), int(args[1]), str(args[2]) if len(args) > 2 else "",
                         message)
    first, second = int(args[0]), int(args[1])
    channel = int(args[2]) if len(args) > 2 else 0
    source = str(args[3]) if len(args) > 3 else ""
    if address == CC_EVENT:
        return ControlChange(first, second, channel, source, message)
    if address == NOTE_ON and second > 0:
        if len(args) > 5:  # sounded by the bridge already: the key itself is the rest
            return NoteOn(first, second, channel, source, Message(address, args[:4]),
                          played=(str(args[4]), int(args[5])))
        return NoteOn(first, second, channel, source, message)
    if address in (NOTE_ON, NOTE_OFF):
        return NoteOff(first, second, channel, source, message)
    raise ValueError(f"no input event for {address}")


def wire(event: InputEvent) -> Message:
    """The message an event came from (or the one that would carry it)."""
    if event.message is not None:
        return event.message
    if isinstance(event, BridgeReady):
        return Message(READY, (event.port,))
    if isinstance(event, ClockByte):
        return Message(CLOCK_IN, (event.kind, event.value, event.source))
    address = {NoteOn: NOTE_ON, NoteOff: NOTE_OFF, ControlChange: CC_EVENT}[type(event)]
    first, second = (event.cc, event.value) if isinstance(event, ControlChange) else (
        event.note, event.velocity)
    return Message(address, (first, second, event.channel, event.source))
