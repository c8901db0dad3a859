"""Drums: the deterministic beat built from the bass line, and DrumsRNN grooves."""
