import logging

from pythonosc.osc_bundle_builder import OscBundleBuilder
from pythonosc.osc_message_builder import build_msg

from psc_looper.osc.dispatcher import Dispatcher


def _dgram(address, *args):
    return build_msg(address, list(args)).dgram


def make():
    calls = []
    handlers = {
        "/processnoteon": lambda *a: calls.append(("on", a)),
        "/ccevent": lambda *a: calls.append(("cc", a)),
    }
    return Dispatcher(handlers), calls


def test_valid_messages_reach_their_handler_with_optional_args():
    d, calls = make()
    assert d.dispatch(_dgram("/processnoteon", 60, 100)) == 1
    assert d.dispatch(_dgram("/ccevent", 16, 64, 0, "nanoKONTROL2")) == 1
    assert calls == [("on", (60, 100)), ("cc", (16, 64, 0, "nanoKONTROL2"))]
    assert d.malformed_counts() == {}


def test_bundles_dispatch_every_message():
    d, calls = make()
    bundle = OscBundleBuilder(0)
    bundle.add_content(build_msg("/processnoteon", [60, 90]))
    bundle.add_content(build_msg("/processnoteon", [64, 90]))
    assert d.dispatch(bundle.build().dgram) == 2
    assert [c[1][0] for c in calls] == [60, 64]


def test_each_kind_of_malformed_input_is_counted_and_changes_nothing(caplog):
    d, calls = make()
    bad = [
        b"\x00\x01garbage",
        b"",
        _dgram("/nosuchaddress", 1),
        _dgram("/processnoteon", 60),
        _dgram("/processnoteon", 60, 100, 0, "kb", 9),
        _dgram("/processnoteon", "sixty", 100),
        _dgram("/processnoteon", 60.0, 100),
        _dgram("/processnoteon", 128, 100),
        _dgram("/processnoteon", 60, -1),
        _dgram("/ccevent", 16, 64, 16),
    ]
    with caplog.at_level(logging.WARNING):
        for dgram in bad:
            assert d.dispatch(dgram) == 0
    assert calls == []
    assert d.malformed_counts() == {
        "garbage": 2, "unknown-address": 1, "arity": 2, "type": 2, "range": 3,
    }


def test_malformed_input_is_logged_once_per_kind_and_address(caplog):
    d, _ = make()
    with caplog.at_level(logging.WARNING):
        for _ in range(50):
            d.dispatch(_dgram("/processnoteon", 300, 1))
    assert len(caplog.records) == 1
    assert d.malformed_counts() == {"range": 50}


def test_a_failing_handler_is_counted_and_does_not_propagate():
    def boom(*_):
        raise RuntimeError("bug")

    d = Dispatcher({"/processnoteon": boom})
    assert d.dispatch(_dgram("/processnoteon", 60, 100)) == 0
    assert d.malformed_counts() == {"handler-error": 1}


def test_handlers_outside_the_protocol_are_refused():
    import pytest

    with pytest.raises(ValueError, match="/typo"):
        Dispatcher({"/typo": print})
