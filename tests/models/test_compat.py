"""Each compat measure is needed (a fresh process without it fails) and all suffice."""

from __future__ import annotations

import re
import sys

import pytest

from psc_looper.models import compat
from tests.models.conftest import RunFresh

pytestmark = pytest.mark.slow


def _without(measure: str) -> str:
    return (
        "from psc_looper.models import compat\n"
        f"compat._apply(set(compat.MEASURES) - {{{measure!r}}})\n"
    )


GENERATE_BOTH = """
import sys, tempfile
from pathlib import Path
from psc_looper.models import DrumHit, DrumsModel, MelodyModel, Note
from psc_looper.models.build import build_bundle
folder = Path(tempfile.mkdtemp())
melody = MelodyModel.load(build_bundle("basic_rnn", folder / "m.mag", rnn_layer_sizes=(8,)))
drums = DrumsModel.load(build_bundle("drum_kit", folder / "d.mag", rnn_layer_sizes=(8,)))
notes = melody.generate([Note(0, 4, 60)], 16, seed=1)
hits = drums.generate([DrumHit(0, 36)], 16, primer_steps=16, seed=1)
assert notes and all(4 <= n.start_step < 20 for n in notes), notes
assert hits and all(0 <= h.step < 16 for h in hits), hits
print("GENERATED", len(notes), len(hits))
"""

TRAIN_ONE_STEP = """
import tempfile
from pathlib import Path
from psc_looper.models.build import build_bundle, write_training_records
from tests.models.conftest import training_melodies
folder = Path(tempfile.mkdtemp())
records = write_training_records("basic_rnn", training_melodies(count=1), folder)
build_bundle("basic_rnn", folder / "m.mag", rnn_layer_sizes=(8,),
             training_records=[records], train_steps=1, batch_size=1)
print("TRAINED")
"""

KERAS_FIT = """
import numpy as np
import keras
model = keras.Sequential([keras.layers.Dense(1)])
model.compile(loss="mse")
model.fit(np.zeros((4, 2)), np.zeros((4, 1)), verbose=0)
print("FITTED")
"""

PLACEHOLDERS_GONE = f"""
import sys
from psc_looper.models import compat
left = [m for m in compat.UNUSED_MODULES if m in sys.modules]
assert not left, left
for name in {compat.UNUSED_MODULES!r}:
    try:
        __import__(name)
    except ImportError:
        pass
    else:
        raise AssertionError(name + " importable after compat")
print("CLEAN")
"""


def test_legacy_keras_is_needed(run_fresh: RunFresh) -> None:
    result = run_fresh(_without(compat.LEGACY_KERAS))
    assert result.returncode != 0
    assert "`RNNCell` is not available with Keras 3" in result.stderr


def test_placeholders_are_needed(run_fresh: RunFresh) -> None:
    result = run_fresh(_without(compat.PLACEHOLDERS))
    assert result.returncode != 0
    assert "No module named 'librosa'" in result.stderr


def test_slim_alias_is_needed_for_training(run_fresh: RunFresh) -> None:
    result = run_fresh(_without(compat.SLIM_OPS_ALIASES) + TRAIN_ONE_STEP)
    assert result.returncode != 0
    assert "has no attribute 'IndexedSlices'" in result.stderr
    assert "TRAINED" not in result.stdout


def test_leftover_placeholders_break_keras(run_fresh: RunFresh) -> None:
    result = run_fresh(_without(compat.REMOVE_PLACEHOLDERS) + KERAS_FIT)
    assert result.returncode != 0
    assert "isinstance() arg 2 must be a type" in result.stderr


def test_all_measures_suffice_to_import_train_and_generate(run_fresh: RunFresh) -> None:
    code = (
        "from psc_looper.models import ensure_magenta\nensure_magenta()\n"
        + TRAIN_ONE_STEP
        + GENERATE_BOTH
        + PLACEHOLDERS_GONE
        + KERAS_FIT
    )
    result = run_fresh(code)
    assert result.returncode == 0, result.stderr[-3000:]
    for marker in ("TRAINED", "GENERATED", "CLEAN", "FITTED"):
        assert marker in result.stdout


def test_two_magenta_command_line_modules_clash(run_fresh: RunFresh) -> None:
    # Why compat and the models import only magenta's library modules.
    result = run_fresh(
        "from psc_looper.models import ensure_magenta\nensure_magenta()\n"
        "import magenta.models.melody_rnn.melody_rnn_generate\n"
        "import magenta.models.drums_rnn.drums_rnn_generate\n"
    )
    assert result.returncode != 0
    assert "DuplicateFlagError" in result.stderr


def test_no_command_line_module_is_imported(melody_model, drums_model) -> None:
    melody_model.generate([], 4, seed=0)
    drums_model.generate([], 4, primer_steps=0, seed=0)
    flagged = re.compile(
        r"^magenta\.models\.(melody|drums)_rnn\.\w+_(generate|train|create_dataset|config_flags)$"
    )
    assert not [name for name in sys.modules if flagged.match(name)]


def test_no_placeholder_left_in_this_process() -> None:
    compat.ensure_magenta()
    compat.ensure_magenta()  # idempotent
    assert "note_seq" in sys.modules and "magenta" in sys.modules
    assert not [m for m in compat.UNUSED_MODULES if m in sys.modules]
    assert not [m for m in sys.modules.values() if isinstance(m, compat._Placeholder)]


def test_a_placeholder_fails_loudly_if_used() -> None:
    placeholder = compat._Placeholder("librosa")
    with pytest.raises(ModuleNotFoundError, match=r"librosa\.load is not installed"):
        placeholder.load("x.wav")
    with pytest.raises(AttributeError):
        _ = placeholder.__file__
