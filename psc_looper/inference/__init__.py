"""Inference: magenta's MelodyRNN, DrumsRNN and ImprovRNN bundles run in NumPy, without TensorFlow.

``checkpoint`` reads the weights straight from the TF checkpoint inside a ``.mag``.
"""
