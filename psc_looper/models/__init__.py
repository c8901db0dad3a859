"""Models: the Magenta compatibility layer and the MelodyRNN / ImprovRNN / DrumsRNN models.

Importing this package does not import TensorFlow, and neither does loading a bundle
the NumPy engine (``psc_looper.inference``) runs, the shipped ones included. Only the
magenta engine does (``engine="magenta"``, or a bundle the NumPy engine cannot run),
after ``compat.ensure_magenta()``.
"""

from psc_looper.models.compat import ensure_magenta
from psc_looper.models.errors import BundleError, GenerationError, ModelError
from psc_looper.models.generators import DrumsModel, MelodyModel, Sampling
from psc_looper.models.improv import ImprovModel, melody_model_class, takes_chords
from psc_looper.models.notes import (
    DRUM_KIT_CLASS_NAMES,
    DRUM_KIT_CLASSES,
    STEPS_PER_BAR,
    STEPS_PER_QUARTER,
    DrumHit,
    Note,
    drum_kit_class,
    drum_kit_pitch,
)

__all__ = [
    "DRUM_KIT_CLASSES",
    "DRUM_KIT_CLASS_NAMES",
    "STEPS_PER_BAR",
    "STEPS_PER_QUARTER",
    "BundleError",
    "DrumHit",
    "DrumsModel",
    "GenerationError",
    "ImprovModel",
    "MelodyModel",
    "ModelError",
    "Note",
    "Sampling",
    "drum_kit_class",
    "drum_kit_pitch",
    "ensure_magenta",
    "melody_model_class",
    "takes_chords",
]
