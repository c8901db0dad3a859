"""Compat: every run-time measure that makes magenta 2.1.4 and note-seq 0.0.5 work here.

Python 3.11, TensorFlow 2.21 (CPU), tf-keras 2.21, tf-slim 1.1.0, with magenta and
note-seq installed without their (unresolvable) declared dependencies. Nothing in
site-packages is edited: :func:`ensure_magenta` applies each measure at run time, once,
and must run before TensorFlow or magenta is imported anywhere in the process. Every
other module of ``psc_looper.models`` calls it before touching magenta.

Deliberately absent: magenta's command-line modules (``*_generate``, ``*_train``,
``*_create_dataset``, ``*_config_flags``) define absl flags at import time, and
importing two of them in one process raises ``DuplicateFlagError``; this project
imports only magenta's library modules.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import types
from collections.abc import Collection, Iterator

# Measure names, so that tests can leave one out and show what breaks without it.
LEGACY_KERAS = "legacy_keras"
SLIM_OPS_ALIASES = "slim_ops_aliases"
PLACEHOLDERS = "placeholders"
REMOVE_PLACEHOLDERS = "remove_placeholders"
MEASURES = (LEGACY_KERAS, SLIM_OPS_ALIASES, PLACEHOLDERS, REMOVE_PLACEHOLDERS)

# Imported by note_seq/magenta at import time but never used by MelodyRNN/DrumsRNN:
# note_seq.audio_io (librosa, pydub), note_seq.notebook_utils (bokeh, IPython, pandas),
# magenta.common.nade (tensorflow_probability).
UNUSED_MODULES = (
    "librosa",
    "pydub",
    "bokeh",
    "bokeh.plotting",
    "IPython",
    "pandas",
    "tensorflow_probability",
)

# The magenta modules this project uses; importing them is what the measures enable.
MAGENTA_MODULES = (
    "note_seq",
    "magenta",
    "magenta.models.shared.sequence_generator_bundle",
    "magenta.models.shared.events_rnn_graph",
    "magenta.models.shared.events_rnn_train",
    "magenta.models.melody_rnn.melody_rnn_sequence_generator",
    "magenta.models.drums_rnn.drums_rnn_sequence_generator",
)

_lock = threading.Lock()
_done = False


class _Unavailable:
    """Stands for any name of a placeholder module; fails loudly if ever used."""

    def __init__(self, qualname: str) -> None:
        self._qualname = qualname

    def __call__(self, *args: object, **kwargs: object) -> None:
        raise ModuleNotFoundError(f"{self._qualname} is not installed (unused by psc-looper)")

    def __getattr__(self, name: str) -> _Unavailable:
        return _Unavailable(f"{self._qualname}.{name}")


class _Placeholder(types.ModuleType):
    """A stand-in package whose every public name is an :class:`_Unavailable`."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__path__: list[str] = []  # a package, so that ``import bokeh.plotting`` works

    def __getattr__(self, name: str) -> _Unavailable:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Unavailable(f"{self.__name__}.{name}")


@contextlib.contextmanager
def _placeholders(names: Collection[str], remove: bool = True) -> Iterator[None]:
    """Put a placeholder in ``sys.modules`` for each missing module in ``names``."""
    added = []
    for name in names:
        if name in sys.modules:
            continue
        try:
            __import__(name)
        except ImportError:
            sys.modules[name] = _Placeholder(name)
            added.append(name)
    try:
        yield
    finally:
        if remove:  # a leftover fake fools later optional imports (Keras probes pandas)
            for name in added:
                if isinstance(sys.modules.get(name), _Placeholder):
                    del sys.modules[name]


def _use_legacy_keras() -> None:
    # tf.compat.v1.nn.rnn_cell (used by magenta.contrib.rnn at import) exists only in tf-keras.
    os.environ["TF_USE_LEGACY_KERAS"] = "1"


def _alias_slim_ops() -> None:
    # tf-slim 1.1.0 clips gradients with ops.IndexedSlices, gone from TF 2.21's ops module.
    # (Its ops.Tensor uses are in gradient multipliers and layers.optimizers: unused here.)
    import tensorflow as tf
    from tensorflow.python.framework import ops

    if not hasattr(ops, "IndexedSlices"):
        ops.IndexedSlices = tf.IndexedSlices


def _import_magenta(measures: Collection[str]) -> None:
    context: contextlib.AbstractContextManager[None]
    if PLACEHOLDERS in measures:
        context = _placeholders(UNUSED_MODULES, remove=REMOVE_PLACEHOLDERS in measures)
    else:
        context = contextlib.nullcontext()
    with context:
        for name in MAGENTA_MODULES:
            __import__(name)


def _apply(measures: Collection[str]) -> None:
    """Apply the named measures and import magenta, once per process."""
    global _done
    with _lock:
        if _done:
            return
        if LEGACY_KERAS in measures:
            _use_legacy_keras()
        if SLIM_OPS_ALIASES in measures:
            _alias_slim_ops()
        _import_magenta(measures)
        _done = True


def ensure_magenta() -> None:
    """Make magenta and note_seq importable and usable; idempotent and thread-safe.

    Tests call ``_apply`` with a measure left out, in a fresh process, to show it is needed.
    """
    _apply(MEASURES)
