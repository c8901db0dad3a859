"""A strict OSC 1.0 datagram parser: exactly a well-formed message or bundle, or nothing.

python-osc skips type tags it does not know and ignores trailing bytes, so
``/ready ,c...`` parses as a bare ``/ready``. ``parse_datagram`` instead accepts only
what the protocol uses (type tags ``i``, ``f``, ``s``), reads every byte (padding
must be zeros, nothing may follow the last argument) and bounds the work a datagram
can cause: its size, bundle nesting and message count. Anything else raises
``Malformed`` with one of a fixed set of kinds (so counting them takes bounded
memory). Pure functions, no state.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

MAX_DATAGRAM_BYTES = 8192
MAX_BUNDLE_DEPTH = 4
MAX_MESSAGES = 64
MAX_STRING_BYTES = 1024
BUNDLE_TAG = b"#bundle\x00"

OscArg = int | float | str


class Malformed(ValueError):
    """A datagram that is not exactly a well-formed message or bundle of the protocol."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind


# Every kind this module raises (the dispatcher adds its own; see osc.dispatcher).
KINDS = ("oversize", "garbage", "address", "type-tags", "truncated", "trailing",
         "padding", "string", "nesting")


@dataclass(frozen=True)
class Message:
    address: str
    args: tuple[OscArg, ...]


def parse_datagram(data: bytes) -> list[Message]:
    """Every message of a datagram (a bundle's in order), or ``Malformed``."""
    if len(data) > MAX_DATAGRAM_BYTES:
        raise Malformed("oversize", f"datagram of {len(data)} bytes (at most {MAX_DATAGRAM_BYTES})")
    messages: list[Message] = []
    _element(memoryview(data), 0, messages)
    return messages


def _element(data: memoryview, depth: int, out: list[Message]) -> None:
    if bytes(data[:8]) == BUNDLE_TAG:
        _bundle(data, depth, out)
    elif len(data) and data[0] == ord("/"):
        if len(out) >= MAX_MESSAGES:
            raise Malformed("nesting", f"more than {MAX_MESSAGES} messages in one datagram")
        out.append(_message(data))
    else:
        raise Malformed("garbage", f"{len(data)} bytes that are neither a message nor a bundle")


def _bundle(data: memoryview, depth: int, out: list[Message]) -> None:
    if depth >= MAX_BUNDLE_DEPTH:
        raise Malformed("nesting", f"bundles nested deeper than {MAX_BUNDLE_DEPTH}")
    if len(data) < 16:
        raise Malformed("truncated", "bundle without a time tag")
    offset = 16
    while offset < len(data):
        if offset + 4 > len(data):
            raise Malformed("truncated", "bundle element size cut short")
        (size,) = struct.unpack_from(">i", data, offset)
        offset += 4
        if size <= 0 or size % 4 or offset + size > len(data):
            raise Malformed("truncated", f"bundle element of size {size} does not fit")
        _element(data[offset:offset + size], depth + 1, out)
        offset += size


def _message(data: memoryview) -> Message:
    address, offset = _string(data, 0, "address")
    if not address.startswith("/") or not address.isprintable() or " " in address:
        raise Malformed("address", f"address {address[:40]!r} is not an OSC address")
    if offset == len(data):
        raise Malformed("type-tags", f"{address[:40]}: no type tag string")
    tags, offset = _string(data, offset, "type-tags")
    if not tags.startswith(",") or set(tags[1:]) - set("ifs"):
        raise Malformed("type-tags", f"{address[:40]}: type tags {tags[:20]!r} (only i, f, s)")
    args: list[OscArg] = []
    for tag in tags[1:]:
        if tag == "s":
            value, offset = _string(data, offset, "string")
            args.append(value)
            continue
        if offset + 4 > len(data):
            raise Malformed("truncated", f"{address[:40]}: argument {len(args) + 1} cut short")
        number = struct.unpack_from(">i" if tag == "i" else ">f", data, offset)[0]
        if tag == "f" and not math.isfinite(number):
            raise Malformed("type-tags", f"{address[:40]}: a float that is not finite")
        args.append(number)
        offset += 4
    if offset != len(data):
        extra = len(data) - offset
        raise Malformed("trailing", f"{address[:40]}: {extra} bytes after the arguments")
    return Message(address, tuple(args))


def _string(data: memoryview, offset: int, kind: str) -> tuple[str, int]:
    """An OSC string at ``offset``: UTF-8, NUL-terminated, zero-padded to 4 bytes."""
    end = bytes(data[offset:offset + MAX_STRING_BYTES + 1]).find(b"\x00")
    if end < 0:
        too_long = len(data) - offset > MAX_STRING_BYTES
        raise Malformed("string" if too_long else "truncated", f"unterminated {kind} string")
    raw = bytes(data[offset:offset + end])
    padded = offset + (end // 4 + 1) * 4
    if padded > len(data):
        raise Malformed("truncated", f"{kind} string padding cut short")
    if any(data[offset + end:padded]):
        raise Malformed("padding", f"{kind} string padded with non-zero bytes")
    try:
        return raw.decode("utf-8"), padded
    except UnicodeDecodeError:
        raise Malformed("string", f"{kind} string is not UTF-8") from None
