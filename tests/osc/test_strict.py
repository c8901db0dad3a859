"""The strict parser: exactly a well-formed message or bundle of the protocol, or a named kind."""

import struct

import pytest
from pythonosc.osc_bundle_builder import OscBundleBuilder
from pythonosc.osc_message_builder import build_msg

from psc_looper.osc.strict import (
    MAX_BUNDLE_DEPTH,
    MAX_DATAGRAM_BYTES,
    MAX_MESSAGES,
    Malformed,
    Message,
    parse_datagram,
)


def msg(address, *args):
    return build_msg(address, list(args)).dgram


def bundle(*contents: bytes) -> bytes:
    data = b"#bundle\x00" + struct.pack(">Q", 1)
    for content in contents:
        data += struct.pack(">i", len(content)) + content
    return data


def pad(text: bytes) -> bytes:
    return text + b"\x00" * (4 - len(text) % 4)


def test_messages_and_nested_bundles_parse_in_order():
    inner = bundle(msg("/processnoteon", 60, 100, 0, "Piano — USB"))
    assert parse_datagram(bundle(msg("/ready", 57120), inner, msg("/x", 1.5))) == [
        Message("/ready", (57120,)), Message("/processnoteon", (60, 100, 0, "Piano — USB")),
        Message("/x", (1.5,))]
    built = OscBundleBuilder(0)
    built.add_content(build_msg("/ccevent", [16, 64]))
    assert parse_datagram(built.build().dgram) == [Message("/ccevent", (16, 64))]


@pytest.mark.parametrize("data, kind", [
    (pad(b"/ready") + pad(b",c") + b"\x00\x00\x00A", "type-tags"),  # python-osc: bare /ready
    (pad(b"/ready") + pad(b",ci") + b"\x00\x00\x00A" + struct.pack(">i", 13999), "type-tags"),
    (pad(b"/processnoteon") + pad(b",iic") + struct.pack(">iii", 62, 100, 7), "type-tags"),
    (msg("/processnoteon", 62, 100) + b"junkjunk", "trailing"),
    (msg("/processnoteon", 62, 100)[:-2], "truncated"),
    (pad(b"/ready"), "type-tags"),
    (pad(b"/ready") + b",i\x00\x01" + b"\x00\x00\x00\x01", "padding"),
    (pad(b"/a b") + pad(b","), "address"),
    (pad(b"/ready") + pad(b",s") + pad(b"\xff\xfe"), "string"),
    (pad(b"/ready") + pad(b",f") + struct.pack(">f", float("nan")), "type-tags"),
    (b"\x00\x01garbage", "garbage"),
    (b"", "garbage"),
    (b"#bundle\x00\x00", "truncated"),
    (bundle(msg("/ready")) + b"\x00\x00\x00\x40", "truncated"),
    (b"#bundle\x00" + bytes(8) + struct.pack(">i", -4), "truncated"),
    (b"/" + b"a" * MAX_DATAGRAM_BYTES, "oversize"),
    (b"/" + b"a" * 2000, "string"),
])
def test_malformed_datagrams_name_their_kind(data, kind):
    with pytest.raises(Malformed) as caught:
        parse_datagram(data)
    assert caught.value.kind == kind


def test_nesting_and_message_count_are_bounded():
    nested = msg("/ready")
    for _ in range(MAX_BUNDLE_DEPTH):
        nested = bundle(nested)
    assert parse_datagram(nested) == [Message("/ready", ())]
    with pytest.raises(Malformed, match="nested"):
        parse_datagram(bundle(nested))
    assert len(parse_datagram(bundle(*[msg("/a")] * MAX_MESSAGES))) == MAX_MESSAGES
    with pytest.raises(Malformed, match="messages"):
        parse_datagram(bundle(*[msg("/a")] * (MAX_MESSAGES + 1)))
