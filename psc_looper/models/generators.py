"""Generators: MelodyRNN and DrumsRNN loaded once from a bundle, then generating on demand
(ImprovRNN, the same over chords: :mod:`psc_looper.models.improv`).

Each model builds its sequence generator once, at load, and reuses it for every call:
the NumPy engine's (``psc_looper.inference``, no TensorFlow) when it runs the bundle,
else magenta's own (TF graph and session), with a one-line notice. A lock per model
serialises its calls. Both sample with numpy's global RNG, so every generation also
holds one process-wide sampling lock: a seeded call is then reproducible even while
another model generates in another thread, at the price of running generations one at
a time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self

from psc_looper.models import sequences
from psc_looper.models.bundles import read_bundle
from psc_looper.models.errors import BundleError, GenerationError
from psc_looper.models.families import DRUMS_RNN, MELODY_RNN, Family
from psc_looper.models.notes import STEPS_PER_BAR, DrumHit, Note
from psc_looper.models.noteseq import import_note_seq

if TYPE_CHECKING:
    from psc_looper.harmony.chords import Chord

log = logging.getLogger(__name__)
ENGINES = ("auto", "numpy", "magenta")
MAX_SEED = 2**32 - 1  # numpy's legacy seeding range
_SAMPLING_LOCK = threading.Lock()


def request_seed(seed: int | None, request: int) -> int | None:
    """The seed of a feature's ``request``-th generation: its base ``seed`` offset by the
    request count (wrapping within numpy's range), so each answer differs yet a replay
    repeats them all; None (unseeded) stays None."""
    return None if seed is None else (seed + request) % (MAX_SEED + 1)


class MelodyGenerator(Protocol):
    """What a melody line's user needs of a model: ``MelodyModel`` and ``ImprovModel``
    (which needs ``chords``, one per step; a plain melody model takes none)."""

    def generate(
        self,
        primer: Sequence[Note],
        num_steps: int,
        *,
        primer_steps: int | None = None,
        chords: Sequence[Chord | None] | None = None,
        temperature: float = 1.0,
        seed: int | None = None,
    ) -> list[Note]: ...


@dataclass(frozen=True)
class Sampling:
    """How a generation samples: checked once, passed whole to magenta."""

    temperature: float = 1.0
    beam_size: int = 1
    branch_factor: int = 1
    seed: int | None = None

    def __post_init__(self) -> None:
        if not self.temperature > 0:
            raise GenerationError(f"temperature must be > 0, not {self.temperature}")
        if self.beam_size < 1 or self.branch_factor < 1:
            raise GenerationError(
                "beam_size and branch_factor must be >= 1, "
                f"not {self.beam_size}, {self.branch_factor}"
            )
        if self.seed is not None and not 0 <= self.seed <= MAX_SEED:
            raise GenerationError(f"seed must be 0..{MAX_SEED}, not {self.seed}")


def _check_steps(num_steps: int) -> None:
    if num_steps < 1:
        raise GenerationError(f"num_steps must be >= 1, not {num_steps}")


def _check_pitch(pitch: int) -> None:
    if not 0 <= pitch <= 127:
        raise GenerationError(f"pitch must be 0..127, not {pitch}")


def primer_length(primer: Sequence[Note], primer_steps: int | None) -> int:
    """The checked length in steps of a melody primer (default: its last note's end)."""
    for n in primer:
        _check_pitch(n.pitch)
        if not 0 <= n.start_step < n.end_step:
            raise GenerationError(f"primer note {n} must have 0 <= start_step < end_step")
    last_end = max((n.end_step for n in primer), default=0)
    length = last_end if primer_steps is None else primer_steps
    if length < last_end:
        raise GenerationError(f"primer_steps {length} ends before the primer ({last_end})")
    return length


def _summary(error: Exception) -> str:
    """The informative line of a (possibly long, multi-line) TensorFlow error."""
    text = str(error).split("Original stack trace", 1)[0]
    noise = ("Graph execution error", "Detected at", "Node:", "[[", "File ")
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith(noise)]
    return f"{type(error).__name__}: {lines[-1] if lines else text.strip()}"


class _Model:
    """A loaded bundle of one family with its reusable magenta generator."""

    family: ClassVar[Family]

    def __init__(self, path: Path, config_id: str, generator: Any) -> None:
        self.path = path
        self.config_id = config_id
        self._generator = generator
        self._lock = threading.Lock()
        self._closed = False

    @classmethod
    def load(cls, path: str | Path, engine: str = "auto") -> Self:
        """Read the bundle at ``path`` and build its generator; BundleError if unusable.

        ``engine``: "numpy" (the NumPy engine or an error), "magenta" (TensorFlow), or
        "auto": the NumPy engine, magenta for a bundle the engine does not run.
        """
        path = Path(path)
        if engine not in ENGINES:
            raise BundleError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
        if engine != "magenta":
            from psc_looper.inference import UnsupportedBundle, load_generator

            try:
                generator = load_generator(path, cls.family.name)
                return cls(path, generator.config.config_id, generator)
            except UnsupportedBundle as e:
                if engine == "numpy":
                    raise
                log.warning("%s; generating with magenta (TensorFlow) instead", e)
        bundle = read_bundle(path, cls.family)
        try:
            generator = cls.family.generator_for_bundle(bundle)
            generator.initialize()
        except Exception as e:
            raise BundleError(f"{path}: cannot restore the model: {_summary(e)}") from e
        return cls(path, bundle.generator_details.id, generator)

    def close(self) -> None:
        """Release the TF session; the model cannot generate afterwards."""
        with self._lock:
            self._closed = True
            self._generator.close()

    def _generate(
        self,
        primer: Any,
        start_step: int,
        end_step: int,
        sampling: Sampling,
        section_start: float | None = None,
    ) -> Any:
        """Magenta's NoteSequence extending ``primer`` over ``start_step..end_step``
        (the section starts at ``section_start`` seconds if given)."""
        import_note_seq()
        import numpy as np
        from note_seq.protobuf import generator_pb2

        options = generator_pb2.GeneratorOptions()
        options.generate_sections.add(
            start_time=sequences.before(start_step) if section_start is None else section_start,
            end_time=sequences.seconds(end_step),
        )
        options.args["temperature"].float_value = sampling.temperature
        options.args["beam_size"].int_value = sampling.beam_size
        options.args["branch_factor"].int_value = sampling.branch_factor
        seed = sampling.seed
        with self._lock, _SAMPLING_LOCK:
            if self._closed:
                raise GenerationError(f"{self.path}: the model is closed")
            saved = np.random.get_state() if seed is not None else None
            try:
                if seed is not None:
                    np.random.seed(seed)
                result = self._generator.generate(primer, options)
            except Exception as e:
                raise GenerationError(f"{self.path}: generation failed: {e}") from e
            finally:
                if saved is not None:
                    np.random.set_state(saved)
        return result


class MelodyModel(_Model):
    """A MelodyRNN bundle (basic_rnn, mono_rnn, lookback_rnn, attention_rnn)."""

    family = MELODY_RNN

    def generate(
        self,
        primer: Sequence[Note],
        num_steps: int,
        *,
        primer_steps: int | None = None,
        chords: Sequence[Chord | None] | None = None,
        temperature: float = 1.0,
        beam_size: int = 1,
        branch_factor: int = 1,
        seed: int | None = None,
    ) -> list[Note]:
        """Continue ``primer`` for ``num_steps`` 16th-note steps.

        Steps count from the primer's start (step 0); the primer lasts ``primer_steps``
        (default: up to its last note's end). Returns only the continuation: the notes
        starting in ``primer_steps .. primer_steps + num_steps - 1``, cut at its end.
        ``chords`` must be None: a MelodyRNN hears none (``ImprovModel`` does).
        """
        _check_steps(num_steps)
        if chords is not None:
            raise GenerationError(f"{self.path}: a MelodyRNN takes no chords (an ImprovRNN does)")
        sampling = Sampling(temperature, beam_size, branch_factor, seed)
        primer = list(primer)
        length = primer_length(primer, primer_steps)
        # Magenta needs room for one step before the generated part: an empty primer
        # becomes one bar of silence (kept bar-aligned), removed again from the result.
        pad = STEPS_PER_BAR if length == 0 else 0
        shifted = [Note(n.start_step + pad, n.end_step + pad, n.pitch) for n in primer]
        start, end = pad + length, pad + length + num_steps
        result = self._generate(sequences.melody_sequence(shifted, start), start, end, sampling)
        return sequences.notes_from(result, start, end, shift=pad)


class DrumsModel(_Model):
    """A DrumsRNN bundle (drum_kit; see ``notes.DRUM_KIT_CLASSES``)."""

    family = DRUMS_RNN

    def generate(
        self,
        primer: Sequence[DrumHit],
        num_steps: int,
        *,
        primer_steps: int,
        temperature: float = 1.0,
        beam_size: int = 1,
        branch_factor: int = 1,
        seed: int | None = None,
    ) -> list[DrumHit]:
        """Continue a ``primer_steps``-long drum primer for ``num_steps`` steps (the
        arguments in ``MelodyModel.generate``'s order).

        Primer steps count from 0; the result's steps count from the start of the
        generated part (0 .. num_steps - 1).
        """
        _check_steps(num_steps)
        sampling = Sampling(temperature, beam_size, branch_factor, seed)
        if primer_steps < 0:
            raise GenerationError(f"primer_steps must be >= 0, not {primer_steps}")
        for h in primer:
            _check_pitch(h.pitch)
            if not 0 <= h.step < primer_steps:
                raise GenerationError(f"primer hit {h} must lie in 0..{primer_steps - 1}")
        pad = STEPS_PER_BAR if primer_steps == 0 else 0  # as in MelodyModel.generate
        shifted = [DrumHit(h.step + pad, h.pitch) for h in primer]
        start, end = pad + primer_steps, pad + primer_steps + num_steps
        result = self._generate(sequences.drums_sequence(shifted, start), start, end, sampling)
        return sequences.hits_from(result, start, end, shift=start)
