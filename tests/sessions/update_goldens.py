"""Regenerate the demo goldens after an intended change (new features, new models):

    .venv/bin/python -m tests.sessions.update_goldens

Replays every demo exactly as ``test_goldens`` does and rewrites
``tests/sessions/golden/<demo>.txt``; review the diff before committing it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from psc_looper.rig.demos import demo_golden, demo_names, run_demo

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


def golden_of(name: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        return demo_golden(run_demo(name, Path(folder)))


def main() -> None:
    GOLDEN_DIR.mkdir(exist_ok=True)
    for stale in set(GOLDEN_DIR.glob("*.txt")) - {GOLDEN_DIR / f"{n}.txt" for n in demo_names()}:
        stale.unlink()
    for name in demo_names():
        path = GOLDEN_DIR / f"{name}.txt"
        path.write_text(golden_of(name))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
