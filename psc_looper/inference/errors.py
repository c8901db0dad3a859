"""Errors: what the NumPy inference engine raises when a bundle is not one it can run."""

from __future__ import annotations

from psc_looper.models.errors import BundleError


class CheckpointError(BundleError):
    """A checkpoint inside a bundle that is corrupt, truncated or not a TF checkpoint."""


class UnsupportedBundle(BundleError):
    """A sound bundle whose model the engine does not implement (magenta can still run it)."""
