"""The drum kit: every drum_kit class and GM pitch maps to one of the nine drum sounds."""

import pytest

from psc_looper.drums.kit import (
    CLASS_OF_INSTRUMENT,
    INSTRUMENT_OF_CLASS,
    instrument_of_pitch,
    pitch_of_instrument,
)
from psc_looper.drums.velocity import ACCENTS, accent_velocity, pulse_steps
from psc_looper.models import DRUM_KIT_CLASS_NAMES, DRUM_KIT_CLASSES
from psc_looper.osc.protocol import DRUMS, Instrument
from psc_looper.timing.meter import Meter


def test_nine_classes_map_one_to_one_onto_the_nine_drum_sounds():
    assert sorted(INSTRUMENT_OF_CLASS) == sorted(DRUM_KIT_CLASS_NAMES)
    assert sorted(CLASS_OF_INSTRUMENT) == sorted(DRUMS)
    assert sorted(ACCENTS) == sorted(DRUMS)


@pytest.mark.parametrize(("name", "pitches"), DRUM_KIT_CLASSES)
def test_every_gm_pitch_of_a_class_sounds_its_instrument(name, pitches):
    assert {instrument_of_pitch(p) for p in pitches} == {INSTRUMENT_OF_CLASS[name]}
    assert pitch_of_instrument(INSTRUMENT_OF_CLASS[name]) == pitches[0]


def test_pitches_and_sounds_outside_the_kit():
    assert instrument_of_pitch(100) is None  # not a drum_kit pitch
    with pytest.raises(KeyError):
        pitch_of_instrument(Instrument.BASS)


@pytest.mark.parametrize(
    ("meter", "pulse"),
    [(Meter(4, 4), 4), (Meter(5, 4), 4), (Meter(7, 8), 4), (Meter(3, 8), 6),
     (Meter(6, 8), 6), (Meter(9, 8), 6), (Meter(12, 16), 3), (Meter(5, 16), 4)],
)
def test_pulse_of_simple_and_compound_meters(meter, pulse):
    assert pulse_steps(meter) == pulse


def test_velocity_levels_by_position_in_the_bar():
    meter = Meter(4, 4)
    downbeat, pulse, off = ACCENTS[Instrument.CLOSED_HAT]
    got = [accent_velocity(Instrument.CLOSED_HAT, s, meter) for s in (0, 2, 4, 16, 20, 22)]
    assert got == [downbeat, off, pulse, downbeat, pulse, off]
