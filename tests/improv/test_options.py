"""Improv options: validation and the temperature knob."""

import pytest

from psc_looper.improv.options import (
    TEMPERATURE_MAX,
    TEMPERATURE_MIN,
    Boundary,
    ImprovOptions,
    OptionsError,
    temperature_from_knob,
)


def test_knob_maps_exponentially_around_one():
    assert temperature_from_knob(0) == pytest.approx(TEMPERATURE_MIN)
    assert temperature_from_knob(64) == pytest.approx(1.0, abs=0.02)
    assert temperature_from_knob(127) == pytest.approx(TEMPERATURE_MAX)
    values = [temperature_from_knob(v) for v in range(128)]
    assert values == sorted(values)
    assert temperature_from_knob(500) == temperature_from_knob(127)


def test_bad_options_are_refused_with_their_names():
    with pytest.raises(OptionsError, match="threshold"):
        ImprovOptions(threshold=0)
    with pytest.raises(OptionsError, match="temperature"):
        ImprovOptions(temperature=9)
    with pytest.raises(ValueError):
        ImprovOptions(boundary="beat")  # type: ignore[arg-type]


def test_names_become_enums():
    assert ImprovOptions(boundary="loop").boundary is Boundary.LOOP  # type: ignore[arg-type]
