"""Generation metrics on hand-made melodies and drum parts."""

import pytest

from psc_looper.models import DrumHit, Note
from psc_looper.training.metrics import (
    class_density,
    drum_metrics,
    eighth_grid_share,
    estimate_key,
    in_key_share,
    mean_metrics,
    melody_metrics,
    pitch_range,
    repeated_share,
)


def line(pitches, length=2):
    return [Note(i * length, (i + 1) * length, p) for i, p in enumerate(pitches)]


def test_key_of_a_c_major_scale_and_of_an_a_minor_arpeggio():
    assert estimate_key(line([60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 60])) == (0, True)
    assert estimate_key(line([57, 60, 64, 69, 64, 60, 57, 56, 57])) == (9, False)


def test_in_key_share_range_and_repeats():
    notes = line([60, 62, 66, 66])  # F# is outside C major
    assert in_key_share(notes, (0, True)) == pytest.approx(2 / 4)
    assert pitch_range(notes) == 6
    assert repeated_share(notes) == pytest.approx(1 / 3)
    assert repeated_share(line([60])) == 0.0


def test_melody_metrics_use_the_primer_key():
    primer = line([60, 62, 64, 65, 67, 69, 71, 72])
    metrics = melody_metrics(primer, line([61, 63, 64]))
    assert metrics["in_key"] == pytest.approx(1 / 3)
    assert metrics["range"] == 3.0
    assert melody_metrics(primer, []) == {}


def test_drum_density_per_bar_and_eighth_grid():
    hits = [DrumHit(0, 36), DrumHit(16, 36), DrumHit(4, 38), DrumHit(3, 51), DrumHit(5, 99)]
    density = class_density(hits, 32)  # two bars; pitch 99 is no drum_kit class
    assert density["kick"] == 1.0
    assert density["snare"] == 0.5
    assert density["ride"] == 0.5
    assert density["crash"] == 0.0
    assert eighth_grid_share(hits) == pytest.approx(3 / 5)
    assert drum_metrics([], 16)["eighth_grid"] == 0.0


def test_mean_metrics_skip_rows_without_a_value():
    assert mean_metrics([{"a": 1.0, "b": 2.0}, {"a": 3.0}]) == {"a": 2.0, "b": 2.0}
