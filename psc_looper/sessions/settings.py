"""A run's settings in its session file and back: the performer config's tables, the seed
and the model bundles a backend ran with (``RunSettings``, ``format.py``), so a replay
plays as the run did without its options given again.

``run_settings`` takes them from a ``BackendConfig``; ``performer_settings`` reads them
back through ``config.performer`` (the same checks as a TOML file: a value out of range
is one ``PerformerConfigError`` line). ``describe`` is the replay's line about them.
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from pathlib import Path
from typing import Any

from psc_looper.config.backend import BackendConfig
from psc_looper.config.performer import PerformerSettings, settings_from_tables
from psc_looper.sessions.format import RunSettings
from psc_looper.timing.swing import STRAIGHT


def run_settings(config: BackendConfig) -> RunSettings:
    """What ``config`` sets that shapes the music: every key of the three tables."""
    loop = {"qpm": config.qpm, "meter": str(config.structure.meter),
            "bars": config.structure.bars, "swing": config.swing}
    tables = {"loop": loop, "improv": _table(config.improv), "band": _table(config.band)}
    models = {"melody": _name(config.melody_bundle), "improv": _name(config.improv_bundle),
              "drums": _name(config.drums_bundle)}
    return RunSettings(tables, config.seed, models)


def performer_settings(settings: RunSettings, origin: str) -> PerformerSettings:
    """The performer settings kept in a session, as if nothing was given (so the command
    line's options apply over them as over a config file's)."""
    read = settings_from_tables(settings.tables, origin)
    return dataclasses.replace(read, given=frozenset())


def describe(settings: PerformerSettings, seed: int | None) -> str:
    """The settings a replay takes from its session, briefly: what is not the default."""
    parts = [f"{settings.qpm:g} qpm", f"{settings.structure.meter}",
             f"{settings.structure.bars} bars"]
    if settings.swing != STRAIGHT:
        parts.append(f"swing {settings.swing:g}")
    if settings.improv.changes.strip():
        parts.append("a chart")
    parts.append(f"improv {settings.improv.mode}")
    if settings.band.on:
        parts.append(f"band {settings.band.style}")
    parts.append("no seed" if seed is None else f"seed {seed}")
    return ", ".join(parts)


def _table(options: Any) -> dict[str, Any]:
    return {f.name: _plain(getattr(options, f.name)) for f in dataclasses.fields(options)}


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _name(path: Path | None) -> str | None:
    return None if path is None else Path(path).name
