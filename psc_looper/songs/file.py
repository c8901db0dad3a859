"""A song on disk: ``NAME.toml`` (human-readable) beside ``NAME.mid`` (its notes, see
``songs.notes``). Saving writes both as one (``songs.commit``): a reader, or a crash,
finds the old song or the new one, never half of each.

::

    format = 1                # the psc-looper song format; a newer one is refused
    name = "Blue Bossa"
    notes = "blue-bossa.mid"  # beside this file
    chart = "Cm7 | Fm7 | Dm7b5 G7 | Cm7"
    seed = 7
    count_in = true           # a bar of click before a take from stop (absent: off)
    sync = "link"             # who leads: "link", "clock-in" or "none" (optional)
    [loop]                    # as the performer config: qpm, meter, bars, swing
    [improv]                  # as the performer config
    [band]                    # as the performer config (written when not the default)
    [models]                  # melody, drums, improv = "...mag" (relative to this file)
    [mix]                     # volumes = {bass = 0.8}, mutes = ["click"]
    [drums]                   # temperature, requests, grooves, current/previous parts
    [[layers]]                # track, kind (record/overdub/clear), undone, midi_track, by
    [[sections]]              # name, chart, mutes, [sections.loop], [sections.improv],
                              # [sections.band]

Every problem is one ``SongError`` line naming the file and what is wrong.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import Any

import tomli_w

from psc_looper.band.options import BandOptions
from psc_looper.config.performer import PerformerConfigError, check_band, settings_from_tables
from psc_looper.drums.state import DrumState, Part
from psc_looper.files import read_regular
from psc_looper.harmony.chart import ChartError, parse_chart
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.songs.commit import commit_pair
from psc_looper.songs.notes import notes_from_midi, notes_to_midi
from psc_looper.songs.song import (
    FORMAT_VERSION,
    Section,
    Song,
    SongError,
    SongLayer,
    check_playable,
)
from psc_looper.sync.options import SyncSource, sync_source
from psc_looper.timing.meter import LoopStructure
from psc_looper.timing.swing import STRAIGHT
from psc_looper.tomlfiles import line, load_toml, quote

TOP_KEYS = {"format", "name", "notes", "chart", "seed", "count_in", "loop", "improv", "band",
            "models", "mix", "drums", "layers", "sections", "sync"}
SECTION_TABLES = ("loop", "improv", "band")
MAX_NOTES_BYTES = 8 << 20  # a notes file larger than this is refused unread
LAYER_KINDS = {"record": True, "clear": True, "overdub": False}  # kind -> replaces


# ---------------------------------------------------------------------- writing
def save_song(song: Song, path: Path | str) -> Path:
    """Write ``path`` (.toml) and its notes beside it; returns the TOML path (OSError;
    ``SongError`` for a song over the limits of ``songs.song``, which is not written)."""
    path = Path(path)
    try:
        check_playable(song)
    except ValueError as exc:
        raise SongError(f"{path}: not saved: {exc}") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    midi_path = path.with_suffix(".mid")
    tracks: dict[str, tuple[LoopNote, ...]] = {}
    data = _header(song, midi_path.name, path.parent)
    layers = []
    for i, layer in enumerate(song.layers, 1):
        kind = "overdub" if not layer.replaces else ("record" if layer.notes else "clear")
        name = f"{layer.track} {i} {kind}"
        tracks[name] = layer.notes
        layers.append({"track": str(layer.track), "kind": kind, "undone": layer.undone,
                       "midi_track": name, **({"by": layer.by} if layer.by else {})})
    drums: dict[str, Any] = {"temperature": song.drums.temperature,
                             "requests": song.drums.requests, "grooves": song.drums.grooves}
    for which in ("current", "previous"):
        part: Part | None = getattr(song.drums, which)
        if part is not None:
            name = f"drums {which}: {part.name}"
            tracks[name] = part.notes
            drums[which] = {"name": part.name, "midi_track": name}
    data["drums"] = drums
    data["layers"] = layers
    data["sections"] = [_section_table(s) for s in song.sections]
    structure = song.settings.structure
    midi = notes_to_midi(song.name, song.settings.qpm, structure.meter, tracks, structure.steps)
    commit_pair(path, lambda notes: tomli_w.dumps({**data, "notes": notes}).encode(), midi)
    return path


def _header(song: Song, notes: str, folder: Path) -> dict[str, Any]:
    s = song.settings
    data: dict[str, Any] = {"format": FORMAT_VERSION, "name": song.name, "notes": notes,
                            "chart": song.chart}
    if song.seed is not None:
        data["seed"] = song.seed
    if song.sync is not None:
        data["sync"] = str(song.sync)
    if song.count_in:
        data["count_in"] = True
    data["loop"] = {"qpm": s.qpm, "meter": str(s.structure.meter), "bars": s.structure.bars}
    if s.swing != STRAIGHT:
        data["loop"]["swing"] = s.swing
    data["improv"] = {f.name: _plain(getattr(s.improv, f.name))
                      for f in dataclasses.fields(s.improv)}
    if s.band != BandOptions():
        data["band"] = s.band.table()
    data["models"] = {k: os.path.relpath(Path(v).resolve(), folder.resolve())
                      for k, v in (("melody", song.melody_bundle), ("drums", song.drums_bundle),
                                   ("improv", song.improv_bundle))
                      if v is not None}
    data["mix"] = {"volumes": {str(t): v for t, v in song.volumes.items()},
                   "mutes": sorted(str(t) for t in song.mutes)}
    return data


def _section_table(section: Section) -> dict[str, Any]:
    table: dict[str, Any] = {"name": section.name, "chart": section.chart}
    if section.mutes is not None:
        table["mutes"] = [str(t) for t in section.mutes]
    table.update({k: dict(v) for k, v in section.tables.items()})
    return table


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


# ---------------------------------------------------------------------- reading
def load_song(path: Path | str) -> Song:
    """Read a song file and its notes (``SongError`` naming the file and the problem)."""
    path = Path(path)
    data = read_toml(path, "song")
    try:
        song = _song(path, data)
        check_playable(song)
        return song
    except (KeyError, TypeError, ValueError, PerformerConfigError) as exc:
        reason = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
        named = reason if reason.startswith(f"{path}") else f"{path}: {reason}"
        raise SongError(line(named)) from None


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """A TOML file's tables (``tomlfiles``), refusing a newer or an invalid format."""
    data = load_toml(path, what, SongError)
    version = data.get("format")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SongError(f"{path}: no 'format = {FORMAT_VERSION}' line: not a psc-looper {what}")
    if version < 1:
        raise SongError(f"{path}: format must be {FORMAT_VERSION}, not {version}")
    if version > FORMAT_VERSION:
        raise SongError(f"{path}: written by a newer psc-looper ({what} format {version}; "
                        f"this one reads up to {FORMAT_VERSION})")
    return data


