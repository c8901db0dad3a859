"""The hard variants of the material (``material/hard.py``): seeded, and each does to
the performance what it says."""

from __future__ import annotations

import json
import random
from itertools import pairwise
from pathlib import Path

import mido
import numpy as np

from material.hard import DRIFT, RITARDANDO, legato, write
from material.make_material import DATA, SEED, SOLOS, perform, read_table


def _keys(path: Path) -> list[tuple[int, int, str]]:
    return [tuple(k) for k in json.loads(path.with_suffix(".hands.json").read_text())]


def test_the_variants_are_the_same_for_the_same_seed(tmp_path: Path) -> None:
    one, two = write("rubato", tmp_path / "a"), write("rubato", tmp_path / "b")
    assert [w.path.read_bytes() for w in one] == [w.path.read_bytes() for w in two]
    assert [w.beats for w in one] == [w.beats for w in two]


def test_each_variant_does_what_it_says(tmp_path: Path) -> None:
    plain = {w.path.stem: w for w in write("", tmp_path / "plain")}
    for w in write("rubato", tmp_path / "rubato"):
        ratio = np.diff(plain[w.path.stem].beats) / np.diff(w.beats)  # tempo factor per beat
        assert ratio.max() <= 1 + DRIFT + 1e-9
        assert ratio.min() >= (1 - DRIFT) * (1 - RITARDANDO) - 1e-9
        assert ratio.std() > 0.03  # it drifts
        tempos = [m for t in mido.MidiFile(w.path).tracks for m in t if m.type == "set_tempo"]
        assert len(tempos) == 1  # the file's tempo does not follow the playing
    for w in write("bebop", tmp_path / "bebop"):
        span = w.beats[-1] / plain[w.path.stem].beats[-1]
        assert 1 / 1.5 - 1e-6 <= span < 1  # faster, at most 1.5x (oleo stops at 300 qpm)
    for w in write("crowded", tmp_path / "crowded"):
        keys = _keys(w.path)
        lowest_melody = min(p for _, p, hand in keys if hand == "melody")
        assert max(p for _, p, hand in keys if hand == "voicing") > lowest_melody
        pedal = [m.value for t in mido.MidiFile(w.path).tracks for m in t
                 if m.type == "control_change" and m.control == 64]
        assert pedal == [127, 0]  # down throughout


def test_legato_leaves_no_rest_in_the_melody() -> None:
    notes, beats = read_table(DATA, "notes.csv.gz"), read_table(DATA, "beats.csv.gz")
    melid = next(iter(SOLOS))
    keys, pedal, grid = perform(melid, notes, beats, random.Random(SEED * 1000 + melid))
    held, _, _, factor = legato(keys, pedal, grid, random.Random(0))
    melody = sorted((k for k in held if k.hand == "melody"), key=lambda k: k.on)
    assert factor == 1.0 and len(melody) > 20
    assert all(a.off == b.on for a, b in pairwise(melody))
    assert [k for k in held if k.hand != "melody"] == [k for k in keys if k.hand != "melody"]
