"""Golden replays: every demo, replayed on the virtual clock with the demo seed, plays
exactly the stored notes. After an intended change: python -m tests.sessions.update_goldens
"""

import pytest

from psc_looper.rig.demos import demo_golden, demo_names, run_demo
from psc_looper.sessions.audit import unmatched_notes
from tests.sessions.update_goldens import GOLDEN_DIR

UPDATE = "if the change is intended: .venv/bin/python -m tests.sessions.update_goldens"


def test_every_demo_has_a_golden_and_no_golden_is_stale():
    assert len(demo_names()) >= 4
    assert sorted(p.stem for p in GOLDEN_DIR.glob("*.txt")) == demo_names(), UPDATE


@pytest.mark.parametrize("name", demo_names())
def test_demo_replay_matches_its_golden_and_ends_every_note(name, tmp_path):
    expected = (GOLDEN_DIR / f"{name}.txt").read_text()
    run = run_demo(name, tmp_path)
    assert not unmatched_notes(tmp_path / f"{name}.mid")  # every note-on has its note-off
    actual = demo_golden(run)
    assert actual.splitlines()[:2] == expected.splitlines()[:2], UPDATE  # seed, models
    assert actual == expected, UPDATE
