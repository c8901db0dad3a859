"""The computer keyboard as a controller: one key, one action (as a controller map's).

The status view shows ``help_lines()`` and runs ``KEYS`` through the same
``ActionTable`` a MIDI controller uses, so a key and a button do the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    key: str  # as prompt_toolkit names it ("space", "escape", "+", "B")
    action: str  # "name" or "name:argument", as in a controller map
    label: str

    @property
    def shown(self) -> str:
        return {"space": "SPACE", "escape": "ESC"}.get(self.key, self.key)


QUIT_KEY = "q"
KEYS: tuple[Key, ...] = (
    Key("space", "toggle_play", "play/stop"),
    Key("b", "record:bass", "record bass"),
    Key("c", "record:chords", "record chords"),
    Key("B", "overdub:bass", "overdub bass"),
    Key("C", "overdub:chords", "overdub chords"),
    Key("u", "undo", "undo"),
    Key("r", "redo", "redo"),
    Key("x", "clear", "clear"),
    Key("k", "count_in", "count-in"),
    Key("i", "mode:improv", "improv"),
    Key("f", "mode:free", "free"),
    Key("d", "build_beat", "build beat"),
    Key("g", "generate_groove", "groove"),
    Key("+", "tempo_up", "tempo +2"),
    Key("-", "tempo_down", "tempo -2"),
    Key("t", "tap", "tap"),
    Key("n", "next_section", "next section"),
    Key(">", "next_song", "next song"),
    Key("<", "previous_song", "prev song"),
    Key("s", "song_save", "save song"),
    Key("escape", "panic", "panic"),
)


def help_lines(width: int = 100) -> list[str]:
    """``key label`` pairs, wrapped to ``width``, ending with the quit key."""
    items = [f"[{k.shown}] {k.label}" for k in KEYS] + [f"[{QUIT_KEY}] quit"]
    lines, line = [], ""
    for item in items:
        if line and len(line) + 2 + len(item) > width:
            lines.append(line)
            line = ""
        line = f"{line}  {item}" if line else item
    return [*lines, line]
