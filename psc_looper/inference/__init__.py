"""Inference: magenta's MelodyRNN, DrumsRNN and ImprovRNN bundles run in NumPy, without TensorFlow.

``checkpoint`` reads the weights straight from the TF checkpoint inside a ``.mag``,
``network`` runs the LSTMs, ``search`` samples as magenta does, ``generator`` answers
magenta's generator interface and ``loader`` builds one from a bundle.
"""

from psc_looper.inference.errors import CheckpointError, UnsupportedBundle
from psc_looper.inference.loader import load_generator

__all__ = ["CheckpointError", "UnsupportedBundle", "load_generator"]
