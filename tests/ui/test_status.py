import io
import logging

from psc_looper.app import BackendConfig
from psc_looper.harmony.chart import parse_chart
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
    assert "PLAYING" in text and "mode BASS" in text and "ARMED bass" in text
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


def run(rig, action, argument=None):
    rig.backend.actions.run(action, argument, 127)


def test_an_armed_take_says_what_it_waits_for_and_the_count_in_counts_down():
    rig = VirtualRig()
    run(rig, "count_in")
    run(rig, "record", "bass")
    text = render(rig.looper.snapshot())
    assert "ARMED bass: press play, a bar of count-in, then the first note starts" in text
    run(rig, "play")
    rig.advance_to_step(-16)
    assert "count-in 4" in render(rig.looper.snapshot())
    rig.advance_to_step(-3)
    text = render(rig.looper.snapshot())
    assert "count-in 1" in text and "step -" not in text
    assert "ARMED bass: after the count-in" in text
    rig.advance_to_step(2)
    assert "ARMED bass: waits for the first note" in render(rig.looper.snapshot())
    rig.note_on(40)
    rig.advance_to_step(3)
    rig.note_off(40)
    rig.note_on(43)
    text = render(rig.looper.snapshot())
    assert "RECORDING bass: 2 notes so far" in text
    assert "bass:100% 0 notes 0 layers (take 2)" in text


def test_recent_messages_are_newest_first_and_wrap_between_words():
    rig = VirtualRig()
    for k in range(6):
        rig.looper.warn(f"message number {k} " + "word " * 30)
    run(rig, "panic")
    lines = render(rig.looper.snapshot(), width=60).splitlines()
    recent = lines[next(i for i, line in enumerate(lines) if line.startswith("recent: ")):]
    assert recent[0] == "recent: panic: all notes off"
    assert recent[1].split()[:3] == ["message", "number", "5"]
    words = " ".join(recent).split()  # every word whole, the newest four messages only
    assert words.count("word") == 90 and words.count("number") == 3 and "2" not in words
    assert all(len(line) <= 60 for line in lines)


def test_counts_say_what_the_next_loop_start_brings():
    rig = VirtualRig()
    run(rig, "record", "bass")
    run(rig, "play")
    for step in (0, 4, 8):
        rig.advance_to_step(step)
        rig.note_on(40 + step)
        rig.advance_to_step(step + 2)
        rig.note_off(40 + step)
    rig.advance_to_step(33)
    assert "bass:100% 3 notes 1 layer" in render(rig.looper.snapshot())
    run(rig, "undo")  # playing: at the next loop start
    assert "bass:100% 3 notes 0 layers +1 redo -> 0 next loop" in render(rig.looper.snapshot())
    rig.advance_to_step(65)
    assert "bass:100% 0 notes 0 layers +1 redo" in render(rig.looper.snapshot())


def test_a_take_begun_mid_loop_says_where_and_how_many_notes_fell_after_it():
    rig = VirtualRig()
    run(rig, "record", "bass")
    run(rig, "play")
    for step in (20, 24, 28, 32, 36):  # the take starts at bar 2 beat 2, ends at step 32
        rig.advance_to_step(step)
        rig.note_on(40)
        rig.advance_to_step(step + 2)
        rig.note_off(40)
    rig.advance_to_step(50)
    warnings = rig.looper.snapshot().warnings
    assert "recording bass from bar 2 beat 2 until the end of the loop" in warnings
    assert "recorded bass: 3 notes (from bar 2 beat 2)" in warnings
    assert "bass take: 1 note after its end not recorded (a take ends with the loop)" in warnings


def test_outside_improv_mode_the_improv_line_says_the_keys_play_through():
    rig = VirtualRig()
    rig.looper.add_status("improv", lambda: "machine | leading")
    run(rig, "mode", "improv")
    assert "improv: machine | leading" in render(rig.looper.snapshot())
    run(rig, "mode", "free")
    text = render(rig.looper.snapshot())
    assert "improv: off in mode FREE: keys play through" in text and "leading" not in text


def test_a_chart_is_shown_from_the_bar_playing_on():
    rig = VirtualRig()
    rig.looper.show_chart(parse_chart("Gmaj7 | Am7 D7 | Bm7 | E7"), 0)
    run(rig, "play")
    rig.advance_to_step(20)
    assert "form 2/4: [Am7 D7] | Bm7 | E7 | Gmaj7" in render(rig.looper.snapshot())
    assert "form 2/4: [Am7 D7] | Bm7\n" in render(rig.looper.snapshot(), width=28)


def test_drum_changes_are_messages():
    rig = VirtualRig()
    run(rig, "build_beat")
    run(rig, "drums_clear")
    warnings = rig.looper.snapshot().warnings
    assert warnings[-2].startswith("drums: a beat of ") and "next loop start" in warnings[-2]
    assert warnings[-1].startswith("drums: silent from the next loop start")


def test_a_take_begun_off_the_beat_says_by_how_many_16ths():
    rig = VirtualRig()
    run(rig, "record", "chords")
    run(rig, "play")
    rig.advance_to_step(22)
    rig.note_on(60)
    assert rig.looper.snapshot().warnings[-1] == (
        "recording chords from bar 2 beat 2 +2 16ths until the end of the loop")
