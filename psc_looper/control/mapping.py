"""A controller map: which CC of which device triggers which action.

A map is a TOML file (see ``psc_looper/controllers/nanokontrol2.toml``)::

    name = "Korg nanoKONTROL2"
    source = "nanoKONTROL2"   # substring of the MIDI source name the bridge reports
    channel = 0               # MIDI channel 0-15, or -1 for any

    [buttons]                 # fire on press (value >= 64); releases are ignored
    41 = "play"
    [continuous]              # receive the value 0..127
    16 = "tempo"

An action is a name, optionally with one argument after a colon
(``"mute:click"``, ``"volume:bass"``, ``"mode:improv"``). A CC that arrives with no
source (an older bridge) matches any map but the computer keys' (``ui.keys``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from psc_looper.control.catalogue import Binding, check_action
from psc_looper.control.knobs import PRESSED
from psc_looper.tomlfiles import load_toml, quote

DEFAULT_MAP = Path(__file__).resolve().parent.parent / "controllers" / "nanokontrol2.toml"


class MappingError(ValueError):
    """A controller map that cannot be read or used."""



@dataclass(frozen=True)
class ControllerMap:
    name: str
    source: str
    channel: int
    bindings: dict[int, Binding]
    own_source_only: bool = False  # an event with no source does not match (the keys' map)

    def matches(self, source: str, channel: int) -> bool:
        if self.own_source_only and source != self.source:
            return False
        source_ok = not source or not self.source or self.source.lower() in source.lower()
        return source_ok and (self.channel < 0 or self.channel == channel)

    def lookup(self, cc: int, value: int) -> Binding | None:
        """The binding a CC event fires, if any (a button fires on press only)."""
        binding = self.bindings.get(cc)
        if binding is None or (not binding.continuous and value < PRESSED):
            return None
        return binding


def load_map(path: Path | str) -> ControllerMap:
    """The map in ``path``; ``MappingError`` (one line naming the file) for a file that is
    not a map, a wrong type, or an action that is not known or does not fit the control."""
    path = Path(path)
    data = load_toml(path, "controller map", MappingError)
    unknown = sorted(set(data) - {"name", "source", "channel", "buttons", "continuous"})
    if unknown:
        raise MappingError(f"{path}: unknown key {quote(unknown[0])}")
    bindings: dict[int, Binding] = {}
    for section, continuous in (("buttons", False), ("continuous", True)):
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise MappingError(f"{path}: [{section}] must be a table of CC = \"action\", "
                               f"not {quote(table)}")
        for cc_text, spec in table.items():
            cc = int(cc_text) if cc_text.isdigit() and len(cc_text) < 4 else -1
            if not 0 <= cc <= 127:
                raise MappingError(f"{path}: [{section}] key {quote(cc_text)} is not a CC "
                                   "number 0..127")
            where = f"{path}: [{section}] {cc}"
            if cc in bindings:
                raise MappingError(f"{where}: CC {cc} is bound twice")
            if not isinstance(spec, str):
                raise MappingError(f"{where} = {quote(spec)}: an action is a string")
            try:
                check_action(spec, continuous)
            except ValueError as exc:
                raise MappingError(f"{where} = {quote(spec)}: {exc}") from None
            action, _, argument = spec.partition(":")
            bindings[cc] = Binding(action, argument or None, continuous)
    channel = data.get("channel", -1)
    if not isinstance(channel, int) or isinstance(channel, bool) or not -1 <= channel <= 15:
        raise MappingError(f"{path}: channel must be -1..15, not {quote(channel)}")
    for key in ("name", "source"):
        if not isinstance(data.get(key, ""), str):
            raise MappingError(f"{path}: {key} must be a string, not {quote(data[key])}")
    return ControllerMap(str(data.get("name", path.stem)), str(data.get("source", "")),
                         channel, bindings)
