"""The bundle a benchmark measures: the one given, else an untrained one built now."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from psc_looper.models.build import build_bundle


def bundle_for(given: Path | None, config_id: str, layers: Sequence[int], folder: Path) -> Path:
    """``given`` if set; otherwise build an untrained ``config_id`` bundle in ``folder``."""
    if given is not None:
        return given
    t = time.perf_counter()
    bundle = build_bundle(config_id, folder / f"{config_id}.mag", rnn_layer_sizes=layers)
    print(f"(built an untrained {tuple(layers)} {config_id} bundle in "
          f"{time.perf_counter() - t:.1f} s)")
    return bundle
