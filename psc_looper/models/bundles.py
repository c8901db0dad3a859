"""Bundles: reading and checking a magenta ``.mag`` generator bundle file.

A bundle is a ``GeneratorBundle`` protobuf (note-seq's ``generator_pb2``): a config id,
a TF checkpoint and its metagraph. Reading and the structural checks need no
TensorFlow; only :func:`read_bundle`'s family check asks magenta for its config ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from psc_looper.files import FileRefused, read_regular
from psc_looper.models.compat import ensure_magenta
from psc_looper.models.errors import BundleError
from psc_looper.models.families import FAMILIES, Family
from psc_looper.models.noteseq import import_note_seq

MAX_BUNDLE_BYTES = 256 << 20  # the shipped bundles are 0.3 to 2.3 MB


def parse_bundle(path: str | Path) -> Any:
    """The GeneratorBundle proto in ``path``, with a config id, checkpoint and metagraph.

    Raises BundleError (its message names the file) if the file is missing or empty,
    does not parse, or lacks a config id, a checkpoint or a metagraph.
    """
    path = Path(path)
    try:
        data = read_regular(path, MAX_BUNDLE_BYTES)
    except FileNotFoundError:
        raise BundleError(f"{path}: no such bundle file") from None
    except (OSError, FileRefused) as exc:
        raise BundleError(f"{path}: not a bundle file: {getattr(exc, 'strerror', None) or exc}") \
            from None
    if not data:
        raise BundleError(f"{path}: empty file, not a magenta bundle")
    import_note_seq()
    from google.protobuf.message import DecodeError
    from note_seq.protobuf import generator_pb2

    bundle = generator_pb2.GeneratorBundle()
    try:
        bundle.ParseFromString(data)
    except DecodeError as e:
        raise BundleError(f"{path}: not a magenta bundle, corrupt or truncated ({e})") from e
    config_id = bundle.generator_details.id
    if not config_id:
        raise BundleError(f"{path}: no generator id, not a magenta bundle")
    if not bundle.checkpoint_file or not bundle.metagraph_file:
        raise BundleError(f"{path}: bundle '{config_id}' has no checkpoint or no metagraph")
    return bundle


def wrong_family(path: Path, config_id: str, owner: str | None, family: str,
                 known: Iterable[str]) -> BundleError:
    """The error for a bundle of config ``config_id`` (of family ``owner``) given as ``family``."""
    what = f"a {owner} bundle" if owner else "an unknown config"
    return BundleError(
        f"{path}: '{config_id}' is {what}, not {family} "
        f"(expected one of: {', '.join(sorted(known))})"
    )


def read_bundle(path: str | Path, family: Family) -> Any:
    """The bundle in ``path`` (see :func:`parse_bundle`), checked to be a ``family`` bundle.

    Asks magenta (so imports TensorFlow) for the family's config ids.
    """
    path = Path(path)
    bundle = parse_bundle(path)
    config_id = bundle.generator_details.id
    ensure_magenta()
    if config_id not in family.configs():
        owner = next((f.name for f in FAMILIES if config_id in f.configs()), None)
        raise wrong_family(path, config_id, owner, family.name, family.configs())
    return bundle
