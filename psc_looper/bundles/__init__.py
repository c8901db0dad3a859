"""Bundles: the default melody and drum models shipped with psc-looper (see MODEL_CARD.md).

Trained here with ``psc-looper train melody`` / ``psc-looper train drums`` from offline,
public-domain and GPL data; each ``<kind>.heldout.txt`` lists the held-out pieces.
"""

from pathlib import Path

BUNDLE_DIR = Path(__file__).resolve().parent
DEFAULT_MELODY_BUNDLE = BUNDLE_DIR / "melody.mag"  # attention_rnn
DEFAULT_DRUMS_BUNDLE = BUNDLE_DIR / "drums.mag"  # drum_kit
