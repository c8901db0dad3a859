"""explained: a mix of the bridge's samples at their hits explains a recording only on time."""

from __future__ import annotations

import numpy as np
import pytest

from psc_looper.sc.explain import Hit, explained
from psc_looper.sc.launcher import SAMPLES_DIR
from psc_looper.sc.onsets import load_mono

RATE = 48000
STEP = 0.125


def render(hits: list[Hit], gains: dict[str, float], seconds: float = 2.5) -> np.ndarray:
    audio = np.zeros(int(seconds * RATE))
    for at, name, velocity in hits:
        sample = load_mono(SAMPLES_DIR / f"{name}.wav")[0]
        n = int(at * RATE)
        part = sample[:len(audio) - n]
        audio[n:n + len(part)] += gains[name] * (velocity / 127) ** 1.6 * part
    return audio


def groove() -> list[Hit]:
    rnd = np.random.default_rng(3)
    names = ["kick", "snare", "clhat", "crash", "ride"]
    return [(0.1 + k * STEP, str(name), int(rnd.integers(40, 127)))
            for k in range(16) for name in rnd.choice(names, 2, replace=False)]


def test_the_hits_that_sounded_explain_the_recording_and_moved_ones_do_not() -> None:
    hits = groove()
    audio = render(hits, {"kick": 0.6, "snare": 0.3, "clhat": 0.2, "crash": 0.15, "ride": 0.25})
    audio += np.random.default_rng(0).normal(0, 0.002, len(audio))
    on_time = explained(audio, RATE, hits)
    assert on_time > 0.95
    for by in (-STEP, -STEP / 2, STEP / 2, STEP):
        moved = [(at + by, name, velocity) for at, name, velocity in hits]
        assert on_time - explained(audio, RATE, moved) > 0.3  # the e2e drums test's margin


@pytest.mark.parametrize("hits", [[], [(0.1, "kick", 100)]])
def test_nothing_to_explain_or_nothing_to_explain_it_with(hits: list[Hit]) -> None:
    assert explained(np.zeros(RATE), RATE, hits) == 0.0
