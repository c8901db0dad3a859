"""Checkpoint: the variables of a TensorFlow V1 checkpoint (the one file a ``.mag`` holds).

Magenta bundles the single-file V1 format: a table (``table.py``) whose empty key holds
the list of tensors (``SavedTensorSliceMeta``) and whose other keys hold one slice each
(``SavedSlice``: name, extent, ``TensorProto``). Float tensors are returned as float32
arrays of their declared shapes; other tensors (the int64 ``global_step``) are only
named. Partitioned variables (several slices of one tensor) are not supported.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

import numpy as np

from psc_looper.inference import table, wire
from psc_looper.inference.errors import CheckpointError, UnsupportedBundle

DT_FLOAT, DT_DOUBLE = 1, 2
_NUMPY = {DT_FLOAT: "<f4", DT_DOUBLE: "<f8"}
# TensorProto field numbers of the float and double values (packed or not)
_VALUES = {DT_FLOAT: 5, DT_DOUBLE: 6}
_TENSOR_CONTENT = 4


@dataclass
class Checkpoint:
    """The float tensors of a checkpoint by name, and the names of its other tensors."""

    tensors: dict[str, np.ndarray]
    others: set[str] = field(default_factory=set)


def _shape(data: bytes) -> tuple[int, ...]:
    dims = wire.repeated_bytes(wire.message(data), 2)
    return tuple(wire.first_int(wire.message(d), 1) for d in dims)


def _meta(value: bytes) -> dict[str, tuple[tuple[int, ...], int, int]]:
    """name -> (shape, dtype, number of slices) from the table's empty-key record."""
    meta = wire.first_bytes(wire.message(value), 1)
    result = {}
    for entry in wire.repeated_bytes(wire.message(meta), 1):
        m = wire.message(entry)
        name = wire.first_bytes(m, 1).decode()
        shape = _shape(wire.first_bytes(m, 2))
        result[name] = (shape, wire.first_int(m, 3), len(m.get(4, [])))
    return result


def _values(tensor: bytes, dtype: int) -> np.ndarray:
    """The flat values of a TensorProto of ``dtype`` (float or double)."""
    proto = wire.message(tensor)
    content = wire.repeated_bytes(proto, _TENSOR_CONTENT)
    if content:
        return np.frombuffer(b"".join(content), _NUMPY[dtype])
    parts = []
    for value in proto.get(_VALUES[dtype], []):
        if isinstance(value, bytes):  # packed
            parts.append(np.frombuffer(value, _NUMPY[dtype]))
        else:  # one unpacked value, kept as its raw little-endian bits
            fmt = "<I" if dtype == DT_FLOAT else "<Q"
            parts.append(np.frombuffer(struct.pack(fmt, value), _NUMPY[dtype]))
    return np.concatenate(parts) if parts else np.zeros(0, _NUMPY[dtype])


def read_checkpoint(data: bytes) -> Checkpoint:
    """The variables of the V1 checkpoint ``data``; CheckpointError if it is corrupt."""
    try:
        return _read(data)
    except CheckpointError:
        raise
    except (ValueError, UnicodeDecodeError, struct.error, TypeError) as e:
        raise CheckpointError(f"corrupt checkpoint: {e}") from e


def _read(data: bytes) -> Checkpoint:
    meta: dict[str, tuple[tuple[int, ...], int, int]] | None = None
    slices: dict[str, bytes] = {}
    for key, value in table.entries(data):
        if key == b"":
            meta = _meta(value)
            continue
        saved = wire.message(wire.first_bytes(wire.message(value), 2))
        name = wire.first_bytes(saved, 1).decode()
        if name in slices:
            raise UnsupportedBundle(f"variable {name} is partitioned into slices")
        slices[name] = wire.first_bytes(saved, 3)
    if meta is None:
        raise CheckpointError("no tensor list in the checkpoint: not a V1 TF checkpoint")
    result = Checkpoint({})
    for name, (shape, dtype, count) in meta.items():
        if dtype not in _NUMPY:
            result.others.add(name)
            continue
        if count > 1:
            raise UnsupportedBundle(f"variable {name} is partitioned into {count} slices")
        if name not in slices:
            raise CheckpointError(f"variable {name} is listed but has no data")
        values = _values(slices[name], dtype)
        size = int(np.prod(shape, dtype=np.int64))
        if values.size != size:
            raise CheckpointError(
                f"variable {name}: {values.size} values for shape {list(shape)}"
            )
        if not np.all(np.isfinite(values)):
            raise CheckpointError(f"variable {name} holds non-finite values")
        result.tensors[name] = values.astype(np.float32).reshape(shape)
    return result
