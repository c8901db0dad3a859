"""``psc-looper demo``: replays a demo end to end, writes its output session and picture."""

from psc_looper.cli import main
from psc_looper.rig.demos import demo_names
from psc_looper.sessions.reader import read_session


def test_a_demo_replays_and_writes_its_output_and_piano_roll(tmp_path, capsys):
    name = demo_names()[0]
    assert main(["demo", name, "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert f"== demo {name} (seed 7); models:" in text
    assert "events in:" in text and "notes out:" in text
    output = read_session(tmp_path / f"{name}.mid")
    assert output.ours and {n.track for n in output.notes} >= {"click", "bass"}
    assert (tmp_path / f"{name}.png").read_bytes()[:4] == b"\x89PNG"


def test_list_and_unknown_demo(tmp_path, capsys):
    assert main(["demo", "--list"]) == 0
    assert capsys.readouterr().out.split() == demo_names()
    assert main(["demo", "no-such-demo", "--out", str(tmp_path)]) == 2
    assert "no demo no-such-demo" in capsys.readouterr().err
