import io
import logging

from psc_looper.app import BackendConfig
from psc_looper.rig import VirtualRig
from psc_looper.ui.status import StatusView, render


def test_render_shows_mode_tempo_meter_position_mix_and_warnings():
    rig = VirtualRig()
    rig.press(41)  # play
    rig.cc(1, 64)  # bass volume
    rig.press(48)  # mute click
    rig.press(65)  # bass mode
    for _ in range(2):
        rig.press(43)  # bars - : 2 -> 1, then refused
    rig.advance_to_step(21)
    rig.send("/nosuch", 1)
    text = render(rig.looper.snapshot(), rig.backend.dispatcher.malformed_counts())
    assert "PLAYING" in text and "mode BASS" in text
    assert "120.0 qpm" in text and "4/4" in text and "bars 2" in text
    assert "bar 2/2 beat 2 (step 22/32)" in text and "-> 4/4 x1" in text
    assert "bass:50%" in text and "click:MUTE" in text
    assert "unknown-address 1" in text
    assert "recent: bars must be 1..64, not 0" in text


def test_pending_structure_is_shown():
    rig = VirtualRig()
    rig.press(41)
    rig.press(59)  # numerator + at the next loop start
    assert "-> 5/4 x2" in render(rig.looper.snapshot())


def test_terminal_mode_redraws_and_log_mode_logs_only_changes(caplog):
    rig = VirtualRig()
    stream = io.StringIO()
    StatusView(rig.looper, stream=stream, tty=True).refresh()
    assert stream.getvalue().startswith("\x1b[H") and "stopped" in stream.getvalue()
    view = StatusView(rig.looper, tty=False)
    with caplog.at_level(logging.INFO, logger="psc_looper.ui.status"):
        view.refresh()
        view.refresh()
        rig.press(41)
        view.refresh()
    assert len(caplog.records) == 2


def test_feature_status_lines_appear():
    rig = VirtualRig()
    rig.looper.add_status("drums", lambda: "groove 2, generating")
    assert "drums: groove 2, generating" in render(rig.looper.snapshot())


def test_render_shows_the_swing_and_what_the_next_loop_start_brings():
    rig = VirtualRig(BackendConfig(swing=0.6))
    rig.press(41)
    rig.backend.actions.run("swing", "0.667", 127)
    assert "4/4 swing 0.6 -> swing 0.667   bars 2" in render(rig.looper.snapshot())
