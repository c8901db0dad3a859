"""The action catalogue, ``psc-looper maps`` and MIDI-learn."""

import subprocess
import sys
import threading
import time

import pytest
from pythonosc.udp_client import SimpleUDPClient

from psc_looper.cli import main
from psc_looper.control.catalogue import ACTIONS, check_action
from psc_looper.control.learn import Learner
from psc_looper.control.mapping import load_map
from psc_looper.osc.events import ControlChange
from psc_looper.rig import VirtualRig
from psc_looper.ui.keys import KEYS
from tests.ui.terminal import environment, free_port

SHIPPED = ["nanokontrol2.toml", "keyboard.toml"]


def test_every_registered_and_mapped_action_is_described():
    rig = VirtualRig()
    assert rig.backend.actions.names() <= set(ACTIONS)
    for name in SHIPPED:
        controller = load_map(f"psc_looper/controllers/{name}")
        for binding in controller.bindings.values():
            check_action(binding.action + (f":{binding.argument}" if binding.argument else ""))
    for key in KEYS:
        check_action(key.action)


@pytest.mark.parametrize(("spec", "problem"), [
    ("louder", "unknown action 'louder'"), ("record:drums", "record takes bass, chords"),
    ("play:now", "play takes no argument"), ("bars:twelve", "bars takes a number"),
    ("swing:", "swing takes a number"), ("quantize:bass:8th", "quantize takes bass, bass:grid")])
def test_check_action_says_what_is_wrong(spec, problem):
    with pytest.raises(ValueError, match=problem):
        check_action(spec)


@pytest.mark.parametrize("spec", ["bars:12", "bars:32", "swing:0.667", "quantize:chords:triplet",
                                  "free_record:bass:tempo"])
def test_number_and_grid_arguments_are_actions(spec):
    assert check_action(spec) == spec


def test_maps_prints_what_each_control_does(capsys):
    assert main(["maps"]) == 0
    out = capsys.readouterr().out
    assert "  CC  38 button      undo" in out and "cancels a take in progress" in out
    assert "  CC  81 button      next_section" in out
    assert "  SPACE  toggle_play" in out and "  m      mute:click" in out
    assert "  ?      help" in out and "  h      improv_hold:toggle" in out


def test_learned_controls_become_a_map_that_loads(tmp_path):
    learner = Learner("Pad")
    for value in (127, 0):
        learner.cc(ControlChange(45, value, 2, "nanoPAD2"))
    learner.assign(learner._seen[45], "next_section")
    for value in (3, 40, 90):
        learner.cc(ControlChange(7, value, 2, "nanoPAD2"))
    learner.assign(learner._seen[7], "volume:bass")
    with pytest.raises(ValueError, match="unknown action"):
        learner.assign(learner._seen[7], "volume_bass")
    path = tmp_path / "pad.toml"
    path.write_text(learner.to_toml())
    pad = load_map(path)
    assert (pad.name, pad.source, pad.channel) == ("Pad", "nanoPAD2", 2)
    assert pad.lookup(45, 127).action == "next_section" and not pad.bindings[45].continuous
    assert pad.bindings[7].continuous and pad.lookup(7, 10).argument == "bass"


def test_the_learn_command_listens_asks_and_writes(tmp_path):
    port, out = free_port(), tmp_path / "learned.toml"
    proc = subprocess.Popen([sys.executable, "-m", "psc_looper", "maps", "--learn", str(out),
                             "--no-sc", "--listen-port", str(port), "--name", "Foot"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env=environment())
    try:
        assert "MIDI-learn on port" in proc.stdout.readline()
        client = SimpleUDPClient("127.0.0.1", port)
        time.sleep(0.3)
        client.send_message("/ccevent", [85, 127, 0, "FS-7"])
        client.send_message("/ccevent", [85, 0, 0, "FS-7"])
        proc.stdin.write("next_song\ndone\n")
        proc.stdin.flush()
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
    footswitch = load_map(out)
    assert footswitch.source == "FS-7" and footswitch.lookup(85, 127).action == "next_song"



def _learn(tmp_path, answers: list[str], moves=((85, 127), (85, 0))):
    """``maps --learn``: move the controls, answer each prompt (waiting at most 10 s for
    it); returns (exit code, output, the map's path)."""
    port, out = free_port(), tmp_path / "learned.toml"
    proc = subprocess.Popen([sys.executable, "-m", "psc_looper", "maps", "--learn", str(out),
                             "--no-sc", "--listen-port", str(port)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=environment())
    chars: list[str] = []
    threading.Thread(target=lambda: chars.extend(iter(lambda: proc.stdout.read(1), "")),
                     daemon=True).start()

    def prompts() -> int:
        return "".join(chars).count("action? ")
    try:
        while "MIDI-learn on port" not in "".join(chars):
            time.sleep(0.05)
        client = SimpleUDPClient("127.0.0.1", port)
        time.sleep(0.3)
        for cc, value in moves:
            client.send_message("/ccevent", [cc, value, 0, "FS-7"])
        for asked, answer in enumerate(answers, 1):
            deadline = time.monotonic() + 10
            while answer != "done" and prompts() < asked and time.monotonic() < deadline:
                time.sleep(0.05)
            proc.stdin.write(answer + "\n")
            proc.stdin.flush()
        proc.stdin.close()
        code = proc.wait(timeout=30)
        time.sleep(0.1)
        return code, "".join(chars), out
    finally:
        proc.kill()


def test_learn_asks_again_after_a_wrong_name_and_confirms(tmp_path):
    code, text, out = _learn(tmp_path, ["explode", "tempo", "next_song", "done"])
    assert code == 0, text
    assert "unknown action 'explode'" in text and "try again" in text
    assert "tempo needs a knob, slider or pedal, not a button" in text
    assert "CC 85 -> next_song: set list: next song (next loop start)" in text
    assert load_map(out).lookup(85, 127).action == "next_song"


def test_learn_with_nothing_bound_writes_nothing(tmp_path):
    code, text, out = _learn(tmp_path, ["", "done"])
    assert code == 1 and "nothing learned" in text and "use it with" not in text
    assert not out.exists()
