"""Harmony: chord symbols (:mod:`.chords`) and chord charts (:mod:`.chart`).

Pure Python, no TensorFlow: the looper, the song files and the training data share it.
"""

from psc_looper.harmony.chart import Chart, ChartError, parse_chart
from psc_looper.harmony.chords import Chord, ChordError, parse_chord

__all__ = ["Chart", "ChartError", "Chord", "ChordError", "parse_chart", "parse_chord"]
