"""``psc-looper train``: a tiny drum run that resumes, bundles, and evaluates."""

import pytest

from psc_looper import cli
from psc_looper.commands import train as train_command
from psc_looper.models import DrumsModel
from psc_looper.training import runs
from psc_looper.training.pieces import Event, Piece

pytestmark = pytest.mark.slow


def groove(index: int) -> Piece:
    """8 bars: kick on 1 and 3, snare on 2 and 4, a cymbal on 8ths (ride or hat)."""
    cymbal = 51 if index % 2 else 42
    events = []
    for q in range(32):
        events.append(Event(36 if q % 2 == 0 else 38, float(q), q + 0.25))
        events += [Event(cymbal, q + h, q + h + 0.25) for h in (0.0, 0.5)]
    return Piece(f"lib/file{index}:G", f"lib/file{index}", 4, 4, tuple(events))


def test_train_resumes_from_its_checkpoints_and_evaluates(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(train_command, "_pieces", lambda kind, limit: [groove(i) for i in range(6)])
    output = tmp_path / "drums.mag"
    argv = ["train", "drums", "--work-dir", str(tmp_path / "work"), "--output", str(output)]

    assert cli.main([*argv, "--steps", "2"]) == 0
    first = capsys.readouterr().out
    assert "step 2/2" in first
    checkpoints = tmp_path / "work" / "drums" / "checkpoints"
    assert runs.global_step(checkpoints) == 2

    assert cli.main([*argv, "--steps", "3", "--evaluate", "--primers", "1"]) == 0
    second = capsys.readouterr().out
    assert "step 3/3" in second and "step 1/" not in second and "step 2/" not in second
    assert runs.global_step(checkpoints) == 3
    assert "| drum_kit [64, 64] |" in second and "| Markov order 3 |" in second
    held_out = (tmp_path / "work" / "drums" / runs.HELD_OUT_LIST).read_text()
    assert held_out == output.with_suffix(".heldout.txt").read_text()
    assert len(held_out.split()) == 1
    model = DrumsModel.load(output)
    try:
        assert model.config_id == "drum_kit"
    finally:
        model.close()
