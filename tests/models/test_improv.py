"""ImprovRNN end to end: a tiny chord_pitches_improv trained on WJazzD lead sheets with
magenta's own pipeline and training loop, bundled, read back by kind, generating over chords."""

import itertools
from pathlib import Path

import pytest

from psc_looper.harmony.chart import parse_chart
from psc_looper.models import (
    BundleError,
    GenerationError,
    ImprovModel,
    MelodyModel,
    Note,
    melody_model_class,
    takes_chords,
)
from psc_looper.models.build import build_bundle, write_training_records
from psc_looper.models.remote import RemoteModel
from tests.models.conftest import LAYERS, SEED

pytestmark = pytest.mark.slow
CONFIG = "chord_pitches_improv"
PRIMER = [Note(16 + 2 * i, 17 + 2 * i, p) for i, p in enumerate((62, 65, 69, 72, 71, 67, 65, 62))]


@pytest.fixture(scope="module")
def improv_bundle(tmp_path_factory) -> Path:
    from psc_looper.training.datasets import to_note_sequence
    from psc_looper.training.wjazzd import solo_pieces

    folder = tmp_path_factory.mktemp("improv")
    sheets = [to_note_sequence(p) for p in solo_pieces()[0][:2]]
    records = write_training_records(CONFIG, sheets, folder / "records")
    return build_bundle(CONFIG, folder / "improv.mag", rnn_layer_sizes=LAYERS,
                        training_records=[records], train_steps=3, batch_size=4, seed=SEED)


@pytest.fixture(scope="module")
def model(improv_bundle):
    model = ImprovModel.load(improv_bundle)
    yield model
    model.close()


def over(chart: str, count: int):
    parsed = parse_chart(chart)
    return [parsed.chord_at(k / 4, 4) for k in range(count)]


def test_the_kind_is_read_from_the_bundle(improv_bundle, melody_bundle, model):
    assert melody_model_class(improv_bundle) is ImprovModel
    assert melody_model_class(melody_bundle) is MelodyModel
    assert takes_chords(model) and model.config_id == CONFIG
    with pytest.raises(BundleError, match="is a improv_rnn bundle, not melody_rnn"):
        MelodyModel.load(improv_bundle)
    with pytest.raises(BundleError, match="is a melody_rnn bundle, not improv_rnn"):
        ImprovModel.load(melody_bundle)


def test_generates_the_continuation_reproducibly(model):
    chords = over("Dm7 G7 | Cmaj7 |", 64)
    notes = model.generate(PRIMER, 32, chords=chords, primer_steps=32, seed=3)
    assert notes and all(32 <= n.start_step < n.end_step <= 64 for n in notes)
    assert all(a.end_step <= b.start_step for a, b in itertools.pairwise(notes))
    assert model.generate(PRIMER, 32, chords=chords, primer_steps=32, seed=3) == notes


def test_the_chords_change_the_line(model):
    lines = {chart: model.generate(PRIMER, 64, chords=over(chart, 96), primer_steps=32,
                                   seed=11, temperature=1.5)
             for chart in ("Dm7 G7 | Cmaj7 |", "F#7 | Bm7 |")}
    first, second = lines.values()
    assert first != second


@pytest.mark.parametrize(("primer", "primer_steps"), [
    ([], 0),  # no primer: magenta's chord trimming edge
    ([Note(35, 37, 60), Note(38, 40, 62)], 40),  # a primer starting in its third bar
    ([Note(0, 8, 60)], 8),  # the last note ends where generation starts
])
def test_primer_edges(model, primer, primer_steps):
    notes = model.generate(primer, 16, chords=over("C7 |", primer_steps + 16),
                           primer_steps=primer_steps, seed=1)
    assert notes, "nothing generated"
    assert all(primer_steps <= n.start_step < primer_steps + 16 for n in notes)


def test_one_chord_per_step_is_required(model):
    with pytest.raises(GenerationError, match="63 chords given for 32 primer steps and 32"):
        model.generate(PRIMER, 32, chords=over("C |", 63), primer_steps=32)


def test_remote_equals_local(improv_bundle, model):
    remote = RemoteModel("ImprovModel", improv_bundle)
    try:
        chords = over("Bb7 | Eb7 |", 64)
        assert takes_chords(remote)
        assert remote.generate(PRIMER, 32, chords=chords, primer_steps=32, seed=5) == \
            model.generate(PRIMER, 32, chords=chords, primer_steps=32, seed=5)
    finally:
        remote.close()


def test_the_backend_plays_an_improv_bundle_over_the_chords(improv_bundle):
    from psc_looper.app import BackendConfig
    from psc_looper.improv.options import ImprovOptions
    from psc_looper.rig import VirtualRig

    config = BackendConfig(melody_bundle=improv_bundle, inline_generation=True,
                           improv=ImprovOptions(changes="Dm7 G7 | Cmaj7 |"))
    rig = VirtualRig(config)
    try:
        feature = rig.backend.improv
        assert feature is not None
        assert "over chart" in feature.describe()
    finally:
        rig.backend.close()
