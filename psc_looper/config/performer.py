"""The performer's config: the start tempo, the loop structure and the improv options, from a
TOML file and ``--set`` on the command line, under the names of the README's tables.

::

    [loop]
    qpm = 120          # start tempo, 40..300
    meter = "4/4"      # numerator 2..16 / denominator 4, 8 or 16
    bars = 2           # 1..64 (or the chart's length, see below)
    swing = 0.5        # 0.5 straight .. 0.667 triplet .. 0.75

    [improv]           # any ImprovOptions field, e.g.
    threshold = 12
    boundary = "loop"

    [band]             # any BandOptions field (psc_looper.band), e.g.
    on = true
    style = "waltz"
    bass_line = "model"  # the learned bass ("walker", the default; "free model")

A chord chart (``[improv] changes`` or ``--changes``) sets the loop's length to its own
(a 12-bar blues: 12 bars) unless ``bars`` is given too; a chart longer than a loop can be
is refused. ``--set improv.threshold=12`` (or ``--set threshold=12`` when the name is
unique) applies after the file. A bad file, an unknown table or key, or a value of the
wrong type or out of range is one ``PerformerConfigError`` line naming the file (or
``--set``) and the key. Song files (``psc_looper/songs``) reuse ``settings_from_tables``
for the same tables.
"""

from __future__ import annotations

import argparse
import dataclasses
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any

from psc_looper.band.options import BandOptions, check_chart
from psc_looper.harmony.chart import parse_chart
from psc_looper.improv.options import ImprovOptions, OptionsError
from psc_looper.timing.meter import MAX_BARS, MIN_BARS, LoopStructure, Meter, MeterError
from psc_looper.timing.swing import STRAIGHT, SwingError, check_swing
from psc_looper.timing.tempo import DEFAULT_QPM, TempoError, check_qpm
from psc_looper.tomlfiles import cut, line, load_toml, quote

LOOP_KEYS = ("qpm", "meter", "bars", "swing")
IMPROV_KEYS = tuple(f.name for f in dataclasses.fields(ImprovOptions))
BAND_KEYS = tuple(f.name for f in dataclasses.fields(BandOptions))
TABLES = {"loop": LOOP_KEYS, "improv": IMPROV_KEYS, "band": BAND_KEYS}


class PerformerConfigError(ValueError):
    """A performer config file or ``--set`` item that cannot be used."""


@dataclass(frozen=True)
class PerformerSettings:
    """What a performer's config sets; ``given`` names the keys set explicitly
    (``"loop.qpm"``), so a replay can let a file's own tempo stand unless asked."""

    qpm: float = DEFAULT_QPM
    structure: LoopStructure = field(default_factory=LoopStructure)
    improv: ImprovOptions = field(default_factory=ImprovOptions)
    given: frozenset[str] = frozenset()
    swing: float = STRAIGHT
    band: BandOptions = field(default_factory=BandOptions)


def settings_from_tables(data: Mapping[str, Any], origin: str,
                         base: PerformerSettings | None = None) -> PerformerSettings:
    """Apply the ``[loop]`` and ``[improv]`` tables of ``data`` on ``base``; other tables are
    left to the caller. ``origin`` names the file in errors."""
    settings = base or PerformerSettings()
    for table in TABLES:
        values = data.get(table, {})
        if not isinstance(values, Mapping):
            raise PerformerConfigError(f"{origin}: [{table}] must be a table")
        for key, value in values.items():
            settings = _apply(settings, table, key, value, origin)
    if "changes" in data.get("improv", {}) and "bars" not in data.get("loop", {}):
        settings = follow_chart(settings, origin)
    return settings


def follow_chart(settings: PerformerSettings, origin: str) -> PerformerSettings:
    """The loop as long as the chord chart (``improv.changes``), if there is one; a chart
    longer than a loop can be is one ``PerformerConfigError`` line."""
    if not settings.improv.changes.strip():
        return settings
    bars = len(parse_chart(settings.improv.changes).bars)  # checked by ImprovOptions
    if not MIN_BARS <= bars <= MAX_BARS:
        raise PerformerConfigError(f"{origin}: the chart has {bars} bars; a loop is "
                                   f"{MIN_BARS}..{MAX_BARS} bars (set loop.bars to repeat it)")
    structure = replace(settings.structure, bars=bars)
    return replace(settings, structure=structure)


def load_performer(path: Path | str, base: PerformerSettings | None = None) -> PerformerSettings:
    path = Path(path)
    data = load_toml(path, "performer config", PerformerConfigError)
    unknown = sorted(set(data) - set(TABLES))
    if unknown:
        raise PerformerConfigError(f"{path}: unknown table [{cut(unknown[0])}] "
                                   f"(known: {', '.join(TABLES)})")
    return settings_from_tables(data, str(path), base)


def apply_sets(settings: PerformerSettings, items: Iterable[str]) -> PerformerSettings:
    """Apply ``--set`` items, ``[table.]key=value`` with a TOML value (a bare word is a string)."""
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise PerformerConfigError(f"--set {item!r}: want KEY=VALUE, e.g. improv.threshold=12")
        table, key = _resolve(name.strip(), item)
        settings = _apply(settings, table, key, _toml_value(text.strip()), f"--set {item!r}")
    return settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="performer config TOML: [loop] qpm, meter, bars, swing; "
                             "[improv] options")
    parser.add_argument("--set", dest="settings", action="append", default=[],
                        metavar="KEY=VALUE",
                        help="set one option after the config, e.g. improv.threshold=12 "
                             "or loop.qpm=96 (repeatable)")
    parser.add_argument("--changes", metavar="CHART",
                        help='a chord chart the machine plays over (ImprovRNN), e.g. '
                             '"Dm7 G7 | Cmaj7 | %%" (= --set improv.changes=...)')
    parser.add_argument("--band", metavar="STYLE",
                        help="the band plays the chart: swing, two, ballad, waltz or bossa "
                             "(= --set band.on=true --set band.style=STYLE)")


