"""MelodyModel / DrumsModel: load once, generate whole results, seeds, options, threads."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from psc_looper.models import (
    DRUM_KIT_CLASSES,
    DrumHit,
    DrumsModel,
    GenerationError,
    MelodyModel,
    Note,
    ensure_magenta,
)
from tests.models.conftest import DRUM_CONFIG, MELODY_CONFIGS

pytestmark = pytest.mark.slow

PRIMER = [Note(0, 2, 60), Note(2, 4, 62), Note(5, 8, 64)]  # the pianist's rhythm
GROOVE = [DrumHit(0, 36), DrumHit(4, 38), DrumHit(8, 36), DrumHit(12, 38)]
GENERATED_PITCHES = {pitches[0] for _, pitches in DRUM_KIT_CLASSES}
TWO_BARS = 32


def assert_continuation(notes: list[Note], first: int, last: int) -> None:
    assert notes, "nothing generated"
    assert notes == sorted(notes)
    for n in notes:
        assert first <= n.start_step < n.end_step <= last, n
        assert 0 <= n.pitch <= 127
    starts = [n.start_step for n in notes]
    assert len(starts) == len(set(starts)), "a melody is monophonic"


def assert_groove(hits: list[DrumHit], num_steps: int) -> None:
    assert hits, "nothing generated"
    assert all(0 <= h.step < num_steps and h.pitch in GENERATED_PITCHES for h in hits), hits


@pytest.mark.parametrize("config_id", MELODY_CONFIGS)
def test_every_melody_config_loads_and_generates(make_bundle, config_id: str) -> None:
    model = MelodyModel.load(make_bundle(config_id))
    try:
        assert model.config_id == config_id
        assert_continuation(model.generate(PRIMER, TWO_BARS, seed=3), 8, 8 + TWO_BARS)
    finally:
        model.close()


def test_drum_kit_loads_and_generates(drums_model: DrumsModel) -> None:
    assert drums_model.config_id == DRUM_CONFIG
    assert_groove(drums_model.generate(GROOVE, TWO_BARS, primer_steps=16, seed=3), TWO_BARS)


def test_melody_continues_right_after_the_primer(melody_model: MelodyModel) -> None:
    firsts = {melody_model.generate(PRIMER, 4, seed=s)[0].start_step for s in range(8)}
    assert 8 in firsts  # the first generated step can hold a note (no lost step)


def test_drums_continue_right_after_the_primer(drums_model: DrumsModel) -> None:
    firsts = {drums_model.generate(GROOVE, 4, primer_steps=16, seed=s)[0].step for s in range(8)}
    assert 0 in firsts


def test_primer_steps_moves_the_continuation(melody_model: MelodyModel) -> None:
    notes = melody_model.generate(PRIMER, 16, primer_steps=16, seed=1)
    assert_continuation(notes, 16, 32)


def test_empty_primers(melody_model: MelodyModel, drums_model: DrumsModel) -> None:
    assert_continuation(melody_model.generate([], 16, seed=1), 0, 16)
    assert_groove(drums_model.generate([], 16, primer_steps=0, seed=1), 16)
    assert_groove(drums_model.generate([], 16, primer_steps=16, seed=1), 16)


def test_same_seed_same_result_other_seed_other_result(
    melody_model: MelodyModel, drums_model: DrumsModel
) -> None:
    a = melody_model.generate(PRIMER, TWO_BARS, seed=7)
    assert melody_model.generate(PRIMER, TWO_BARS, seed=7) == a
    assert melody_model.generate(PRIMER, TWO_BARS, seed=8) != a
    d = drums_model.generate(GROOVE, TWO_BARS, primer_steps=16, seed=7)
    assert drums_model.generate(GROOVE, TWO_BARS, primer_steps=16, seed=7) == d
    assert drums_model.generate(GROOVE, TWO_BARS, primer_steps=16, seed=8) != d


def test_seeding_leaves_numpy_global_rng_alone(melody_model: MelodyModel) -> None:
    import numpy as np

    np.random.seed(123)
    expected = np.random.random(3)
    np.random.seed(123)
    melody_model.generate(PRIMER, 8, seed=5)
    assert (np.random.random(3) == expected).all()


def test_near_zero_temperature_is_greedy(melody_model: MelodyModel) -> None:
    def outcomes(temperature: float) -> set[tuple[Note, ...]]:
        return {
            tuple(melody_model.generate(PRIMER, TWO_BARS, temperature=temperature, seed=s))
            for s in range(3)
        }

    cold, hot = outcomes(1e-6), outcomes(1.0)
    assert len(cold) == 1
    assert len(hot) == 3


def test_beam_search_options(melody_model: MelodyModel, drums_model: DrumsModel) -> None:
    plain = melody_model.generate(PRIMER, TWO_BARS, seed=2)
    beamed = melody_model.generate(PRIMER, TWO_BARS, beam_size=3, branch_factor=3, seed=2)
    assert_continuation(beamed, 8, 8 + TWO_BARS)
    assert beamed != plain
    assert_groove(drums_model.generate(GROOVE, 16, primer_steps=16, beam_size=2, branch_factor=2,
                                        seed=2), 16)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"num_steps": 0},
        {"temperature": 0.0},
        {"beam_size": 0},
        {"branch_factor": 0},
        {"seed": -1},
        {"primer": [Note(0, 2, 128)]},
        {"primer": [Note(3, 3, 60)]},
        {"primer_steps": 4},  # shorter than the primer
    ],
)
def test_bad_melody_arguments(melody_model: MelodyModel, kwargs: dict) -> None:
    args = {"primer": PRIMER, "num_steps": 8} | kwargs
    with pytest.raises(GenerationError):
        melody_model.generate(**args)


@pytest.mark.parametrize(
    ("primer", "primer_steps"), [([DrumHit(16, 36)], 16), ([DrumHit(0, 200)], 16), ([], -1)]
)
def test_bad_drum_arguments(drums_model: DrumsModel, primer, primer_steps: int) -> None:
    with pytest.raises(GenerationError):
        drums_model.generate(primer, 8, primer_steps=primer_steps)


def test_generator_is_built_once(melody_bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_magenta()
    from magenta.models.shared import model as magenta_model
    from magenta.models.shared import sequence_generator

    counts = {"generator": 0, "graph": 0}
    build = sequence_generator.BaseSequenceGenerator.__init__
    restore = magenta_model.BaseModel.initialize_with_checkpoint_and_metagraph

    def counting_build(self, *args, **kwargs):
        counts["generator"] += 1
        build(self, *args, **kwargs)

    def counting_restore(self, *args, **kwargs):
        counts["graph"] += 1
        restore(self, *args, **kwargs)

    monkeypatch.setattr(sequence_generator.BaseSequenceGenerator, "__init__", counting_build)
    monkeypatch.setattr(
        magenta_model.BaseModel, "initialize_with_checkpoint_and_metagraph", counting_restore
    )
    model = MelodyModel.load(melody_bundle, engine="magenta")  # magenta's path, counted
    try:
        for seed in range(3):
            model.generate(PRIMER, 8, seed=seed)
    finally:
        model.close()
    assert counts == {"generator": 1, "graph": 1}


def test_concurrent_generation_gives_whole_reproducible_results(
    melody_model: MelodyModel, drums_model: DrumsModel
) -> None:
    seeds = range(4)
    expected_melodies = {s: melody_model.generate(PRIMER, TWO_BARS, seed=s) for s in seeds}
    expected_grooves = {s: drums_model.generate(GROOVE, TWO_BARS, primer_steps=16, seed=s)
                        for s in seeds}
    results: list[tuple[str, int, object]] = []
    errors: list[BaseException] = []

    def worker(kind: str) -> None:
        try:
            for s in seeds:
                if kind == "drums":
                    groove = drums_model.generate(GROOVE, TWO_BARS, primer_steps=16, seed=s)
                    results.append((kind, s, groove))
                else:
                    results.append((kind, s, melody_model.generate(PRIMER, TWO_BARS, seed=s)))
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in ("melody", "melody", "drums")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    assert len(results) == 12
    for kind, s, result in results:
        expected = expected_grooves[s] if kind == "drums" else expected_melodies[s]
        assert result == expected, (kind, s)


def test_closed_model_refuses_to_generate(melody_bundle: Path) -> None:
    model = MelodyModel.load(melody_bundle)
    assert_continuation(model.generate(PRIMER, 4, seed=0), 8, 12)
    model.close()
    with pytest.raises(GenerationError, match="closed"):
        model.generate(PRIMER, 4, seed=0)


def test_a_continuation_ending_in_rests_is_whole(
    melody_model: MelodyModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    # magenta's total_time is the last note's end, not the requested end: still whole
    from psc_looper.models import sequences

    generated = sequences.melody_sequence([*PRIMER, Note(8, 10, 67)])
    monkeypatch.setattr(melody_model._generator, "generate", lambda _seq, _opts: generated)
    assert melody_model.generate(PRIMER, TWO_BARS) == [Note(8, 10, 67)]
