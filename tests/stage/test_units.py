"""The stage view's parts on their own: token, messages, pacing, the state and its cache."""

from __future__ import annotations

import argparse
import json

import pytest

from psc_looper.harmony.chart import parse_chart
from psc_looper.improv.feature import TurnView
from psc_looper.looper.notes import Mode
from psc_looper.rig import VirtualRig
from psc_looper.songs.live import Place
from psc_looper.stage.messages import ACTIONS, MAX_MESSAGE_CHARS, BadMessage, parse_message
from psc_looper.stage.options import add_arguments, listen, shown_url
from psc_looper.stage.pacing import MAX_PUSHES_PER_SECOND, Pacer
from psc_looper.stage.server import page
from psc_looper.stage.state import StateCache, stage_state
from psc_looper.stage.token import needs_token, new_token, token_ok


@pytest.mark.parametrize(("host", "needed"), [
    ("127.0.0.1", False), ("127.0.0.2", False), ("::1", False), ("localhost", False),
    ("0.0.0.0", True), ("::", True), ("192.168.1.20", True), ("stage.local", True)])
def test_a_token_is_needed_off_loopback_only(host, needed):
    assert needs_token(host) is needed


def test_the_token_must_match_exactly():
    token = new_token()
    assert len(token) >= 20 and token != new_token()
    assert token_ok(f"token={token}", token)
    assert token_ok(f"x=1&token={token}", token)
    for query in ("", "token=", f"token={token[:-1]}", f"token={token}x", f"tok={token}"):
        assert not token_ok(query, token), query
    assert token_ok("", None)  # no token: loopback


def test_a_message_names_one_key_action():
    assert parse_message('{"action": "record:bass"}') == "record:bass"
    assert {"toggle_play", "panic", "next_section", "next_song", "improv_hold:toggle",
            "mode:improv"} <= ACTIONS


@pytest.mark.parametrize(("message", "said"), [
    (b'{"action": "panic"}', "binary frame"),
    ("x" * (MAX_MESSAGE_CHARS + 1), "characters"),
    ("{not json", "not JSON"),
    ('["panic"]', "want"),
    ('{"action": "panic", "extra": 1}', "want"),
    ('{"action": 3}', "unknown action 3"),
    ('{"action": "rm -rf /"}', 'unknown action "rm -rf /"'),
    ('{"action": "record:bass\\n"}', "unknown action"),
    ("3", "want"), ("null", "want"), ('"panic"', "want"), ("[]", "want"), ("{}", "want"),
    ('{"action": null}', "unknown action null"),
    ('{"action": ["panic"]}', 'unknown action \\["panic"\\]'),
    ('{"action": {"action": "panic"}}', "unknown action"),
    ('{"action": NaN}', "unknown action NaN"),
    ('{"action": 1e999}', "unknown action Infinity"),
    ('{"action": "\\ud800"}', "unknown action"),  # a lone surrogate
    ('{"action": "panic", "value": 3}', "want"),  # no action takes a value
    ('{"action": "x", "action": "panic"}', "a key given twice"),
    ("[" * 90 + "]" * 90, "want"),  # nested deep, within the size limit
])
def test_anything_else_is_one_line_naming_what_was_wrong(message, said):
    with pytest.raises(BadMessage, match=said) as caught:
        parse_message(message)
    assert "\n" not in str(caught.value)


def test_the_pacer_lets_a_push_go_at_most_every_fiftieth_of_a_second():
    pacer = Pacer()
    assert pacer.wait(10.0) == 0.0  # the first at once
    pacer.sent(10.0)
    assert pacer.wait(10.01) == pytest.approx(0.04)
    assert pacer.wait(10.05) == 0.0
    pacer, pushes = Pacer(), 0
    for ms in range(1000):  # a caller that asks every millisecond for a second
        if pacer.wait(ms / 1000) == 0.0:
            pacer.sent(ms / 1000)
            pushes += 1
    assert pushes == MAX_PUSHES_PER_SECOND
    with pytest.raises(ValueError):
        Pacer(0)


def test_the_cache_builds_at_most_once_in_an_interval_however_many_ask():
    now = [0.0]
    built = []

    def build():
        built.append(now[0])
        return {"n": len(built)}

    cache = StateCache(build, clock=lambda: now[0])
    for _ in range(5):
        assert json.loads(cache.latest()) == {"n": 1}
    now[0] = 0.049
    assert json.loads(cache.latest()) == {"n": 1}
    now[0] = 0.05
    assert json.loads(cache.latest()) == {"n": 2}
    assert cache.builds == 2


def test_the_state_follows_the_loop_bar_by_bar():
    rig = VirtualRig()
    rig.looper.play()
    bars = []
    for bar in range(3):
        rig.advance_to_step(bar * 16 + 5)
        state = stage_state(rig.looper.snapshot())
        bars.append((state["bar"], state["beat"], state["playing"]))
    assert bars == [(0, 1, True), (1, 1, True), (0, 1, True)]  # a 2-bar loop
    assert state["chart"] is None and state["turn"] is None and state["song"] is None
    rig.backend.close()


def test_the_state_has_the_chart_with_the_bar_lit_the_turn_and_the_place():
    rig = VirtualRig()
    rig.looper.show_chart(parse_chart("Dm7 G7 | Cmaj7 | A7 | Dm7 G7"), origin=0)
    rig.looper.set_mode(Mode.BASS)
    rig.looper.play()
    rig.advance_to_step(16 * 2 + 1)  # the chart's 3rd bar
    place = Place("Blue Bossa", "A", "B", ("Blue Bossa", "Solar"), 0)
    state = stage_state(rig.looper.snapshot(), place, TurnView("machine", 3, "trade", False))
    assert state["chart"] == ["Dm7 G7", "Cmaj7", "A7", "Dm7 G7"]
    assert state["form_bar"] == 2 and state["chord"] == "A7" and state["next_chord"] == "Dm7"
    assert state["turn"] == {"who": "machine", "bars_left": 3, "mode": "trade", "held": False}
    assert state["song"] == {"name": "Blue Bossa", "section": "A", "next_section": "B",
                             "setlist": ["Blue Bossa", "Solar"], "index": 0}
    assert state["armed"].startswith("ARMED bass")
    json.dumps(state)  # all of it JSON
    rig.backend.close()


def test_the_page_is_one_document_with_its_style_and_script_and_nothing_remote():
    html = page().decode()
    assert "/*stage.css*/" not in html and "/*stage.js*/" not in html
    assert "new WebSocket" in html and "--lit" in html
    assert "http://" not in html and "https://" not in html and "src=" not in html
    actions = {part.split('"')[1] for part in html.split("data-action=")[1:]}
    assert actions <= ACTIONS and {"toggle_play", "panic", "next_song"} <= actions


def test_the_options_open_the_stage_only_when_asked_with_a_token_off_loopback():
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert listen(parser.parse_args([])) is None
    for argv, token in ((["--web", "--web-port", "0"], False),
                        (["--web-host", "0.0.0.0", "--web-port", "0"], True)):
        server = listen(parser.parse_args(argv))
        assert server is not None and (server.token is not None) is token
        assert (f"?token={server.token}" in shown_url(server)) is token
        server.stop()
    for bad in ("70000", "-1", "http"):
        with pytest.raises(SystemExit):
            parser.parse_args(["--web-port", bad])
