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
source (an older bridge) matches any map.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from psc_looper.control.knobs import PRESSED

DEFAULT_MAP = Path(__file__).resolve().parent.parent / "controllers" / "nanokontrol2.toml"


class MappingError(ValueError):
    """A controller map that cannot be read or used."""


@dataclass(frozen=True)
class Binding:
    action: str
    argument: str | None
    continuous: bool


@dataclass(frozen=True)
class ControllerMap:
    name: str
    source: str
    channel: int
    bindings: dict[int, Binding]

    def matches(self, source: str, channel: int) -> bool:
        source_ok = not source or not self.source or self.source.lower() in source.lower()
        return source_ok and (self.channel < 0 or self.channel == channel)

    def lookup(self, cc: int, value: int) -> Binding | None:
        """The binding a CC event fires, if any (a button fires on press only)."""
        binding = self.bindings.get(cc)
        if binding is None or (not binding.continuous and value < PRESSED):
            return None
        return binding


def load_map(path: Path | str) -> ControllerMap:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text())
    except UnicodeDecodeError:
        raise MappingError(f"{path}: not a controller map (TOML text), it is not UTF-8 text") \
            from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"{path}: cannot read controller map: {exc}") from exc
    bindings: dict[int, Binding] = {}
    for section, continuous in (("buttons", False), ("continuous", True)):
        for cc_text, spec in data.get(section, {}).items():
            try:
                cc = int(cc_text)
            except ValueError:
                message = f"{path}: [{section}] key {cc_text!r} is not a CC number"
                raise MappingError(message) from None
            if not 0 <= cc <= 127 or not isinstance(spec, str) or cc in bindings:
                raise MappingError(f"{path}: [{section}] {cc_text} = {spec!r} is not valid")
            action, _, argument = spec.partition(":")
            bindings[cc] = Binding(action, argument or None, continuous)
    channel = data.get("channel", -1)
    if not isinstance(channel, int) or not -1 <= channel <= 15:
        raise MappingError(f"{path}: channel must be -1..15, not {channel!r}")
    return ControllerMap(
        str(data.get("name", path.stem)), str(data.get("source", "")), channel, bindings
    )
