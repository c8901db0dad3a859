"""Improv: call and response — MelodyRNN's pitches in the pianist's rhythm (see feature.py)."""

from psc_looper.improv.feature import ImprovFeature, Phase, attach_improv
from psc_looper.improv.options import Boundary, Fit, ImprovOptions

__all__ = ["Boundary", "Fit", "ImprovFeature", "ImprovOptions", "Phase", "attach_improv"]
