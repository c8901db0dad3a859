"""Improv: call and response — MelodyRNN's pitches in the pianist's rhythm (see feature.py)."""

from psc_looper.improv.feature import ImprovFeature, Phase
from psc_looper.improv.options import Boundary, Fit, ImprovOptions

__all__ = ["Boundary", "Fit", "ImprovFeature", "ImprovOptions", "Phase"]
