"""Bundles: the default models shipped with psc-looper (see MODEL_CARD.md): the melody
model (MelodyRNN, no chords), the improv model (ImprovRNN, played over the chords when
the harmony is known), the drum model (DrumsRNN) and the learned walking bass (a small
chord-conditioned LSTM, ``bass.npz``, trained by ``psc_looper.training.basstrain``).

Trained here with ``psc-looper train melody`` / ``improv`` / ``drums`` from offline,
public-domain and GPL data; each ``<kind>.heldout.txt`` lists the held-out pieces. A
bundle not shipped yet is simply absent: everything that uses it checks ``is_file()``.
"""

from pathlib import Path

BUNDLE_DIR = Path(__file__).resolve().parent
DEFAULT_MELODY_BUNDLE = BUNDLE_DIR / "melody.mag"  # attention_rnn
DEFAULT_IMPROV_BUNDLE = BUNDLE_DIR / "improv.mag"  # chord_pitches_improv
DEFAULT_DRUMS_BUNDLE = BUNDLE_DIR / "drums.mag"  # drum_kit
DEFAULT_BASS_MODEL = BUNDLE_DIR / "bass.npz"  # the learned walking bass (band.bassnet)
