"""Named actions: what a controller binding does, and the table features add to.

The looper's own actions are registered by ``looper_actions``; features (drums,
improv) register theirs with ``ActionTable.register``. A bound action whose feature
is not there says so in the status view instead of failing silently.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from psc_looper.control.knobs import PRESSED
from psc_looper.control.mapping import ControllerMap
from psc_looper.looper.engine import Looper
from psc_looper.looper.freetake import Fit
from psc_looper.looper.layers import LAYERED_TRACKS
from psc_looper.looper.notes import Mode, Track
from psc_looper.osc.events import ControlChange
from psc_looper.timing.swing import Grid
from psc_looper.timing.tempo import qpm_from_knob

log = logging.getLogger(__name__)

TEMPO_STEP = 2.0  # qpm per tempo_up / tempo_down press

# An action receives the binding's argument (or None) and the CC value 0..127.
Action = Callable[[str | None, int], None]


class ActionTable:
    """Action name -> callable. Filled at start-up, then only read (no lock needed)."""

    def __init__(self, looper: Looper) -> None:
        self.looper = looper
        self._actions: dict[str, Action] = {}

    def register(self, name: str, action: Action) -> None:
        self._actions[name] = action

    def names(self) -> set[str]:
        return set(self._actions)

    def run(self, name: str, argument: str | None, value: int) -> None:
        action = self._actions.get(name)
        if action is None:
            self.looper.warn(f"{name}: not built yet")
            return
        try:
            action(argument, value)
        except (KeyError, ValueError) as exc:
            self.looper.warn(f"{name}:{argument}: {exc}")


class Controller:
    """Routes ``/ccevent`` to the first map that matches the event's source and channel."""

    def __init__(self, table: ActionTable, maps: Iterable[ControllerMap]) -> None:
        self.table = table
        self.maps = list(maps)

    def cc(self, event: ControlChange) -> None:
        for controller_map in self.maps:
            if not controller_map.matches(event.source, event.channel):
                continue
            binding = controller_map.lookup(event.cc, event.value)
            if binding is not None:
                self.table.run(binding.action, binding.argument, event.value)
            return


def looper_actions(table: ActionTable) -> None:
    """Register the looper's own actions (transport, tempo, structure, mix, modes)."""
    lp = table.looper
    simple: dict[str, Callable[[], None]] = {
        "play": lp.play,
        "stop": lp.stop,
        "toggle_play": lp.toggle_play,
        "panic": lp.panic,
        "tap": lp.tap,
        "count_in": lp.toggle_count_in,
        "tempo_up": lambda: lp.set_qpm(lp.qpm + TEMPO_STEP),
        "tempo_down": lambda: lp.set_qpm(lp.qpm - TEMPO_STEP),
        "bars_down": lambda: lp.nudge_structure(bars=-1),
        "bars_up": lambda: lp.nudge_structure(bars=1),
        "numerator_down": lambda: lp.nudge_structure(numerator=-1),
        "numerator_up": lambda: lp.nudge_structure(numerator=1),
        "denominator_half": lambda: lp.nudge_structure(denominator=0.5),
        "denominator_double": lambda: lp.nudge_structure(denominator=2),
    }
    for name, call in simple.items():
        table.register(name, _ignore_args(call))
    table.register("tempo", lambda _arg, value: lp.set_qpm(qpm_from_knob(value)))
    table.register("mute", lambda arg, _value: lp.toggle_mute(Track(_needed(arg))))
    table.register("volume", lambda arg, value: lp.set_volume(Track(_needed(arg)), value / 127))
    table.register("mode", lambda arg, _value: lp.set_mode(Mode(_needed(arg))))
    table.register("sustain", lambda _arg, value: lp.sustain(value >= PRESSED))
    table.register("bars", lambda arg, _value: lp.change_structure(bars=_number(arg, int)))
    table.register("swing", lambda arg, _value: lp.set_swing(_number(arg, float)))
    table.register("quantize", lambda arg, _value: lp.quantize(*_quantize(arg)))
    table.register("free_record", lambda arg, _value: lp.free_record(*_free(arg)))
    layer_actions(table)


def layer_actions(table: ActionTable) -> None:
    """Record/overdub/undo/redo/clear on the layered tracks (``looper.layers``).

    ``undo``/``redo``/``clear`` take an optional track (none: the last one changed);
    ``undo:drums``/``redo:drums`` step through the drum part history (``drums_undo``).
    """
    lp = table.looper

    def on_track(call: Callable[[Track | None], None], drums: str | None = None) -> Action:
        def action(arg: str | None, value: int) -> None:
            if arg == Track.DRUMS and drums is not None:
                table.run(drums, None, value)
            else:
                call(_layered(arg))
        return action

    table.register("record", lambda arg, _value: lp.record(_track(arg)))
    table.register("overdub", lambda arg, _value: lp.record(_track(arg), overdub=True))
    table.register("undo", on_track(lp.undo, drums="drums_undo"))
    table.register("redo", on_track(lp.redo, drums="drums_undo"))
    table.register("clear", on_track(lp.clear, drums="drums_clear"))


def _layered(arg: str | None) -> Track | None:
    return None if arg is None else _track(arg)


def _needed(arg: str | None) -> str:
    if arg is None:
        raise ValueError("needs an argument (e.g. mute:bass)")
    return arg


def _track(arg: str | None) -> Track:
    track = Track(_needed(arg))
    if track not in LAYERED_TRACKS:
        raise ValueError(f"not a recorded track (use {', '.join(LAYERED_TRACKS)})")
    return track


def _number(arg: str | None, kind: type[int] | type[float]) -> Any:
    try:
        return kind(arg or "")
    except ValueError:
        raise ValueError(f"want a number, not {arg!r}") from None


def _quantize(arg: str | None) -> tuple[Track, Grid | None]:
    """``bass`` or ``bass:GRID`` (grid, 16th, triplet; feel: no quantizing)."""
    name, _, grid = (arg or "").partition(":")
    return _track(name), None if grid == "feel" else Grid(grid or Grid.GRID)


def _free(arg: str | None) -> tuple[Track, Fit]:
    """``bass`` or ``bass:tempo`` (the tempo from the take; default: whole bars)."""
    name, _, fit = (arg or "").partition(":")
    return _track(name), Fit(fit or Fit.BARS)


def _ignore_args(call: Callable[[], None]) -> Action:
    return lambda _arg, _value: call()
