"""The deterministic beat: exact steps of kick, snare and hats across meters and bass lines."""

import pytest

from psc_looper.drums.beat import build_beat
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.osc.protocol import Instrument
from psc_looper.timing.meter import LoopStructure, Meter


def bass(*onsets: int) -> list[LoopNote]:
    return [LoopNote(s, Track.BASS, Instrument.BASS, 36 + s % 12, 90, 2) for s in onsets]


def steps(notes: list[LoopNote], instrument: Instrument) -> list[int]:
    return sorted(n.onset for n in notes if n.instrument is instrument)


@pytest.mark.parametrize(
    ("meter", "bars", "onsets", "kicks", "snares", "loop_steps"),
    [
        (Meter(4, 4), 2, (), [0, 16], [], 32),
        (Meter(4, 4), 1, (0, 6, 8, 15), [0], [0, 6, 8, 15], 16),
        (Meter(5, 4), 2, (3, 20, 39), [0, 20], [3, 20, 39], 40),
        (Meter(7, 8), 3, (0, 13, 14, 41), [0, 14, 28], [0, 13, 14, 41], 42),
        (Meter(6, 8), 2, (5, 11), [0, 12], [5, 11], 24),
        (Meter(12, 16), 4, (1, 47), [0, 12, 24, 36], [1, 47], 48),
        (Meter(3, 4), 4, (), [0, 12, 24, 36], [], 48),
        (Meter(2, 16), 1, (1,), [0], [1], 2),
    ],
)
def test_kick_on_bar_starts_snare_on_bass_onsets_hats_on_eighths(
    meter, bars, onsets, kicks, snares, loop_steps
):
    notes = build_beat(LoopStructure(meter, bars), bass(*onsets))
    assert steps(notes, Instrument.KICK) == kicks
    assert steps(notes, Instrument.SNARE) == snares
    assert steps(notes, Instrument.CLOSED_HAT) == list(range(0, loop_steps, 2))
    assert {n.instrument for n in notes} <= {Instrument.KICK, Instrument.SNARE,
                                              Instrument.CLOSED_HAT}
    assert all(n.track is Track.DRUMS and n.duration == 1 for n in notes)


def test_bass_outside_the_loop_is_ignored_and_chords_of_bass_make_one_snare():
    notes = build_beat(LoopStructure(Meter(4, 4), 1), bass(4, 4, 4, 16, 30))
    assert steps(notes, Instrument.SNARE) == [4]


def test_beat_carries_gm_pitches_and_accents_the_bar_and_the_pulse():
    notes = build_beat(LoopStructure(Meter(6, 8), 1), bass(6, 7))
    by = {(n.instrument, n.onset): n for n in notes}
    assert {n.pitch for n in notes} == {36, 38, 42}
    hats = [by[(Instrument.CLOSED_HAT, s)].velocity for s in (0, 2, 6)]
    assert hats[0] > hats[1] and hats[2] > hats[1]  # 6/8: the pulse is the dotted quarter
    assert by[(Instrument.SNARE, 6)].velocity > by[(Instrument.SNARE, 7)].velocity
