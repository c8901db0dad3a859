"""Table: the sorted key/value file (LevelDB's table format) of TensorFlow checkpoints.

A table is data blocks, an index block naming them and a 48-byte footer. Each block
holds prefix-compressed entries, then its restart offsets; a 5-byte trailer follows it
(compression type and a masked CRC32C of the block and its type). TensorFlow writes
checkpoint tables uncompressed. Every block's CRC is verified (``google-crc32c``, in C:
a damaged weight is an error, never a wrong model).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

import google_crc32c

from psc_looper.inference.errors import CheckpointError
from psc_looper.inference.wire import varint

MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
TRAILER_SIZE = 5
NO_COMPRESSION = 0
CRC_MASK_DELTA = 0xA282EAD8


def _masked_crc(data: bytes) -> int:
    crc: int = google_crc32c.value(data)
    return (((crc >> 15) | (crc << 17)) + CRC_MASK_DELTA) & 0xFFFFFFFF


def _handle(data: bytes, pos: int) -> tuple[int, int, int]:
    """A block handle (offset, size) at ``pos`` and the position after it."""
    offset, pos = varint(data, pos)
    size, pos = varint(data, pos)
    return offset, size, pos


def _block(data: bytes, offset: int, size: int) -> bytes:
    if offset + size + TRAILER_SIZE > len(data):
        raise CheckpointError(f"block at {offset} (+{size}) runs past the end of the table")
    (stored,) = struct.unpack_from("<I", data, offset + size + 1)
    if _masked_crc(data[offset : offset + size + 1]) != stored:
        raise CheckpointError(f"block at {offset}: checksum mismatch (damaged checkpoint)")
    kind = data[offset + size]
    if kind != NO_COMPRESSION:
        raise CheckpointError(f"block at {offset} is compressed (type {kind}): unsupported")
    return data[offset : offset + size]


def _entries(block: bytes) -> Iterator[tuple[bytes, bytes]]:
    """The (key, value) entries of one block, keys rebuilt from their shared prefixes."""
    if len(block) < 4:
        raise CheckpointError("table block shorter than its restart count")
    (restarts,) = struct.unpack_from("<I", block, len(block) - 4)
    end = len(block) - 4 - 4 * restarts
    if end < 0:
        raise CheckpointError("table block restart array larger than the block")
    pos, key = 0, b""
    while pos < end:
        shared, pos = varint(block, pos)
        unshared, pos = varint(block, pos)
        size, pos = varint(block, pos)
        if shared > len(key) or pos + unshared + size > end:
            raise CheckpointError("table entry runs past its block")
        key = key[:shared] + block[pos : pos + unshared]
        pos += unshared
        yield key, block[pos : pos + size]
        pos += size


def entries(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """Every (key, value) entry of the table ``data``, in key order."""
    if len(data) < FOOTER_SIZE:
        raise CheckpointError(f"{len(data)} bytes: too short for a checkpoint table")
    footer = data[-FOOTER_SIZE:]
    (magic,) = struct.unpack_from("<Q", footer, FOOTER_SIZE - 8)
    if magic != MAGIC:
        raise CheckpointError("no table magic number at the end: not a TF checkpoint")
    _, _, pos = _handle(footer, 0)  # the metaindex block: empty in checkpoints
    index_offset, index_size, _ = _handle(footer, pos)
    for _, handle in _entries(_block(data, index_offset, index_size)):
        offset, size, _ = _handle(handle, 0)
        yield from _entries(_block(data, offset, size))
