"""Replay scripts: controller actions at bar/beat/second positions, for files without them.

Syntax (``psc-looper replay --script``)::

    SCRIPT := ITEM (";" ITEM)*
    ITEM   := ACTION "@" WHEN ["-" WHEN]
    ACTION := NAME [":" ARGUMENT] ["=" VALUE]
    WHEN   := NUMBER [UNIT]        UNIT: s (default) | beat(s) | bar(s) | step(s)

``NAME[:ARGUMENT]`` is an action of the controller map (``play``, ``stop``, ``tap``,
``mode:bass``, ``mute:click``, ``build_beat``, ``tempo=64``, ``volume:bass=100``...);
``free``, ``bass``, ``chords`` and ``improv`` are short for ``mode:<name>``. A
button action is sent as the map's CC pressed and released, a continuous one (knob,
slider) needs ``=VALUE`` (0..127). ``ACTION@X-Y`` does the action at X and at Y
either ``mode:free`` (for a mode) or the action again (a toggle such as a mute).
Beats are quarter notes, bars and steps follow the file's first tempo map and time
signature (a DAW's grid: ``2bars`` is where bar 3 starts).

When the script presses ``play``, the loop's first step sounds at the play position:
the play button is sent that early (the looper's lookahead), and every other event,
the file's notes included, that much later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from psc_looper.control.mapping import ControllerMap
from psc_looper.osc.protocol import CC_EVENT
from psc_looper.sessions.format import TempoMap
from psc_looper.sessions.reader import TimedInput
from psc_looper.timing.meter import Meter

MODE_SHORTCUTS = ("free", "bass", "chords", "improv")
PLAY_ACTIONS = ("play", "toggle_play")
UNITS = {"": "s", "s": "s", "sec": "s", "beat": "beat", "beats": "beat", "bar": "bar",
         "bars": "bar", "step": "step", "steps": "step"}
_WHEN = r"(\d+(?:\.\d+)?)\s*([a-z]*)"
_ITEM = re.compile(
    rf"^\s*([a-z_]+)(?::([a-z_0-9]+))?(?:=(\d+))?\s*@\s*{_WHEN}(?:\s*-\s*{_WHEN})?\s*$")


class ScriptError(ValueError):
    """A script that cannot be parsed or names an action no controller map binds."""


@dataclass(frozen=True)
class Position:
    amount: float
    unit: str  # s, beat, bar, step

    def seconds(self, tempo: TempoMap, meter: Meter) -> float:
        if self.unit == "s":
            return self.amount
        beats = {"beat": 1.0, "step": 0.25, "bar": meter.numerator * 4 / meter.denominator}
        return tempo.time_of(round(self.amount * beats[self.unit] * tempo.ticks_per_beat))


@dataclass(frozen=True)
class ScriptItem:
    action: str
    argument: str | None
    value: int | None
    at: Position

    @property
    def starts_loop(self) -> bool:
        return self.action in PLAY_ACTIONS


def parse_script(text: str) -> list[ScriptItem]:
    items = []
    for part in filter(str.strip, text.split(";")):
        match = _ITEM.match(part.lower())
        if match is None:
            raise ScriptError(f"cannot read script item {part.strip()!r} "
                              "(expected ACTION@WHEN or ACTION@WHEN-WHEN, e.g. bass@0-2bars)")
        action, argument, value, start, unit, end, end_unit = match.groups()
        if action in MODE_SHORTCUTS and argument is None:
            action, argument = "mode", action
        number = None if value is None else int(value)
        if number is not None and number > 127:
            raise ScriptError(f"{part.strip()!r}: value must be 0..127")
        items.append(ScriptItem(action, argument, number, _position(start, unit, part)))
        if end is not None:
            again = ("mode", "free") if action == "mode" else (action, argument)
            items.append(ScriptItem(*again, number, _position(end, end_unit, part)))
    return items


def _position(amount: str, unit: str, part: str) -> Position:
    if unit not in UNITS:
        raise ScriptError(f"{part.strip()!r}: unknown unit {unit!r} (use s, beats, bars, steps)")
    return Position(float(amount), UNITS[unit])


def script_inputs(items: list[ScriptItem], tempo: TempoMap, meter: Meter,
                  maps: list[ControllerMap], lead: float) -> list[TimedInput]:
    """The controller events of a script, as the bridge would send them.

    Events other than play move ``lead`` seconds later (see the module docstring).
    """
    shift = lead if any(item.starts_loop for item in items) else 0.0
    events = []
    for item in items:
        cc_map, cc, continuous = _binding(item, maps)
        time = item.at.seconds(tempo, meter) + (0.0 if item.starts_loop else shift)
        source = (cc_map.source, ) if cc_map.source else ()
        channel = max(cc_map.channel, 0)
        if continuous:
            if item.value is None:
                raise ScriptError(f"{_name(item)} is a knob or slider: give a value, "
                                  f"e.g. {_name(item)}=64@0")
            values = [item.value]
        elif item.value is not None:
            raise ScriptError(f"{_name(item)} is a button: it takes no value")
        else:
            values = [127, 0]
        events += [TimedInput(time, CC_EVENT, (cc, v, channel, *source)) for v in values]
    return sorted(events, key=lambda e: e.time)


def _binding(item: ScriptItem, maps: list[ControllerMap]) -> tuple[ControllerMap, int, bool]:
    for cc_map in maps:
        for cc, binding in cc_map.bindings.items():
            if binding.action == item.action and binding.argument == item.argument:
                return cc_map, cc, binding.continuous
    known = sorted({_label(b.action, b.argument) for m in maps for b in m.bindings.values()})
    raise ScriptError(f"no controller binding for {_name(item)!r}; known: {', '.join(known)}")


def _name(item: ScriptItem) -> str:
    return _label(item.action, item.argument)


def _label(action: str, argument: str | None) -> str:
    return action if argument is None else f"{action}:{argument}"
