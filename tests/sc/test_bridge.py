"""The real bridge: MIDI forwarding, timing, voices, panic, restarts (jackd + scsynth + sclang)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest
from pythonosc.osc_message_builder import build_msg

from psc_looper.osc.capture import UdpCapture
from psc_looper.osc.protocol import CC_EVENT, NOTE_OFF, NOTE_ON, READY, Instrument
from psc_looper.sc.onsets import levels, peak_between
from psc_looper.sc.testing import LiveBridge

pytestmark = pytest.mark.e2e


def wait_until(check, timeout: float = 3.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return bool(check())


def test_bridge_plays_every_instrument_of_the_protocol(bridge: LiveBridge) -> None:
    status = bridge.status()
    assert status["port"] == bridge.process.port
    assert {i.value for i in Instrument} <= set(status)


def test_simulated_keyboard_and_controller_reach_the_backend(
        bridge: LiveBridge, peer: UdpCapture) -> None:
    since = time.time()
    bridge.sim_note_on(61, 90, channel=3, source="keyboard")
    bridge.sim_note_off(61, 0, channel=3, source="keyboard")
    bridge.sim_cc(41, 127, channel=0, source="nanoKONTROL2")
    bridge.sim_note_on(40, 64, source=77)  # a device whose name is unknown: its uid
    assert peer.first(NOTE_ON, since=since).args == (61, 90, 3, "keyboard")
    assert peer.first(NOTE_OFF, since=since).args == (61, 0, 3, "keyboard")
    assert peer.first(CC_EVENT, since=since).args == (41, 127, 0, "nanoKONTROL2")
    assert peer.first(NOTE_ON, since=since, where=lambda r: r.args[0] == 40).args == (
        40, 64, 0, 77)


def test_bridge_announces_itself_to_the_backend(bridge: LiveBridge, peer: UdpCapture) -> None:
    assert peer.first(READY, timeout=3).args == (bridge.process.port,)
    assert bridge.announce() == bridge.process.port


def test_time_tagged_clicks_sound_at_their_tags(quiet: LiveBridge, tmp_path: Path) -> None:
    wav = tmp_path / "clicks.wav"
    start = quiet.record_from(wav)
    quiet.play(Instrument.CLICK_START, at=start + 0.4)
    quiet.send_bundle([("/playclick2", (60, 100))], at=start + 0.65)
    time.sleep(start + 1.0 - time.time())
    quiet.stop_recording()
    onsets = quiet.onsets(wav)
    assert len(onsets) == 2, onsets
    # Both were sent ~0.4 s ahead: ignoring the tags would merge them before the
    # recording. On a quiet machine they land within 1.3 ms (the recorder starts on
    # the control block holding its tag) and 0.25 s apart to the sample
    # (python -m psc_looper.sc.measure); when other processes starve the
    # non-realtime JACK dummy driver, the sample clock lags the wall clock by a
    # few percent, hence the slack.
    assert abs(onsets[0] - 0.4) <= 0.02
    assert abs((onsets[1] - onsets[0]) - 0.25) <= 0.02


def test_timed_click_is_heard_after_its_tag_not_on_arrival(quiet: LiveBridge) -> None:
    quiet.monitor()
    tag = time.time() + 0.3
    quiet.play(Instrument.CLICK_BAR, at=tag)
    heard = quiet.first("/bridge/onset", since=tag - 0.3, timeout=3)
    # scsynth renders ahead by JACK's output latency (2 x 256 frames, 10.7 ms) plus
    # up to one period, so the report may precede the tag a little; on arrival
    # (ignoring the tag) it would come ~300 ms early.
    assert tag - 0.03 <= heard.wall <= tag + 0.1


def test_stop_releases_a_held_key(quiet: LiveBridge) -> None:
    quiet.play(Instrument.KEYS, 60, 110)
    quiet.play(Instrument.KEYS, 60, 90)  # two voices on one note are allowed
    quiet.wait_level(above=0.01)
    assert quiet.status()[Instrument.KEYS.value] == 2
    quiet.stop(Instrument.KEYS, 60)
    assert quiet.status()[Instrument.KEYS.value] == 1
    time.sleep(0.6)  # past the first voice's release
    assert quiet.level() > 0.005  # the other one still sounds
    quiet.stop(Instrument.KEYS, 60)
    quiet.wait_level(below=0.001, timeout=2)
    assert wait_until(lambda: quiet.status()["voices"] == 0)


def test_panic_silences_everything_including_scheduled_events(quiet: LiveBridge) -> None:
    quiet.monitor()
    since = time.time()
    for instrument, note in ((Instrument.KEYS, 64), (Instrument.BASS, 40),
                             (Instrument.CHORDS, 67)):
        quiet.play(instrument, note, 100)
    quiet.play(Instrument.CLICK_START, at=since + 0.6)
    quiet.wait_level(above=0.01)
    assert quiet.status()["voices"] >= 3
    quiet.panic()
    panicked = time.time()
    quiet.wait_level(below=0.001, timeout=1)
    assert quiet.status()["voices"] == 0
    time.sleep(max(0.0, since + 0.9 - time.time()))
    assert quiet.level() < 0.001
    assert not quiet.matching("/bridge/onset", since=panicked)  # the click was dropped


def test_one_shots_free_themselves_and_do_not_pile_up(quiet: LiveBridge) -> None:
    for _ in range(12):
        quiet.play(Instrument.KICK, 36, 100)
    assert quiet.status()[Instrument.KICK.value] <= 4
    assert wait_until(lambda: quiet.status()[Instrument.KICK.value] == 0, timeout=3)


def test_recording_holds_the_sound(quiet: LiveBridge, tmp_path: Path) -> None:
    wav = tmp_path / "bass.wav"
    start = quiet.record_from(wav)
    quiet.play(Instrument.BASS, 45, 110, at=start + 0.2)
    quiet.stop(Instrument.BASS, 45, at=start + 0.5)
    time.sleep(start + 1.0 - time.time())
    assert quiet.stop_recording() == str(wav)
    assert peak_between(wav, 0.0, 0.19) < 0.001
    assert peak_between(wav, 0.25, 0.45) > 0.05
    assert peak_between(wav, 0.9, 1.0) < 0.001  # released


def test_bad_arguments_are_reported_and_the_bridge_goes_on(bridge: LiveBridge) -> None:
    bridge.send("/playwurly", "not a note")
    bridge.send("/bridge/record")  # missing path
    assert bridge.ping() < 1.0
    log = bridge.process.log_path
    assert wait_until(lambda: "ERROR in /playwurly" in log.read_text(errors="replace"))
    assert "ERROR in /bridge/record" in log.read_text(errors="replace")
    assert bridge.status()["recording"] == 0


def test_bridge_keeps_working_when_the_backend_restarts(bridge: LiveBridge) -> None:
    first = UdpCapture(port=bridge.backend_port)
    first.first(READY, timeout=3)
    first.close()
    bridge.sim_note_on(50, 80)  # nobody listens: must not disturb the bridge
    time.sleep(0.3)
    second = UdpCapture(port=bridge.backend_port)
    try:
        restarted = time.time()
        assert second.first(READY, since=restarted, timeout=3).args == (bridge.process.port,)
        bridge.sim_note_on(52, 81)
        assert second.first(NOTE_ON, since=restarted).args[:2] == (52, 81)
    finally:
        second.close()


def test_every_ping_is_answered_with_its_own_arguments(bridge: LiveBridge) -> None:
    # How fast: bench/bench_bridge.py (the round trip against a plain UDP echo).
    for token in range(20):
        since = time.time()
        bridge.send("/bridge/ping", token, "x")
        assert bridge.first("/bridge/pong", since=since, timeout=2).args == (token, "x")


def test_a_panic_while_playing_keeps_the_scheduled_loop_events(quiet: LiveBridge) -> None:
    quiet.monitor()
    since = time.time()
    quiet.play(Instrument.KEYS, 64, 100)  # a key sounding now
    quiet.play(Instrument.BASS, 40, 100, at=since + 0.6)  # loop events sent ahead
    quiet.play(Instrument.CLICK_START, at=since + 0.6)
    quiet.wait_level(above=0.01)
    quiet.send("/panic", 1)
    assert wait_until(lambda: quiet.status()[Instrument.KEYS.value] == 0)
    assert quiet.status()[Instrument.BASS.value] == 1  # kept for its own /stop
    onset = quiet.first("/bridge/onset", since=since + 0.5, timeout=2)
    assert onset.wall == pytest.approx(since + 0.6, abs=0.15)
    quiet.stop(Instrument.BASS, 40)
    assert wait_until(lambda: quiet.status()["voices"] == 0)


def test_midi_out_stop_cancels_what_the_bridge_scheduled(quiet: LiveBridge) -> None:
    quiet.request("/sim/midiout", 1, reply="/sim/midiout")
    try:
        def notes_on(since: float, note: int) -> list:  # type: ignore[type-arg]
            return quiet.matching("/sim/midi", since=since,
                                  where=lambda r: r.args[0] == "on" and r.args[2] == note)

        since = time.time()
        quiet.play(Instrument.KEYS, 60, 90)
        quiet.play(Instrument.BASS, 40, 100, at=since + 0.4)  # scheduled, then a stop
        assert quiet.first("/sim/midi", since=since).args == ("on", 0, 60, 90)
        quiet.panic()
        assert len(quiet.wait_for("/sim/midi", 16, since=since,
                                  where=lambda r: r.args[0] == "alloff")) == 16
        time.sleep(max(0.0, since + 0.7 - time.time()))
        assert notes_on(since, 40) == []  # cancelled: it never reaches the device

        since = time.time()
        quiet.play(Instrument.BASS, 41, 100, at=since + 0.4)
        quiet.send("/panic", 1)  # a panic while playing keeps the loop's scheduled notes
        kept = quiet.wait_for("/sim/midi", since=since, timeout=2,
                              where=lambda r: r.args[0] == "on" and r.args[2] == 41)
        assert len(kept) == 1 and kept[0].wall >= since + 0.35
        quiet.stop(Instrument.BASS, 41)
    finally:
        quiet.request("/sim/midiout", 0, reply="/sim/midiout")
    assert quiet.status()["midi_out"] == 0


def test_the_backend_admits_the_real_bridges_ready_and_nothing_else(bridge: LiveBridge) -> None:
    from psc_looper.app import Backend, BackendConfig

    backend = Backend(BackendConfig(listen_port=bridge.backend_port,
                                    bridge_port=bridge.process.port))
    backend.start()
    try:
        assert wait_until(lambda: backend.peer.describe().startswith("ok"), timeout=3)
        bridge.announce()  # asked by another socket: its /ready still comes from the bridge
        assert "not-bridge" not in backend.dispatcher.malformed_counts()
    finally:
        backend.close()


def test_recording_is_confined_to_the_recordings_folder(quiet: LiveBridge) -> None:
    outside = Path("/root") if Path("/root").is_dir() else Path.home()
    for path in (outside / "psc-evil.wav", Path(tempfile.gettempdir()) / ".." / "evil.wav",
                 Path(tempfile.gettempdir()) / "not-a-wav.txt"):
        since = time.time()
        quiet.send("/bridge/record", str(path))
        with pytest.raises(TimeoutError):
            quiet.first("/bridge/recording", since=since, timeout=0.5)
        assert not path.exists()
    assert quiet.status()["recording"] == 0


def test_commands_from_outside_loopback_are_dropped(bridge: LiveBridge) -> None:
    stranger = UdpCapture(host="127.0.0.2")  # another address: the bridge must not obey it
    try:
        stranger.send_datagram(build_msg("/bridge/ping", [7]).dgram, ("127.0.0.1", bridge.port))
        stranger.send_datagram(build_msg("/bridge/quit", []).dgram, ("127.0.0.1", bridge.port))
        time.sleep(0.5)
        assert stranger.received == []
        assert bridge.ping() < 1.0  # still running, still answering loopback
    finally:
        stranger.close()


def test_the_master_keeps_a_loud_pile_under_minus_one_dbfs(quiet: LiveBridge,
                                                           tmp_path: Path) -> None:
    """Every voice at full velocity at once: without the master stage this sums far
    over full scale; with it the peak stays at or under -1 dBFS and nothing clips."""
    wav = tmp_path / "loud.wav"
    start = quiet.record_from(wav)
    at = start + 0.2
    for pitch in range(36, 48):
        quiet.play(Instrument.BASS, pitch, 127, at=at)
        quiet.play(Instrument.CHORDS, pitch + 24, 127, at=at)
        quiet.play(Instrument.KEYS, pitch + 36, 127, at=at)
    for drum in (Instrument.KICK, Instrument.SNARE, Instrument.CRASH, Instrument.RIDE):
        quiet.play(drum, 36, 127, at=at)
    time.sleep(at + 0.8 - time.time())
    quiet.panic()
    quiet.stop_recording()
    level = levels(wav)
    assert level.clipped == 0 and -6.0 < level.peak_dbfs <= -1.0, level
