"""The NumPy engine against magenta's TensorFlow graph on the same bundle.

Per step logits within 1e-4 (random and encoded real inputs, the state carried across
steps, attention included); generation with the same seed draws the same events, which
also shows the per-step distributions agree: each event is drawn by the same
``np.random.choice`` call from the same RNG state, so any distribution difference
larger than float rounding would change some draw over the hundreds checked here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from psc_looper.models import DrumHit, DrumsModel, MelodyModel, Note
from tests.models.conftest import DRUM_CONFIG, MELODY_CONFIGS

pytestmark = pytest.mark.slow
BUNDLES = Path(__file__).resolve().parents[2] / "psc_looper" / "bundles"
TOLERANCE = 1e-4
MELODY = [Note(0, 2, 60), Note(2, 4, 62), Note(4, 6, 64), Note(6, 10, 67), Note(10, 12, 65),
          Note(12, 13, 64), Note(13, 14, 62), Note(14, 16, 71), Note(18, 20, 72)]
GROOVE = [DrumHit(s, 42) for s in range(0, 32, 2)] + [
    DrumHit(s, 36) for s in (0, 10, 16, 26)] + [DrumHit(s, 38) for s in (4, 12, 20, 28)]


def _pair(kind: type, path: Path) -> tuple:
    return kind.load(path, engine="numpy"), kind.load(path, engine="magenta")


def _tf_logits(magenta_model, inputs: np.ndarray, state: list) -> tuple[np.ndarray, list]:
    session = magenta_model._generator._model._session
    graph = session.graph
    feed = {graph.get_collection("inputs")[0]: inputs,
            tuple(graph.get_collection("initial_state")): tuple(state)}
    feed[graph.get_collection("temperature")[0]] = 1.0
    logits, final = session.run(
        [graph.get_tensor_by_name("fully_connected/BiasAdd:0"),
         graph.get_collection("final_state")], feed)
    return logits.reshape(inputs.shape[0], inputs.shape[1], -1), list(final)


def _compare_steps(engine_model, magenta_model, inputs: np.ndarray) -> None:
    """The primer pass over ``inputs[:, :-4]``, then 4 single steps carrying the state."""
    network = engine_model._generator.search.network
    state_tf = state_np = network.zero_state(1)
    chunks = [inputs[:, :-4]] + [inputs[:, t : t + 1] for t in range(inputs.shape[1] - 4,
                                                                    inputs.shape[1])]
    for chunk in chunks:
        expected, state_tf = _tf_logits(magenta_model, chunk, state_tf)
        got, state_np = network.run(chunk, state_np)
        np.testing.assert_allclose(got, expected, atol=TOLERANCE, rtol=0)
        for ours, theirs in zip(state_np, state_tf, strict=True):
            np.testing.assert_allclose(ours, theirs, atol=TOLERANCE, rtol=0)


def _encoded(engine_model, events) -> np.ndarray:
    encoder = engine_model._generator.search.encoder
    return np.asarray(encoder.get_inputs_batch([events], full_length=True), np.float32)


@pytest.mark.parametrize("config_id", [*MELODY_CONFIGS, DRUM_CONFIG])
def test_logits_match_on_random_inputs(make_bundle, config_id: str) -> None:
    kind = DrumsModel if config_id == DRUM_CONFIG else MelodyModel
    engine_model, magenta_model = _pair(kind, make_bundle(config_id))
    size = engine_model._generator.search.network.input_size
    rng = np.random.default_rng(1)
    inputs = (rng.random((1, 50, size)) < 0.1).astype(np.float32)  # longer than attention
    _compare_steps(engine_model, magenta_model, inputs)
    magenta_model.close()


def test_logits_match_on_encoded_real_inputs_with_the_shipped_bundles() -> None:
    from psc_looper.models.noteseq import import_note_seq

    ns = import_note_seq()
    melody = ns.Melody([60, -2, 62, -2, 64, -2, 67, -2, -2, -2, 65, -2, 64, 62, 71, -2, -1,
                        -2, 72, -2] * 3)
    engine_model, magenta_model = _pair(MelodyModel, BUNDLES / "melody.mag")
    _compare_steps(engine_model, magenta_model, _encoded(engine_model, melody))  # key, lookback
    drums = ns.DrumTrack([frozenset({36, 42}), frozenset(), frozenset({42}), frozenset(),
                          frozenset({38, 42}), frozenset(), frozenset({42}), frozenset()] * 6)
    engine_drums, magenta_drums = _pair(DrumsModel, BUNDLES / "drums.mag")
    _compare_steps(engine_drums, magenta_drums, _encoded(engine_drums, drums))
    magenta_model.close()
    magenta_drums.close()


@pytest.mark.parametrize("config_id", [*MELODY_CONFIGS, DRUM_CONFIG])
def test_seeded_generation_draws_the_same_events_as_magenta(make_bundle, config_id) -> None:
    kind = DrumsModel if config_id == DRUM_CONFIG else MelodyModel
    engine_model, magenta_model = _pair(kind, make_bundle(config_id))
    for seed in (1, 2, 3):
        if kind is DrumsModel:
            args, kwargs = (GROOVE, 32), {"primer_steps": 32, "seed": seed}
        else:
            args, kwargs = (MELODY, 32), {"seed": seed}
        expected = magenta_model.generate(*args, **kwargs)
        assert engine_model.generate(*args, **kwargs) == expected
    magenta_model.close()


@pytest.mark.parametrize("options", [
    {"temperature": 1e-3},  # greedy
    {"temperature": 1.0, "seed": 11},
    {"temperature": 1.3, "beam_size": 2, "branch_factor": 2, "seed": 5},
])
def test_shipped_bundles_generate_what_magenta_generates(options: dict) -> None:
    melody, magenta_melody = _pair(MelodyModel, BUNDLES / "melody.mag")
    drums, magenta_drums = _pair(DrumsModel, BUNDLES / "drums.mag")
    got = melody.generate(MELODY, 64, **options)
    assert got and got == magenta_melody.generate(MELODY, 64, **options)
    got_drums = drums.generate(GROOVE, 32, primer_steps=32, **options)
    assert got_drums and got_drums == magenta_drums.generate(GROOVE, 32, primer_steps=32, **options)
    magenta_melody.close()
    magenta_drums.close()


def test_engine_generation_is_reproducible_and_seed_dependent() -> None:
    melody = MelodyModel.load(BUNDLES / "melody.mag", engine="numpy")
    first = melody.generate(MELODY, 64, seed=3)
    assert melody.generate(MELODY, 64, seed=3) == first
    assert melody.generate(MELODY, 64, seed=4) != first


def test_the_engine_path_imports_no_tensorflow(run_fresh) -> None:
    code = (
        "import sys\n"
        "from psc_looper.models import MelodyModel, DrumsModel, Note\n"
        "m = MelodyModel.load('psc_looper/bundles/melody.mag', engine='numpy')\n"
        "d = DrumsModel.load('psc_looper/bundles/drums.mag', engine='numpy')\n"
        "assert m.generate([Note(0, 4, 60)], 16, seed=1)\n"
        "assert d.generate([], 16, primer_steps=0, seed=1) is not None\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'magenta')))\n"
    )
    result = run_fresh(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_config_the_engine_does_not_run_falls_back_to_magenta_with_a_notice(
    make_bundle, caplog: pytest.LogCaptureFixture
) -> None:
    from psc_looper.inference import UnsupportedBundle

    path = make_bundle("one_drum")
    with pytest.raises(UnsupportedBundle, match="'one_drum' is not one the engine runs"):
        DrumsModel.load(path, engine="numpy")
    with caplog.at_level("WARNING"):
        model = DrumsModel.load(path)
    notices = [r.getMessage() for r in caplog.records if "magenta (TensorFlow)" in r.getMessage()]
    assert len(notices) == 1 and "\n" not in notices[0] and str(path) in notices[0]
    assert model._generator.__class__.__module__.startswith("magenta.")
    model.close()
