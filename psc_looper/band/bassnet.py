"""Bass net: the learned bass's encoding of a beat and its network on the NumPy engine.

One event per beat (a quarter note): the interval from the last pitch, -12..+12
(``INTERVALS`` classes). The input of a beat describes what the bassist knows before
playing it: the last pitch (its place in the register E1..G3) and the interval that led
there; the chord of this beat and of the NEXT beat (so it can approach a change), each
as its root and its pitch classes relative to the last pitch (so "which interval lands
on a chord tone" is one input away); the beat in its bar; whether the chord changes on
this beat and on the next. The network is one magenta-style LSTM layer plus a dense
output (``inference.network.Network``), stored as a ``.npz`` of its tensors under the
checkpoint names that class reads.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from psc_looper.band.walker import HIGH, LOW
from psc_looper.harmony.chords import Chord
from psc_looper.inference.checkpoint import Checkpoint
from psc_looper.inference.errors import UnsupportedBundle
from psc_looper.inference.network import Network, State

MAX_LEAP = 12
INTERVALS = 2 * MAX_LEAP + 1  # the classes: interval + MAX_LEAP
REGISTER = HIGH - LOW + 1
BEATS = 4  # beat-in-bar one-hot (a longer bar's later beats share the last slot)
INPUT_SIZE = REGISTER + INTERVALS + 4 * 12 + BEATS + 2


class BassNetError(ValueError):
    """A bass model file that cannot be read or run; the message names it."""


@dataclass(frozen=True)
class Beat:
    """What the net sees before a beat: the chords now and next and where it falls."""

    chord: Chord
    following: Chord  # the next beat's chord (the same chord if it does not change)
    in_bar: int
    change: bool  # the chord changes on this beat


def _relative(chord: Chord, last: int) -> tuple[int, list[int]]:
    pcs = [(pc - last) % 12 for pc in chord.pitch_classes]
    return (chord.root - last) % 12, pcs


def encode(beat: Beat, last: int, interval: int | None) -> np.ndarray:
    """The input vector of ``beat`` after pitch ``last`` (reached by ``interval``)."""
    x = np.zeros(INPUT_SIZE, np.float32)
    x[min(max(last, LOW), HIGH) - LOW] = 1.0
    pos = REGISTER
    if interval is not None:
        x[pos + max(-MAX_LEAP, min(MAX_LEAP, interval)) + MAX_LEAP] = 1.0
    pos += INTERVALS
    for chord in (beat.chord, beat.following):
        root, pcs = _relative(chord, last)
        x[pos + root] = 1.0
        x[pos + 12 + np.array(pcs, int)] = 1.0
        pos += 24
    x[pos + min(beat.in_bar, BEATS - 1)] = 1.0
    pos += BEATS
    x[pos] = float(beat.change)
    x[pos + 1] = float(beat.following != beat.chord)
    return x


def allowed(last: int) -> np.ndarray:
    """Which interval classes land in the register from ``last``."""
    targets = last + np.arange(-MAX_LEAP, MAX_LEAP + 1)
    return (targets >= LOW) & (targets <= HIGH)


class BassNet:
    """The trained network: ``step`` gives the log-probabilities of the next interval."""

    def __init__(self, tensors: dict[str, np.ndarray], source: str = "bass model") -> None:
        try:
            floats = {k: np.asarray(v, np.float32) for k, v in tensors.items()}
        except (TypeError, ValueError) as e:
            raise BassNetError(f"{source}: a tensor that is not numbers ({e})") from None
        bad = next((k for k, v in floats.items() if not np.isfinite(v).all()), None)
        if bad is not None:
            raise BassNetError(f"{source}: tensor {bad} has values that are not finite")
        try:
            self.network = Network(Checkpoint(floats))
        except UnsupportedBundle as e:
            raise BassNetError(f"{source}: {e}") from e
        if (self.network.input_size, self.network.num_classes) != (INPUT_SIZE, INTERVALS):
            raise BassNetError(f"{source}: a network of {self.network.input_size} inputs and "
                               f"{self.network.num_classes} classes, the bass encodes "
                               f"{INPUT_SIZE} and {INTERVALS}")

    @classmethod
    def load(cls, path: str | Path) -> BassNet:
        try:
            with np.load(path) as data:
                tensors = {name: data[name] for name in data.files}
        except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as e:
            why = str(e) or type(e).__name__
            raise BassNetError(f"{path}: not a bass model ({why})") from None
        return cls(tensors, str(path))

    def zero_state(self) -> State:
        return self.network.zero_state(1)

    def step(self, x: np.ndarray, state: State, last: int) -> tuple[np.ndarray, State]:
        """Log-probabilities of the intervals from ``last`` (out of register: -inf; if
        the net's outputs overflowed, every interval in register alike)."""
        with np.errstate(over="ignore", invalid="ignore"):
            logits, state = self.network.step(x[None, :], state)
        ok = allowed(last)
        out = logits[0].astype(np.float64)
        if not np.isfinite(out[ok]).all():
            out = np.zeros_like(out)
        logits = np.where(ok, out, -np.inf)
        logits -= logits.max()
        return logits - np.log(np.exp(logits).sum()), state
