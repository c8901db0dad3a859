"""Errors: the named exceptions of the model layer."""

from __future__ import annotations


class ModelError(Exception):
    """Base class of every error raised by ``psc_looper.models``."""


class BundleError(ModelError):
    """A ``.mag`` bundle that is missing, unreadable, corrupt or of the wrong kind."""


class GenerationError(ModelError):
    """Bad generation arguments, or magenta failed while generating."""
