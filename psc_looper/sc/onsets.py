"""Find when sounds start in a recorded WAV: onset times, their grid, loudness over a stretch.

``find_onsets`` works on 1 ms frames: a frame starts an onset when its peak is
above ``threshold`` and ``ratio`` times the loudest of the previous ``memory``
seconds; the onset time is then refined to the first sample of that frame (or
the one before) that exceeds the same level. A ``refractory`` gap keeps one
onset per attack. Good for clicks, drums and plucked notes over sustained ones.

``fit_grid`` puts onsets on a grid of steps (the loop's 16ths) and fits the grid's
origin and step length, since the recording's sample clock may run a few percent
slow when a starved JACK dummy driver drops periods: what is left, each onset minus
its fitted step, is the placement error at the sound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.io import wavfile
from scipy.stats import theilslopes

FRAME_SECONDS = 0.001


def load_mono(path: str | Path) -> tuple[np.ndarray, int]:
    """Samples as float in [-1, 1] (channels summed and halved), and the sample rate."""
    rate, data = wavfile.read(str(path))
    scale = float(np.iinfo(data.dtype).max + 1) if data.dtype.kind == "i" else 1.0
    audio = data.astype(np.float64) / scale
    if audio.ndim == 2:
        audio = audio.sum(axis=1) / 2.0
    return audio, int(rate)


def find_onsets(path: str | Path, threshold: float = 0.01, ratio: float = 2.5,
                memory: float = 0.02, refractory: float = 0.03) -> list[float]:
    """Onset times in seconds from the start of the file."""
    audio, rate = load_mono(path)
    return onsets_of(audio, rate, threshold, ratio, memory, refractory)


def onsets_of(audio: np.ndarray, rate: int, threshold: float = 0.01, ratio: float = 2.5,
              memory: float = 0.02, refractory: float = 0.03) -> list[float]:
    hop = max(1, int(rate * FRAME_SECONDS))
    frames = len(audio) // hop
    if frames == 0:
        return []
    level = np.abs(audio[: frames * hop]).reshape(frames, hop)
    peaks = level.max(axis=1)
    back = max(1, int(memory / FRAME_SECONDS))
    gap = int(refractory / FRAME_SECONDS)
    onsets: list[float] = []
    last = -gap
    for k in range(frames):
        before = peaks[max(0, k - back):k].max() if k else 0.0
        bar = max(threshold, ratio * before)
        if peaks[k] > bar and k - last >= gap:
            start = max(0, (k - 1) * hop)
            above = np.nonzero(np.abs(audio[start:(k + 1) * hop]) > bar)[0]
            onsets.append((start + int(above[0])) / rate)
            last = k
    return onsets


@dataclass(frozen=True)
class Levels:
    """A recording's loudest sample (dBFS, over all channels) and its full-scale samples."""

    peak_dbfs: float
    clipped: int


def levels(path: str | Path) -> Levels:
    """The peak level and how many samples sit at full scale (clipped), per channel summed."""
    _rate, data = wavfile.read(str(path))
    if data.dtype.kind == "i":
        top = np.iinfo(data.dtype).max
        clipped = int(np.count_nonzero((data >= top) | (data <= -top - 1)))
        peak = float(np.max(np.abs(data.astype(np.float64)))) / (top + 1) if data.size else 0.0
    else:
        clipped = int(np.count_nonzero(np.abs(data) >= 1.0))
        peak = float(np.max(np.abs(data))) if data.size else 0.0
    return Levels(20 * float(np.log10(peak)) if peak > 0 else float("-inf"), clipped)


def peak_between(path: str | Path, start: float, end: float) -> float:
    """The loudest absolute sample between ``start`` and ``end`` seconds."""
    audio, rate = load_mono(path)
    part = audio[int(start * rate):int(end * rate)]
    return float(np.max(np.abs(part))) if len(part) else 0.0


def rms_between(audio: np.ndarray, rate: int, start: float, end: float) -> float:
    """Root mean square of ``audio`` between ``start`` and ``end`` seconds (0 if empty)."""
    part = audio[max(0, int(start * rate)):max(0, int(end * rate))]
    return float(np.sqrt(np.mean(part * part))) if len(part) else 0.0


@dataclass(frozen=True)
class GridFit:
    """Onsets on the grid ``origin + k * step``: each one's step ``k`` and its error."""

    steps: list[int]
    residuals: list[float]  # onset minus its fitted grid time, seconds
    origin: float  # fitted time of step 0
    step: float  # fitted step length (the nominal one times the recording's clock rate)


def fit_grid(onsets: Sequence[float], step: float, origin: float,
             min_span: int = 4) -> GridFit:
    """Give each onset (in time order) its nearest step of the grid fitted so far.

    The grid starts as ``origin + k * step``; after each onset its origin is refitted
    (least squares), and its step length too once the onsets span ``min_span`` steps,
    so a clock running a few percent slow is followed rather than moving late onsets
    onto the wrong step. The grid reported is a robust (Theil-Sen) line through them
    all, so a few late onsets show as large residuals without moving it.
    """
    times = np.sort(np.asarray(onsets, dtype=float))
    k = np.zeros(len(times))
    for i, t in enumerate(times):
        k[i] = np.rint((t - origin) / step)
        if k[i] - k[0] >= min_span:
            step, origin = (float(v) for v in np.polyfit(k[:i + 1], times[:i + 1], 1))
        else:
            origin = float(np.mean(times[:i + 1] - k[:i + 1] * step))
    if len(times) and k[-1] - k[0] >= min_span:
        step = float(theilslopes(times, k)[0])
        origin = float(np.median(times - k * step))
    residuals = times - (origin + k * step)
    return GridFit([int(v) for v in k], [float(r) for r in residuals], origin, step)
