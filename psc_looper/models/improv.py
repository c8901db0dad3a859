"""Improv: ImprovRNN bundles (a melody generated over given chords), and choosing the
melody model class a bundle needs.

Magenta's ImprovRNN takes the backing chords as chord-symbol annotations over the
primer *and* the generated section. Two of its edges are worked around here (see
FACTS.md, "Generating over chords"): it trims the backing chords from the wrong end
when the melody does not start at step 0, so the primer is moved back by whole bars to
its first note's bar (an empty primer becomes one silent step); and it refuses a primer
note ending at the section start, so the section starts a quarter step early (still
quantized to the intended step).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from psc_looper.harmony.chords import Chord
from psc_looper.models import sequences
from psc_looper.models.bundles import parse_bundle
from psc_looper.models.errors import BundleError, GenerationError
from psc_looper.models.families import IMPROV_RNN
from psc_looper.models.generators import (
    MelodyModel,
    Sampling,
    _check_steps,
    _Model,
    primer_length,
)
from psc_looper.models.notes import STEPS_PER_BAR, Note

# ImprovRNN's config ids (magenta's improv_rnn_model.default_configs), known without TF.
IMPROV_CONFIG_IDS = frozenset({"basic_improv", "attention_improv", "chord_pitches_improv"})
NO_CHORD = "N.C."
CHORD_SYMBOL = 1  # NoteSequence.TextAnnotation.CHORD_SYMBOL
SECTION_LEAD = 0.25  # steps: the generate section starts this much before its step


def takes_chords(model: Any) -> bool:
    """Whether ``model`` (local or remote) generates over chords (an ImprovRNN bundle)."""
    return getattr(model, "config_id", "") in IMPROV_CONFIG_IDS


def melody_model_class(path: str | Path) -> type[_Model]:
    """``ImprovModel`` or ``MelodyModel``, as the bundle's config id says (no TensorFlow).

    BundleError if the file is not a bundle."""
    config_id = parse_bundle(path).generator_details.id
    return ImprovModel if config_id in IMPROV_CONFIG_IDS else MelodyModel


def is_improv_bundle(path: str | Path) -> bool:
    """Whether ``path`` is a readable ImprovRNN bundle (no TensorFlow; False for anything
    else, a bad file included: loading it reports why)."""
    try:
        return melody_model_class(path) is ImprovModel
    except BundleError:
        return False


def _backing(sequence: Any, chords: Sequence[Chord | None], shift: int) -> None:
    """Chord-symbol annotations of ``chords`` (one per step from step ``-shift``)."""
    previous: str | None = None
    for step, chord in enumerate(chords):
        text = NO_CHORD if chord is None else chord.figure()
        if text != previous and step + shift >= 0:
            sequence.text_annotations.add(time=sequences.seconds(max(0, step + shift)),
                                          text=text, annotation_type=CHORD_SYMBOL)
            previous = text


class ImprovModel(_Model):
    """An ImprovRNN bundle (basic_improv, attention_improv, chord_pitches_improv)."""

    family = IMPROV_RNN

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
        """Continue ``primer`` for ``num_steps`` steps over ``chords``.

        As :meth:`MelodyModel.generate`, plus ``chords``: the chord (or None, no chord)
        at each step from the primer's step 0 to the end of the continuation, so
        ``primer_steps + num_steps`` of them.
        """
        _check_steps(num_steps)
        if chords is None:
            raise GenerationError(f"{self.path}: an ImprovRNN needs the chords, one per step")
        sampling = Sampling(temperature, beam_size, branch_factor, seed)
        primer = list(primer)
        length = primer_length(primer, primer_steps)
        if len(chords) != length + num_steps:
            raise GenerationError(f"{len(chords)} chords given for {length} primer steps and "
                                  f"{num_steps} to generate (one per step needed)")
        if primer:
            shift = -(min(n.start_step for n in primer) // STEPS_PER_BAR) * STEPS_PER_BAR
        else:
            shift = 1  # one silent step before the generated part
            chords = [chords[0], *chords]
        moved = [Note(n.start_step + shift, n.end_step + shift, n.pitch) for n in primer]
        start, end = length + shift, length + shift + num_steps
        sequence = sequences.melody_sequence(moved, end)
        _backing(sequence, chords, min(shift, 0))
        result = self._generate(sequence, start, end, sampling,
                                section_start=sequences.seconds(start) - SECTION_LEAD
                                * sequences.SECONDS_PER_STEP)
        return sequences.notes_from(result, start, end, shift=shift)


__all__ = ["IMPROV_CONFIG_IDS", "BundleError", "ImprovModel", "is_improv_bundle",
           "melody_model_class", "takes_chords"]
