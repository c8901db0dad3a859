"""The learned bass on the NumPy engine: it fits the chart it was given (the root where
the chord changes, chord tones on 1 and 3), the same seed gives the same line, and bad
input is a one-line error."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from psc_looper.band.bassnet import INPUT_SIZE, INTERVALS, BassNet, BassNetError
from psc_looper.band.learned import DEFAULT_BASS_MODEL, LearnedBass, chorus, new_bass
from psc_looper.band.metrics import chord_line, measure, tone_class
from psc_looper.band.walker import HIGH, LOW, BassNote, Walker
from psc_looper.harmony.chart import ChartError, parse_chart

BLUES = "F7 | Bb7 | F7 | Cm7 F7 | Bb7 | Bdim7 | F7 | D7 | Gm7 | C7 | F7 D7 | Gm7 C7"
STANDARD = ("Cm7 | F7 | Bbmaj7 | Ebmaj7 | Am7b5 | D7 | Gm6 | Gm6 | "
            "Cm7 | F7 | Bbmaj7 | Ebmaj7 | Am7b5 | D7 | Gm6 | Gm6")


def fitted(chart_text: str, notes: list) -> None:  # type: ignore[type-arg]
    chart = parse_chart(chart_text)
    chords = [chart.chord_at(k, 4) for k in range(len(chart.bars) * 4)]
    assert [n.beat for n in notes] == list(range(len(chords)))
    for n in notes:
        chord = chords[n.beat]
        assert LOW <= n.pitch <= HIGH
        if n.beat == 0 or chord != chords[n.beat - 1]:
            assert n.pitch % 12 == chord.root, n
        elif n.beat % 2 == 0:
            assert tone_class(n.pitch, chord) <= 3, n
    assert all(a.pitch != b.pitch for a, b in pairwise(notes))  # it walks


@pytest.mark.parametrize("chart", [BLUES, STANDARD])
@pytest.mark.parametrize("seed", [0, 7])
def test_the_shipped_model_fits_the_chart(chart: str, seed: int) -> None:
    fitted(chart, chorus(chart, seed=seed))


def test_the_free_model_walks_mostly_on_chord_tones_unconstrained() -> None:
    chart = parse_chart(BLUES)
    chords = [chart.chord_at(k, 4) for k in range(48 * 4)]
    notes = LearnedBass(seed=3, fit=False).walk(chords)
    line = chord_line(chords, [k % 4 for k in range(len(chords))], [n.pitch for n in notes])
    scores = measure([line])
    assert scores["chord tone, beat 1"] > 0.6  # chance is about a third
    assert scores["repeated note"] < 0.5


def test_same_seed_same_line_other_seed_another() -> None:
    assert chorus(BLUES, seed=4) == chorus(BLUES, seed=4)
    assert chorus(BLUES, seed=4) != chorus(BLUES, seed=5)
    assert chorus(BLUES, "free model", seed=4) == chorus(BLUES, "free model", seed=4)


def test_the_line_goes_on_from_call_to_call() -> None:
    chart = parse_chart(BLUES)
    chords = [chart.chord_at(k, 4) for k in range(48)]
    bass = LearnedBass(seed=1)
    first = bass.walk(chords)
    second = bass.walk(chords)
    assert first != second  # the state and the random draws carried on
    assert abs(second[0].pitch - first[-1].pitch) <= 12


def test_two_feel_keeps_the_walkers_half_notes() -> None:
    notes = chorus(BLUES, seed=2, two_feel=True)
    assert {n.beat % 4 for n in notes} <= {0, 2} and {n.beats for n in notes} == {2}


def test_new_bass_picks_by_name() -> None:
    assert type(new_bass("walker")) is Walker
    learned = new_bass("model", seed=1)
    assert isinstance(learned, LearnedBass) and learned.fit
    assert not new_bass("free model").fit  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="bass must be one of walker, model, free model"):
        new_bass("tuba")


def test_a_chart_it_cannot_read_is_one_line() -> None:
    with pytest.raises(ChartError) as error:
        chorus("F7 | Bb7 | Xq9 | C7")
    assert "Xq9" in str(error.value) and "\n" not in str(error.value)


def test_a_bad_model_file_is_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "bass.npz"
    junk.write_bytes(b"not a model")
    with pytest.raises(BassNetError) as error:
        BassNet.load(junk)
    assert str(junk) in str(error.value) and "\n" not in str(error.value)
    np.savez(junk, **{"rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel":
                      np.zeros((INPUT_SIZE + 8, 32)),
                      "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias": np.zeros(32),
                      "fully_connected/weights": np.zeros((8, 5)),
                      "fully_connected/biases": np.zeros(5)})
    with pytest.raises(BassNetError, match=f"5 classes, the bass encodes {INPUT_SIZE} and "
                                           f"{INTERVALS}"):
        new_bass("model", model=junk)


def test_the_shipped_model_runs_on_the_numpy_engine() -> None:
    net = BassNet.load(DEFAULT_BASS_MODEL)
    logp, _ = net.step(np.zeros(INPUT_SIZE, np.float32), net.zero_state(), LOW)
    assert np.isclose(np.exp(logp).sum(), 1.0)
    assert np.all(np.isinf(logp[:12]))  # below E1: out of the register


def test_it_plugs_into_the_bands_loop_writer_like_the_walker() -> None:
    from psc_looper.band.parts import bass_part
    from psc_looper.timing.meter import LoopStructure

    structure = LoopStructure(bars=12)
    notes = bass_part(new_bass("model", seed=1), parse_chart(BLUES), 0, 0, structure)
    spb = structure.meter.steps_per_beat
    assert [n.onset for n in notes] == [beat * spb for beat in range(48)]
    fitted(BLUES, [BassNote(n.onset // spb, n.pitch) for n in notes])


def _tensors() -> dict[str, np.ndarray]:
    with np.load(DEFAULT_BASS_MODEL) as data:
        return {name: data[name] for name in data.files}


@pytest.mark.parametrize("damage, said", [
    (lambda path: path.write_bytes(b""), "not a bass model"),
    (lambda path: path.write_bytes(DEFAULT_BASS_MODEL.read_bytes()[:20000]), "not a zip file"),
    (lambda path: path.mkdir(), "Is a directory"),
    (lambda path: np.savez(path, **{k: np.array(["a"]) for k in _tensors()}), "not numbers"),
    (lambda path: np.savez(path, **{k: np.full_like(v, np.nan) for k, v in _tensors().items()}),
     "not finite"),
])
def test_a_corrupt_model_file_is_one_line_naming_it(tmp_path, damage, said) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bass.npz"
    damage(path)
    with pytest.raises(BassNetError, match=said) as error:
        BassNet.load(path)
    assert str(error.value).startswith(str(path)) and "\n" not in str(error.value)


def test_a_net_whose_outputs_overflow_still_walks_in_register() -> None:
    huge = {k: np.full_like(v, 3e38) for k, v in _tensors().items()}  # finite, but inf out
    notes = LearnedBass(net=BassNet(huge), seed=1).walk(
        [parse_chart("C7 | F7").chord_at(k, 4) for k in range(8)])
    assert len(notes) == 8 and all(LOW <= n.pitch <= HIGH for n in notes)