def settings_from_args(args: argparse.Namespace, base: PerformerSettings | None = None,
                       chart: str = "") -> PerformerSettings:
    """The settings ``--config`` and ``--set`` give over ``base`` (``PerformerConfigError``);
    ``chart``: the song's, which a band turned on may play (``check_band``)."""
    settings = base or PerformerSettings()
    if getattr(args, "config", None) is not None:
        settings = load_performer(args.config, settings)
    settings = apply_sets(settings, getattr(args, "settings", []) or [])
    changes = getattr(args, "changes", None)
    if changes is not None:
        settings = _apply(settings, "improv", "changes", changes, "--changes")
    if "improv.changes" in settings.given and "loop.bars" not in settings.given:
        settings = follow_chart(settings, "--changes" if changes is not None else "config")
    band = getattr(args, "band", None)
    if band is not None:
        settings = _apply(settings, "band", "style", band, "--band")
        settings = _apply(settings, "band", "on", True, "--band")
    if getattr(args, "setlist", None) is None or chart:
        check_band(settings, chart, "--band" if band is not None else "[band] on")
    return settings


def check_band(settings: PerformerSettings, chart: str, origin: str) -> None:
    """A band that is on has a chart it can walk: ``[band] chart``, else the improv
    changes, else ``chart`` (a song's); else one ``PerformerConfigError`` line."""
    if not settings.band.on:
        return
    text = next((t for t in (settings.band.chart, settings.improv.changes, chart) if t.strip()),
                "")
    if not text:
        raise PerformerConfigError(f"{origin}: no chord chart for the band to play (--changes, "
                                   "--set band.chart=... or a song with a chart)")
    try:
        check_chart(text)
    except ValueError as exc:
        raise PerformerConfigError(f"{origin}: {exc}") from None


def _resolve(name: str, item: str) -> tuple[str, str]:
    table, dot, key = name.rpartition(".")
    if dot:
        if table not in TABLES or key not in TABLES[table]:
            raise PerformerConfigError(f"--set {item!r}: unknown key {name!r} ({_known()})")
        return table, key
    owners = [t for t, keys in TABLES.items() if key in keys]
    if len(owners) != 1:
        raise PerformerConfigError(f"--set {item!r}: unknown key {name!r} ({_known()})")
    return owners[0], key


def _known() -> str:
    return "known: " + ", ".join(f"{t}.{k}" for t, keys in TABLES.items() for k in keys)


def _toml_value(text: str) -> Any:
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text  # a bare word: boundary=loop


def _apply(settings: PerformerSettings, table: str, key: str, value: Any,
           origin: str) -> PerformerSettings:
    where = f"{origin}: [{table}] {key}"
    if key not in TABLES.get(table, ()):
        raise PerformerConfigError(f"{origin}: unknown key {quote(key)} in [{table}] "
                                   f"(known: {', '.join(TABLES[table])})")
    given = settings.given | {f"{table}.{key}"}
    try:
        if table == "improv":
            typed = _typed(value, getattr(ImprovOptions(), key))
            return replace(settings, improv=replace(settings.improv, **{key: typed}), given=given)
        if table == "band":
            typed = _typed(value, getattr(BandOptions(), key))
            return replace(settings, band=replace(settings.band, **{key: typed}), given=given)
        if key == "qpm":
            return replace(settings, qpm=check_qpm(_typed(value, 0.0)), given=given)
        if key == "swing":
            return replace(settings, swing=check_swing(_typed(value, 0.0)), given=given)
        if key == "bars":
            structure = replace(settings.structure, bars=_typed(value, 0))
            return replace(settings, structure=structure, given=given)
        structure = replace(settings.structure, meter=_meter(value))
        return replace(settings, structure=structure, given=given)
    except (TypeError, ValueError, OptionsError, MeterError, TempoError, SwingError) as exc:
        raise PerformerConfigError(line(f"{where} = {quote(value)}: {_reason(exc)}")) from None


def _typed(value: Any, like: Any) -> Any:
    """``value`` as the type of the default ``like`` (TypeError/ValueError if it is not)."""
    if isinstance(like, Enum):
        choices = [member.value for member in type(like)]
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return type(like)(value)
    if isinstance(like, str):
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise TypeError("must be a word or a number")
        return str(value)
    if isinstance(like, bool):
        if not isinstance(value, bool):
            raise TypeError("must be true or false")
        return value
    if isinstance(like, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("must be a whole number")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("must be a number")
    return float(value)


def _meter(value: Any) -> Meter:
    numerator, slash, denominator = str(value).partition("/")
    if not slash or not numerator.strip().isdigit() or not denominator.strip().isdigit():
        raise ValueError('must be "N/D", e.g. "7/8"')
    return Meter(int(numerator), int(denominator))


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text.split(" in ImprovOptions(")[0] if isinstance(exc, OptionsError) else text
