"""How much of a recording a schedule of the bridge's one-shot samples explains.

For parts too dense for onset picking (a drum groove with hits on every step, each
ringing into the next): each sample is placed at its hits' times, scaled as the
bridge scales it by velocity, and the recording's energy in short frames is fitted
as a non-negative mix of the samples' energies (one gain per sample, standing for
its level and pan). The share of the recording's energy variation that the fit
explains (R², 1 = all) is high only when the hits sounded at those times: moved by
half a step, it collapses.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
from scipy.optimize import nnls

from psc_looper.sc.launcher import SAMPLES_DIR
from psc_looper.sc.onsets import load_mono

VELOCITY_CURVE = 1.6  # the bridge's amplitude: level * (velocity / 127) ** 1.6 (voices.scd)
FRAME_SECONDS = 0.005

Hit = tuple[float, str, int]  # seconds from the recording's start, sample name, velocity


@cache
def _sample(path: Path) -> np.ndarray:
    return load_mono(path)[0]


def explained(audio: np.ndarray, rate: int, hits: Sequence[Hit],
              samples: Path = SAMPLES_DIR) -> float:
    """R² of ``audio``'s frame energies fitted by the ``hits``' samples (mono, at ``rate``)."""
    names = sorted({name for _, name, _ in hits})
    if not names:
        return 0.0
    tracks = np.zeros((len(audio), len(names)))
    for at, name, velocity in hits:
        sample = _sample(samples / f"{name}.wav")
        n = round(at * rate)
        part = sample[max(0, -n):max(0, len(audio) - n)]
        start = max(0, n)
        tracks[start:start + len(part), names.index(name)] += (
            (velocity / 127) ** VELOCITY_CURVE * part)
    hop = max(1, int(FRAME_SECONDS * rate))
    frames = len(audio) // hop
    energy = (audio[:frames * hop] ** 2).reshape(frames, hop).sum(axis=1)
    parts = (tracks[:frames * hop] ** 2).reshape(frames, hop, len(names)).sum(axis=1)
    gains, _ = nnls(parts, energy)
    rest = energy - parts @ gains
    spread = energy - energy.mean()
    total = float(spread @ spread)
    return 1.0 - float(rest @ rest) / total if total > 0 else 0.0
