"""Bundles: reading and checking a magenta ``.mag`` generator bundle file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from psc_looper.models.compat import ensure_magenta
from psc_looper.models.errors import BundleError
from psc_looper.models.families import FAMILIES, Family


def read_bundle(path: str | Path, family: Family) -> Any:
    """The GeneratorBundle proto in ``path``, checked to be a ``family`` bundle.

    Raises BundleError (its message names the file) if the file is missing or empty,
    does not parse, lacks a checkpoint or metagraph, or holds an unknown config id or
    one of another family.
    """
    path = Path(path)
    if not path.is_file():
        raise BundleError(f"{path}: no such bundle file")
    if path.stat().st_size == 0:
        raise BundleError(f"{path}: empty file, not a magenta bundle")
    ensure_magenta()
    from magenta.models.shared import sequence_generator_bundle

    try:
        bundle = sequence_generator_bundle.read_bundle_file(str(path))
    except sequence_generator_bundle.GeneratorBundleParseError as e:
        raise BundleError(f"{path}: not a magenta bundle, corrupt or truncated ({e})") from e
    config_id = bundle.generator_details.id
    if not config_id:
        raise BundleError(f"{path}: no generator id, not a magenta bundle")
    if not bundle.checkpoint_file or not bundle.metagraph_file:
        raise BundleError(f"{path}: bundle '{config_id}' has no checkpoint or no metagraph")
    if config_id not in family.configs():
        owner = next((f.name for f in FAMILIES if config_id in f.configs()), None)
        what = f"a {owner} bundle" if owner else "an unknown config"
        known = ", ".join(sorted(family.configs()))
        raise BundleError(
            f"{path}: '{config_id}' is {what}, not {family.name} (expected one of: {known})"
        )
    return bundle