def _song(path: Path, data: dict[str, Any]) -> Song:
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise SongError(f"{path}: unknown key {quote(unknown[0])}")
    settings = settings_from_tables(data, str(path))
    layer_rows = [_table(r, "layers") for r in _list(data.get("layers", []), "layers")]
    drums = _table(data.get("drums", {}), "drums")
    kinds = {_text(r["midi_track"], "midi_track"): Track(r["track"]) for r in layer_rows}
    for which in ("current", "previous"):
        if which in drums:
            part = _table(drums[which], f"drums.{which}")
            kinds[_text(part["midi_track"], "midi_track")] = Track.DRUMS
    notes: dict[str, list[LoopNote]] = {}
    if kinds:
        midi_path = path.parent / _text(data["notes"], "notes")
        try:
            notes = notes_from_midi(read_regular(midi_path, MAX_NOTES_BYTES), kinds,
                                    settings.structure.steps)
        except (OSError, ValueError) as exc:
            raise SongError(f"{path}: notes file {midi_path}: {_why(exc)}") from None
    mix = _table(data.get("mix", {}), "mix")
    models = _table(data.get("models", {}), "models")
    seed = data.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
        raise SongError(f"{path}: seed must be a whole number >= 0, not {quote(seed)}")
    count_in = data.get("count_in", False)
    if not isinstance(count_in, bool):
        raise SongError(f"{path}: count_in must be true or false, not {quote(count_in)}")
    song = Song(
        name=_text(data.get("name", path.stem), "name"),
        settings=settings,
        layers=tuple(_layer(r, notes) for r in layer_rows),
        drums=_drums(drums, notes, settings.structure),
        volumes={Track(t): _volume(v) for t, v in _table(mix.get("volumes", {}),
                                                          "mix.volumes").items()},
        mutes=frozenset(Track(t) for t in _list(mix.get("mutes", []), "mix.mutes")),
        chart=_chart(data.get("chart", ""), "chart"),
        melody_bundle=_bundle(path, models.get("melody")),
        drums_bundle=_bundle(path, models.get("drums")),
        improv_bundle=_bundle(path, models.get("improv")),
        seed=seed,
        sections=tuple(_section(_table(s, "sections"), str(path))
                       for s in _list(data.get("sections", []), "sections")),
        sync=sync_of(path, data.get("sync")),
        count_in=count_in,
    )
    check_band(settings, song.first_chart, f"{path}: [band] on")
    return song


