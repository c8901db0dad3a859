"""The play path runs without TensorFlow: a demo replayed with the shipped models, in a
fresh interpreter, generates with both models and never imports TensorFlow or magenta."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CODE = """
import sys, tempfile
from pathlib import Path
from psc_looper.rig.demos import run_demo
run = run_demo("2-beat-and-grooves", Path(tempfile.mkdtemp()))
assert run.bundles.melody and run.bundles.drums, run.bundles
heavy = {"tensorflow", "magenta", "keras", "tf_keras"}
print(sorted({m.split(".")[0] for m in sys.modules} & heavy))
"""


def test_a_demo_replay_with_models_imports_no_tensorflow() -> None:
    result = subprocess.run([sys.executable, "-c", CODE], cwd=REPO, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[-1] == "[]"
