"""Ableton Link: the backend and a second peer on this machine, inside a network
namespace that holds only the loopback (no Link traffic leaves the machine).
Tempo, bar phase and start/stop follow both ways; bad tempos are clamped."""

from __future__ import annotations

import json
import sys

import pytest

from psc_looper.rig.linkcheck import isolated


@pytest.fixture(scope="module")
def measured() -> dict:
    done = isolated([sys.executable, "-m", "psc_looper.rig.linkcheck", "3"], timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_test_namespace_holds_only_the_loopback() -> None:
    done = isolated(["ip", "-o", "link"], timeout=10)
    assert [line.split(":")[1].strip() for line in done.stdout.splitlines()] == ["lo"]


def test_the_peers_find_each_other_and_a_peers_start_starts_the_loop_on_its_bar(
        measured: dict) -> None:
    assert measured["discovered_s"] is not None
    assert measured["started_by_peer_s"] is not None
    phase = measured["first_step_beat_phase"]
    assert min(phase, 4.0 - phase) < 0.001  # the loop's first step is a session bar start


def test_at_a_steady_tempo_the_loop_is_on_the_sessions_beat(measured: dict) -> None:
    steady = measured["steady"]
    assert steady["n"] >= 5 and steady["max"] < 1.0  # ms (samples: about 3 a second)


def test_tempo_follows_both_ways(measured: dict) -> None:
    assert measured["peer_tempo_followed_s"] is not None  # the peer's 100 bpm, here
    assert measured["local_tempo_at_peer_s"] is not None  # the knob's 140 qpm, there
    assert measured["after_local_change"]["max"] < 5.0  # the session bends where the loop did


def test_start_and_stop_are_shared_both_ways(measured: dict) -> None:
    assert measured["stop_at_peer_s"] is not None
    assert measured["start_at_peer_s"] is not None
    assert measured["stopped_by_peer_s"] is not None
    assert measured["session_plays_after_quit"]  # quitting is not a stop for the others


def test_a_peer_asking_for_0_or_10000_bpm_is_clamped_with_one_line(measured: dict) -> None:
    assert measured["qpm_after_0"] == 40.0 and measured["playing_after_0"]
    assert measured["qpm_after_10000"] == 300.0 and measured["playing_after_10000"]
    # Link itself keeps tempos in 20..999 bpm
    assert measured["range_lines"] == ["link: a peer asks for 20 bpm, clamped to 40",
                                       "link: a peer asks for 999 bpm, clamped to 300"]
    assert measured["status"].startswith("link: 1 peers at 120.0 bpm")
