"""Hard variants of the two-handed material: pure, seeded transformations of a
performance (keys, pedal, beat grid as ``make_material.perform`` builds them), written
as MIDI files with their ground truth beside them, for ``python -m bench follower``.

- ``rubato``: the tempo drifts within ±15% beat by beat (a seeded smooth walk) and
  slows by a quarter into the last bar of every 4-bar phrase; the file keeps the
  original's single tempo, so the loop's qpm does not match the playing.
- ``crowded``: the left hand's voicings an octave up, into the melody's register (a
  voicing note on a melody key sounding then is dropped: one key, one hand), the
  pedal down throughout.
- ``bebop``: everything 1.5 times as fast (at most the loop's top tempo: ``oleo``,
  265 qpm, goes to 300).
- ``legato``: the melody held to its next note: a continuous line, never a rest.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from material.make_material import (
    DATA,
    SEED,
    SOLOS,
    Beat,
    Key,
    perform,
    read_table,
    tempo_map,
    to_midi,
)
from psc_looper.timing.tempo import MAX_QPM

Pedal = list[tuple[float, int]]
Transform = Callable[[list[Key], Pedal, list[Beat], random.Random],
                     tuple[list[Key], Pedal, list[Beat], float]]  # ..., tempo factor
DRIFT, RITARDANDO, PHRASE_BARS, BEBOP = 0.15, 0.25, 4, 1.5


@dataclass(frozen=True)
class Written:
    """A variant's file and its beats (seconds from the file's start, chord symbols)."""

    path: Path
    beats: list[float]
    chords: list[str]


def _warp(keys: list[Key], pedal: Pedal, grid: list[Beat],
          to: Callable[[float], float]) -> tuple[list[Key], Pedal, list[Beat]]:
    start = grid[0].onset
    moved = [replace(k, on=to(k.on), off=to(k.off)) for k in keys]
    return (sorted(moved, key=lambda k: (k.on, k.pitch)), [(to(t), v) for t, v in pedal],
            [replace(b, onset=start + to(b.onset - start)) for b in grid])


def rubato(keys: list[Key], pedal: Pedal, grid: list[Beat],
           rng: random.Random) -> tuple[list[Key], Pedal, list[Beat], float]:
    """Each beat's length divided by its tempo factor: a smooth walk in ±DRIFT, times a
    ritardando over the last bar of each phrase (down to 1 - RITARDANDO)."""
    start = grid[0].onset
    old = np.array([b.onset - start for b in grid] + [2 * grid[-1].onset - grid[-2].onset
                                                      - start])
    tempo, factors = 1.0, []
    for beat in grid:
        tempo = min(1 + DRIFT, max(1 - DRIFT, tempo + rng.gauss(0, 0.04)))
        bar_in_phrase = (beat.bar - grid[0].bar) % PHRASE_BARS
        slow = 1.0
        if bar_in_phrase == PHRASE_BARS - 1:
            slow = 1 - RITARDANDO * beat.beat / 4
        factors.append(tempo * slow)
    new = np.concatenate([[0.0], np.cumsum(np.diff(old) / np.array(factors))])

    def to(t: float) -> float:
        if t > old[-1]:
            return float(new[-1] + t - old[-1])
        return float(np.interp(t, old, new))

    return (*_warp(keys, pedal, grid, to), 1.0)


def crowded(keys: list[Key], pedal: Pedal, grid: list[Beat],
            rng: random.Random) -> tuple[list[Key], Pedal, list[Beat], float]:
    """Voicings an octave up over the melody's register, the pedal down throughout."""
    melody = [k for k in keys if k.hand == "melody"]
    moved = []
    for key in keys:
        if key.hand == "voicing":
            pitch = key.pitch + 12
            if any(m.pitch == pitch and m.on < key.off and m.off > key.on for m in melody):
                continue
            key = replace(key, pitch=pitch)
        moved.append(key)
    end = max(k.off for k in keys)
    return moved, [(0.0, 127), (end + 0.05, 0)], grid, 1.0


def bebop(keys: list[Key], pedal: Pedal, grid: list[Beat],
          rng: random.Random) -> tuple[list[Key], Pedal, list[Beat], float]:
    """Everything BEBOP times as fast, up to MAX_QPM."""
    qpm = max(q for _, q in tempo_map(grid, grid[0].onset, 4))
    factor = min(BEBOP, MAX_QPM / qpm)
    return (*_warp(keys, pedal, grid, lambda t: t / factor), factor)


def legato(keys: list[Key], pedal: Pedal, grid: list[Beat],
           rng: random.Random) -> tuple[list[Key], Pedal, list[Beat], float]:
    """Each melody note held to the next: no rest."""
    onsets = sorted(k.on for k in keys if k.hand == "melody")
    after = dict(itertools.pairwise(onsets))
    held = [replace(k, off=after.get(k.on, k.off)) if k.hand == "melody" else k for k in keys]
    return held, pedal, grid, 1.0


VARIANTS: dict[str, Transform] = {"rubato": rubato, "crowded": crowded, "bebop": bebop,
                                  "legato": legato}


def write(variant: str, out: Path, data: Path = DATA) -> list[Written]:
    """The material's files made ``variant`` ("" for the material as built), into ``out``."""
    notes, beats = read_table(data, "notes.csv.gz"), read_table(data, "beats.csv.gz")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for melid, (name, kind) in SOLOS.items():
        keys, pedal, grid = perform(melid, notes, beats, random.Random(SEED * 1000 + melid))
        tempos = tempo_map(grid, grid[0].onset, 4 if kind == "tempo" else None)
        if variant:
            rng = random.Random(f"{variant}/{melid}")
            keys, pedal, moved, factor = VARIANTS[variant](keys, pedal, grid, rng)
            tempos = [(at / factor, qpm * factor) for at, qpm in tempos]
            if variant == "rubato":
                tempos = tempos[:1]  # the written tempo no longer follows the playing
            grid = moved
        start = grid[0].onset
        onsets = [b.onset - start for b in grid]
        path = out / f"{name}.mid"
        to_midi(keys, pedal, tempos, kind, onsets).save(path)
        truth = [[round(k.on * 1000), k.pitch, k.hand] for k in keys]
        path.with_suffix(".hands.json").write_text(json.dumps(truth, separators=(",", ":")))
        written.append(Written(path, onsets, [b.chord for b in grid]))
    return written
