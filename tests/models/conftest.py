"""Model fixtures: small real bundles built once per session with magenta's own code."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from psc_looper.models import DrumHit, DrumsModel, MelodyModel, Note
from psc_looper.models.build import build_bundle, write_training_records

REPO = Path(__file__).resolve().parents[2]
MELODY_CONFIGS = ("basic_rnn", "mono_rnn", "lookback_rnn", "attention_rnn")
DRUM_CONFIG = "drum_kit"
LAYERS = (16, 16)  # tiny: these tests check plumbing, not music
SEED = 2024  # fixed weights: every run tests the same tiny models
SCALE = (60, 62, 64, 65, 67, 69, 71, 72)

RunFresh = Callable[[str], subprocess.CompletedProcess[str]]


def training_melodies(count: int = 3, bars: int = 8) -> list[Any]:
    """NoteSequences of random 8th-note C-major lines, long enough for magenta (7 bars)."""
    from psc_looper.models import sequences

    rnd = random.Random(0)
    return [
        sequences.melody_sequence(
            [Note(s, s + 2, rnd.choice(SCALE)) for s in range(0, bars * 16, 2)]
        )
        for _ in range(count)
    ]


def training_grooves(count: int = 2, bars: int = 8) -> list[Any]:
    """Drum NoteSequences: kick on beats, snare on 2 and 4, closed hat on 8ths."""
    from psc_looper.models import sequences

    hits = []
    for s in range(0, bars * 16, 2):
        hits.append(DrumHit(s, 42))
        if s % 8 == 0:
            hits.append(DrumHit(s, 38 if s % 16 == 8 else 36))
    return [sequences.drums_sequence(hits, bars * 16) for _ in range(count)]


@pytest.fixture(scope="session")
def make_bundle(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Build (once per config id and session) an untrained tiny bundle."""
    folder = tmp_path_factory.mktemp("bundles")
    built: dict[str, Path] = {}

    def make(config_id: str) -> Path:
        if config_id not in built:
            built[config_id] = build_bundle(
                config_id, folder / f"{config_id}.mag", rnn_layer_sizes=LAYERS, seed=SEED
            )
        return built[config_id]

    return make


@pytest.fixture(scope="session")
def melody_bundle(make_bundle: Callable[[str], Path]) -> Path:
    return make_bundle("attention_rnn")


@pytest.fixture(scope="session")
def drums_bundle(make_bundle: Callable[[str], Path]) -> Path:
    return make_bundle(DRUM_CONFIG)


@pytest.fixture(scope="session")
def trained_bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """attention_rnn and drum_kit bundles trained 3 steps with magenta's training loop."""
    folder = tmp_path_factory.mktemp("trained")
    data = {"attention_rnn": training_melodies(), DRUM_CONFIG: training_grooves()}
    bundles = {}
    for config_id, note_sequences in data.items():
        records = write_training_records(config_id, note_sequences, folder / config_id)
        bundles[config_id] = build_bundle(
            config_id,
            folder / f"{config_id}.mag",
            rnn_layer_sizes=LAYERS,
            training_records=[records],
            train_steps=3,
            batch_size=2,
            seed=SEED,
        )
    return bundles


@pytest.fixture(scope="session")
def melody_model(melody_bundle: Path) -> Iterator[MelodyModel]:
    model = MelodyModel.load(melody_bundle)
    yield model
    model.close()


@pytest.fixture(scope="session")
def drums_model(drums_bundle: Path) -> Iterator[DrumsModel]:
    model = DrumsModel.load(drums_bundle)
    yield model
    model.close()


@pytest.fixture(scope="session")
def run_fresh() -> RunFresh:
    """Run Python code in a fresh interpreter at the repository root.

    Without TF_USE_LEGACY_KERAS, which compat sets in this process's environment.
    """

    def run(code: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "TF_USE_LEGACY_KERAS"}
        return subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    return run
