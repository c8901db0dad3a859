"""ImprovRNN on the NumPy engine against magenta's generator on the same tiny bundles:
per-step logits within 1e-4 and the same melody over the same chords for the same seed
(through magenta's generator interface), and the per-step chord entry point."""

from __future__ import annotations

import numpy as np
import pytest

from psc_looper.inference import load_generator
from psc_looper.inference.search import Options
from psc_looper.models import Note, ensure_magenta, sequences
from psc_looper.models.build import build_bundle
from psc_looper.models.families import IMPROV_RNN
from tests.models.conftest import LAYERS, SEED
from tests.models.test_engine_equivalence import TOLERANCE

pytestmark = pytest.mark.slow
CONFIGS = ("basic_improv", "attention_improv", "chord_pitches_improv")
CHART = ("Dm7", "G7", "Cmaj7", "A7")  # one bar each
# ImprovRNN needs the primer to end before the generated part (step 16)
PRIMER = [Note(0, 2, 62), Note(2, 4, 65), Note(4, 6, 69), Note(6, 8, 72), Note(8, 14, 71)]


@pytest.fixture(scope="module")
def improv_bundles(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("improv")
    return {c: build_bundle(c, folder / f"{c}.mag", rnn_layer_sizes=LAYERS, seed=SEED)
            for c in CONFIGS}


def _lead_sheet(bars: int):
    sequence = sequences.melody_sequence(PRIMER, bars * 16)
    import note_seq

    for bar in range(bars):
        sequence.text_annotations.add(
            time=sequences.seconds(16 * bar), text=CHART[bar % len(CHART)],
            annotation_type=note_seq.NoteSequence.TextAnnotation.CHORD_SYMBOL)
    return sequence


def _options(start: int, end: int, temperature: float):
    from note_seq.protobuf import generator_pb2

    options = generator_pb2.GeneratorOptions()
    options.generate_sections.add(start_time=sequences.before(start),
                                  end_time=sequences.seconds(end))
    options.args["temperature"].float_value = temperature
    return options


def _notes(sequence) -> list[tuple]:
    return sorted((n.pitch, round(n.start_time, 4), round(n.end_time, 4)) for n in sequence.notes)


@pytest.mark.parametrize("config_id", CONFIGS)
def test_improv_generates_what_magenta_generates(improv_bundles, config_id: str) -> None:
    ensure_magenta()
    from magenta.models.shared import sequence_generator_bundle

    path = improv_bundles[config_id]
    bundle = sequence_generator_bundle.read_bundle_file(str(path))
    reference = IMPROV_RNN.generator_for_bundle(bundle)
    reference.initialize()
    engine = load_generator(path, "improv_rnn")
    sheet = _lead_sheet(4)
    for seed, temperature in ((1, 1.0), (2, 1.0), (0, 1e-3)):
        np.random.seed(seed)
        expected = reference.generate(sheet, _options(16, 64, temperature))
        np.random.seed(seed)
        got = engine.generate(sheet, _options(16, 64, temperature))
        assert _notes(got) == _notes(expected)
        assert any(n.start_time >= sequences.seconds(16) for n in got.notes)
    # per-step logits, the chords' encoding included
    session = reference._model._session
    graph = session.graph
    network = engine.search.network
    rng = np.random.default_rng(3)
    inputs = (rng.random((1, 45, network.input_size)) < 0.15).astype(np.float32)
    feed = {graph.get_collection("inputs")[0]: inputs,
            tuple(graph.get_collection("initial_state")): tuple(network.zero_state(1)),
            graph.get_collection("temperature")[0]: 1.0}
    expected_logits = session.run(graph.get_tensor_by_name("fully_connected/BiasAdd:0"), feed)
    got_logits, _ = network.run(inputs, network.zero_state(1))
    np.testing.assert_allclose(got_logits.reshape(expected_logits.shape), expected_logits,
                               atol=TOLERANCE, rtol=0)
    reference.close()


def test_improvise_takes_one_chord_per_step(improv_bundles) -> None:
    import note_seq

    engine = load_generator(improv_bundles["chord_pitches_improv"], "improv_rnn")
    primer = note_seq.Melody([62, -2, 65, -2, 69, -2, 72, -2])
    chords = ["Dm7"] * 8 + ["G7"] * 16 + ["Cmaj7"] * 16
    np.random.seed(4)
    melody = engine.improvise(primer, chords, Options(temperature=1e-3))
    assert len(melody) == len(chords)
    assert list(melody)[:8] == list(primer)
    np.random.seed(5)
    again = engine.improvise(primer, chords, Options(temperature=1e-3))
    assert list(again) == list(melody)  # greedy: the same line whatever the seed


@pytest.mark.parametrize("config_id", ["attention_improv", "chord_pitches_improv"])
def test_improv_model_on_the_engine_plays_what_magenta_plays(improv_bundles, config_id) -> None:
    from psc_looper.harmony.chords import parse_chord
    from psc_looper.models.improv import ImprovModel

    path = improv_bundles[config_id]
    engine, reference = ImprovModel.load(path), ImprovModel.load(path, engine="magenta")
    assert engine._generator.__class__.__module__.startswith("psc_looper.inference")
    chords = [parse_chord(CHART[(step // 16) % 4]) for step in range(16 + 32)]
    primer = PRIMER[:3]  # 6 steps of a 16-step primer
    for seed in (1, 2):
        expected = reference.generate(primer, 32, chords=chords, primer_steps=16, seed=seed)
        assert engine.generate(primer, 32, chords=chords, primer_steps=16, seed=seed) == expected
    empty = reference.generate([], 16, chords=chords[:16], seed=3)
    assert engine.generate([], 16, chords=chords[:16], seed=3) == empty
    reference.close()
