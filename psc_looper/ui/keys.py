"""The computer keyboard as a controller: one key, one action (as a controller map's).

The status view shows ``help_lines()`` and sends a key as the ``/ccevent`` of a
controller named ``KEYS_SOURCE`` (CC number: the key's ``cc``) into the dispatcher,
so a key and a button run the same action, and a recorded session holds the keys
and replays them (``keys_map`` is the map the backend reads them with).
"""

from __future__ import annotations

from dataclasses import dataclass

from psc_looper.control.mapping import Binding, ControllerMap

KEYS_SOURCE = "computer-keys"


@dataclass(frozen=True)
class Key:
    key: str  # as prompt_toolkit names it ("space", "escape", "+", "B")
    cc: int  # its CC number from KEYS_SOURCE (kept once published: sessions hold it)
    action: str  # "name" or "name:argument", as in a controller map
    label: str

    @property
    def shown(self) -> str:
        return {"space": "SPACE", "escape": "ESC"}.get(self.key, self.key)


QUIT_KEY = "q"
KEYS: tuple[Key, ...] = (
    Key("space", 1, "toggle_play", "play/stop"),
    Key("b", 2, "record:bass", "record bass"),
    Key("c", 3, "record:chords", "record chords"),
    Key("B", 4, "overdub:bass", "overdub bass"),
    Key("C", 5, "overdub:chords", "overdub chords"),
    Key("u", 6, "undo", "undo"),
    Key("r", 7, "redo", "redo"),
    Key("x", 8, "clear", "clear"),
    Key("k", 9, "count_in", "count-in"),
    Key("i", 10, "mode:improv", "improv"),
    Key("f", 11, "mode:free", "free"),
    Key("d", 12, "build_beat", "build beat"),
    Key("g", 13, "generate_groove", "groove"),
    Key("+", 14, "tempo_up", "tempo +2"),
    Key("-", 15, "tempo_down", "tempo -2"),
    Key("t", 16, "tap", "tap"),
    Key("n", 17, "next_section", "next section"),
    Key(">", 18, "next_song", "next song"),
    Key("<", 19, "previous_song", "prev song"),
    Key("s", 20, "song_save", "save song"),
    Key("escape", 21, "panic", "panic"),
    Key("m", 22, "mute:click", "click mute"),
    Key("]", 23, "bars_up", "bars +1"),
    Key("[", 24, "bars_down", "bars -1"),
    Key("}", 25, "numerator_up", "meter +1 beat"),
    Key("{", 26, "numerator_down", "meter -1 beat"),
    Key("h", 27, "improv_hold:toggle", "hold the machine"),
    Key("a", 28, "improv_call", "call the machine in"),
    Key("w", 29, "band_on", "band on/off"),
    Key("W", 30, "band_hold", "hold the band's chorus"),
)
HELP_KEY = "?"  # the help overlay (the view's own key: not an action, not recorded)


def keys_map() -> ControllerMap:
    """The keys as a controller map (tried first: only ``KEYS_SOURCE`` matches it, not an
    event with no source, which any local process or an older bridge may send)."""
    bindings = {}
    for key in KEYS:
        name, _, argument = key.action.partition(":")
        bindings[key.cc] = Binding(name, argument or None, continuous=False)
    return ControllerMap("Computer keys", KEYS_SOURCE, -1, bindings, own_source_only=True)


def help_lines(width: int = 100) -> list[str]:
    """``key label`` pairs, wrapped to ``width``, ending with the quit key."""
    items = [f"[{k.shown}] {k.label}" for k in KEYS]
    items += [f"[{HELP_KEY}] help", f"[{QUIT_KEY}] quit"]
    lines, line = [], ""
    for item in items:
        if line and len(line) + 2 + len(item) > width:
            lines.append(line)
            line = ""
        line = f"{line}  {item}" if line else item
    return [*lines, line]


def help_overlay() -> list[str]:
    """Every key, one a line, with the action it runs (the ``?`` overlay)."""
    lines = [f"{k.shown:<7}{k.label:<22}{k.action}" for k in KEYS]
    return [*lines, f"{HELP_KEY:<7}{'help':<22}this list (again: back)",
            f"{QUIT_KEY:<7}{'quit':<22}stop everything and leave"]
