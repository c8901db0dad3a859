"""Note-seq at play time: import ``note_seq`` without TensorFlow and without its extras.

``note_seq``'s package imports its audio (librosa, scipy), notebook (bokeh, pandas),
synthesis and melody-inference (scipy.linalg) modules eagerly; generation uses none of
them. :func:`import_note_seq` imports the package with stand-ins for those four modules
(0.13 s and 37 MB instead of 0.4 s and 66 MB here) and removes the stand-ins right
after, so that a later ``import note_seq.audio_io`` still gets the real module. Their
names re-exported at the package top (``note_seq.plot_sequence``...) stay stand-ins
that fail loudly if called. If ``note_seq`` is already imported, nothing changes.
"""

from __future__ import annotations

import sys
import threading
from types import ModuleType

from psc_looper.models.compat import _Placeholder

SKIPPED = (
    "note_seq.audio_io",
    "note_seq.notebook_utils",
    "note_seq.midi_synth",
    "note_seq.melody_inference",
)
_lock = threading.Lock()


def import_note_seq() -> ModuleType:
    """The ``note_seq`` package, imported light if it is not imported yet."""
    with _lock:
        if "note_seq" in sys.modules:
            return sys.modules["note_seq"]
        added = [name for name in SKIPPED if name not in sys.modules]
        for name in added:
            sys.modules[name] = _Placeholder(name)
        try:
            import note_seq
        finally:
            for name in added:
                if isinstance(sys.modules.get(name), _Placeholder):
                    del sys.modules[name]
        module: ModuleType = note_seq
        return module
