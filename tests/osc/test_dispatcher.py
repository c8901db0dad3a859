import logging

from pythonosc.osc_bundle_builder import OscBundleBuilder
from pythonosc.osc_message_builder import build_msg

from psc_looper.osc.dispatcher import Dispatcher
from psc_looper.osc.events import BridgeReady, ControlChange, NoteOff, NoteOn, wire
from psc_looper.osc.protocol import INBOUND
from psc_looper.osc.strict import Message


def _dgram(address, *args):
    return build_msg(address, list(args)).dgram


def make():
    calls = []
    return Dispatcher(calls.append), calls


def test_valid_messages_become_typed_events_with_optional_args():
    d, calls = make()
    assert d.dispatch(_dgram("/processnoteon", 60, 100)) == 1
    assert d.dispatch(_dgram("/ccevent", 16, 64, 0, "nanoKONTROL2")) == 1
    assert d.dispatch(_dgram("/processnoteoff", 60, 0, 3, 7)) == 1
    assert d.dispatch(_dgram("/ready")) == 1
    assert calls == [NoteOn(60, 100), ControlChange(16, 64, 0, "nanoKONTROL2"),
                     NoteOff(60, 0, 3, "7"), BridgeReady(57120)]
    assert d.malformed_counts() == {}


def test_a_note_on_with_velocity_zero_is_a_release_that_keeps_its_wire_form():
    d, calls = make()
    d.dispatch(_dgram("/processnoteon", 60, 0, 1, "Piano"))
    (event,) = calls
    assert event == NoteOff(60, 0, 1, "Piano")
    assert wire(event) == Message("/processnoteon", (60, 0, 1, "Piano"))  # as it arrived


def test_every_inbound_address_has_an_event():
    d, calls = make()
    for address, spec in INBOUND.items():
        args = [arg.low if arg.low is not None else "x" for arg in spec.required]
        assert d.handle(address, args), address
    assert len(calls) == len(INBOUND)


def test_watchers_see_each_event_before_the_route():
    order = []
    d = Dispatcher(lambda e: order.append(("route", e.note)))
    d.watch(lambda e: order.append(("watch", e.note)))
    d.dispatch(_dgram("/processnoteon", 61, 90))
    assert order == [("watch", 61), ("route", 61)]


def test_bundles_dispatch_every_message():
    d, calls = make()
    bundle = OscBundleBuilder(0)
    bundle.add_content(build_msg("/processnoteon", [60, 90]))
    bundle.add_content(build_msg("/processnoteon", [64, 90]))
    assert d.dispatch(bundle.build().dgram) == 2
    assert [c.note for c in calls] == [60, 64]


def test_each_kind_of_malformed_input_is_counted_and_changes_nothing(caplog):
    d, calls = make()
    bad = [
        b"\x00\x01garbage",
        b"",
        _dgram("/nosuchaddress", 1),
        _dgram("/processnoteon", 60),
        _dgram("/processnoteon", 60, 100, 0, "kb", "wurly", 90, 9),
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


def test_a_failing_listener_is_counted_and_does_not_stop_the_others():
    def boom(_event):
        raise RuntimeError("bug")

    calls = []
    d = Dispatcher(calls.append)
    d.watch(boom)
    assert d.dispatch(_dgram("/processnoteon", 60, 100)) == 0
    assert d.malformed_counts() == {"handler-error": 1}
    assert calls == [NoteOn(60, 100)]  # the route still acted on it


def test_a_forged_or_garbled_keys_thru_note_on_is_refused_with_one_line(caplog):
    d, calls = make()
    bad = {
        "range": [_dgram("/processnoteon", 60, 100, 0, "kb", "kick", 100),  # never thru
                  _dgram("/processnoteon", 60, 100, 0, "kb", "organ", 100),
                  _dgram("/processnoteon", 60, 100, 0, "kb", "wurly", 0),
                  _dgram("/processnoteon", 60, 100, 0, "kb", "wurly", 300)],
        "arity": [_dgram("/processnoteon", 60, 100, 0, "kb", "wurly")],  # no velocity
        "type": [_dgram("/processnoteon", 60, 100, 0, "kb", 7, 100),
                 _dgram("/processnoteon", 60, 100, 0, "kb", "wurly", 90.5)],
    }
    with caplog.at_level(logging.WARNING):
        for dgrams in bad.values():
            for dgram in dgrams:
                assert d.dispatch(dgram) == 0
    assert calls == []
    assert d.malformed_counts() == {kind: len(dgrams) for kind, dgrams in bad.items()}
    assert all("\n" not in r.getMessage() for r in caplog.records)
    assert "played=" in caplog.records[0].getMessage()
    assert d.dispatch(_dgram("/processnoteon", 60, 100, 0, "kb", "bass", 90)) == 1
    assert calls[0].played == ("bass", 90)
