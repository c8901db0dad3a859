"""Wire: just enough of the protobuf wire format to read TensorFlow's checkpoint records.

TensorFlow's own message classes are not available without TensorFlow, and the few
messages a checkpoint holds need only their field numbers; each reader here walks a
message's fields and leaves their meaning to the caller.
"""

from __future__ import annotations

from collections.abc import Iterator

from psc_looper.inference.errors import CheckpointError

VARINT, FIXED64, BYTES, FIXED32 = 0, 1, 2, 5
Field = tuple[int, int, int | bytes]  # (number, wire type, value)
Message = dict[int, list[int | bytes]]  # field number -> its values in order


def varint(data: bytes, pos: int) -> tuple[int, int]:
    """The varint at ``pos`` and the position after it."""
    result = shift = 0
    while True:
        if pos >= len(data):
            raise CheckpointError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise CheckpointError("varint longer than 10 bytes")


def fields(data: bytes) -> Iterator[Field]:
    """Every field of the serialized message ``data``, in order.

    Varints come as ints, fixed-width values as their raw little-endian ints, length-
    delimited ones (strings, bytes, sub-messages, packed arrays) as bytes.
    """
    pos, end = 0, len(data)
    while pos < end:
        key, pos = varint(data, pos)
        number, kind = key >> 3, key & 7
        value: int | bytes
        if kind == VARINT:
            value, pos = varint(data, pos)
        elif kind == BYTES:
            size, pos = varint(data, pos)
            if pos + size > end:
                raise CheckpointError(f"field {number} runs past the end of its message")
            value, pos = data[pos : pos + size], pos + size
        elif kind in (FIXED32, FIXED64):
            width = 4 if kind == FIXED32 else 8
            if pos + width > end:
                raise CheckpointError(f"field {number} runs past the end of its message")
            value, pos = int.from_bytes(data[pos : pos + width], "little"), pos + width
        else:
            raise CheckpointError(f"unsupported wire type {kind} (field {number})")
        yield number, kind, value


def message(data: bytes) -> Message:
    """The fields of ``data`` by number, each a list of its values in order."""
    by_number: Message = {}
    for number, _kind, value in fields(data):
        by_number.setdefault(number, []).append(value)
    return by_number


def first(msg: Message, number: int, default: int | bytes = b"") -> int | bytes:
    """The last value of a singular field (protobuf's rule), or ``default``."""
    values = msg.get(number)
    return values[-1] if values else default


def as_bytes(value: int | bytes, number: int) -> bytes:
    """``value`` of field ``number``, which must be length-delimited."""
    if not isinstance(value, bytes):
        raise CheckpointError(f"field {number} is a number where bytes were expected")
    return value


def first_bytes(msg: Message, number: int) -> bytes:
    """The last value of a singular length-delimited field, or b""."""
    return as_bytes(first(msg, number), number)


def first_int(msg: Message, number: int) -> int:
    """The last value of a singular varint or fixed-width field, or 0."""
    value = first(msg, number, 0)
    if not isinstance(value, int):
        raise CheckpointError(f"field {number} is bytes where a number was expected")
    return value


def repeated_bytes(msg: Message, number: int) -> list[bytes]:
    """Every value of a repeated length-delimited field (messages, strings), in order."""
    return [as_bytes(value, number) for value in msg.get(number, [])]