def sync_of(path: Path, value: object) -> SyncSource | None:
    """A song's or set list's ``sync`` (absent: None)."""
    if value is None:
        return None
    try:
        return sync_source(value)
    except ValueError as exc:
        raise SongError(f"{path}: {exc}") from None


def _layer(row: Mapping[str, Any], notes: dict[str, list[LoopNote]]) -> SongLayer:
    kind = row.get("kind")
    if kind not in LAYER_KINDS:
        raise ValueError(f"layer kind must be one of {', '.join(LAYER_KINDS)}, not {quote(kind)}")
    track = Track(row["track"])
    if track not in (Track.BASS, Track.CHORDS):
        raise ValueError(f"layers are on bass or chords, not {track}")
    undone = row.get("undone", False)
    if not isinstance(undone, bool):
        raise ValueError(f"layer undone must be true or false, not {quote(undone)}")
    by = _text(row.get("by", ""), "layer by")
    return SongLayer(track, LAYER_KINDS[kind], tuple(notes[str(row["midi_track"])]), undone, by)


def _drums(table: Mapping[str, Any], notes: dict[str, list[LoopNote]],
           structure: LoopStructure) -> DrumState:
    parts = {}
    for which in ("current", "previous"):
        if which in table:
            part = table[which]
            parts[which] = Part(_text(part["name"], "drum part name"),
                                tuple(notes[str(part["midi_track"])]),
                                structure)
    counters = {k: table.get(k, 0) for k in ("requests", "grooves")}
    for key, value in counters.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"[drums] {key} must be a whole number >= 0, not {quote(value)}")
    temperature = table.get("temperature", 1.0)
    if isinstance(temperature, bool) or not isinstance(temperature, int | float) or not (
            temperature > 0):
        raise ValueError(f"[drums] temperature must be > 0, not {quote(temperature)}")
    return DrumState(parts.get("current"), parts.get("previous"), float(temperature),
                     **counters)


def _section(table: Mapping[str, Any], origin: str) -> Section:
    name = _text(table["name"], "section name")
    tables = {k: dict(_table(table[k], f"sections.{k}")) for k in SECTION_TABLES if k in table}
    unknown = sorted(set(table) - {"name", "chart", "mutes", *SECTION_TABLES})
    if unknown:
        raise ValueError(f"section {quote(name)}: unknown key {quote(unknown[0])}")
    settings_from_tables(tables, f"{origin} section {quote(name)}")  # checked now, used later
    mutes = table.get("mutes")
    return Section(name, _chart(table.get("chart", ""), f"section {quote(name)} chart"), tables,
                   None if mutes is None else tuple(Track(t) for t in _list(mutes, "mutes")))


def _chart(value: Any, name: str) -> str:
    """A chord chart as written, checked by ``harmony.chart`` (empty: none)."""
    text = _text(value, name)
    if text.strip():
        try:
            parse_chart(text)
        except ChartError as exc:
            raise ValueError(f"{name}: {exc}") from None
    return text


def _bundle(path: Path, value: Any) -> str | None:
    if value is None:
        return None
    return str(path.parent / _text(value, "bundle path"))


def _volume(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"a volume must be 0..1, not {quote(value)}")
    return float(value)


def _table(value: Any, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"[{name}] must be a table")
    return value


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list")
    return value


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, not {quote(value)}")
    return value


def _why(exc: Exception) -> str:
    return exc.strerror or str(exc) if isinstance(exc, OSError) else str(exc)
