import pytest

from psc_looper.looper.click import click_track
from psc_looper.osc.protocol import Instrument
from psc_looper.timing.meter import LoopStructure, Meter


def _by_instrument(structure):
    out = {}
    for note in click_track(structure):
        out.setdefault(note.instrument, []).append(note.onset)
    return out


@pytest.mark.parametrize(
    ("num", "den", "bars", "bar_starts", "beat_every"),
    [
        (4, 4, 2, [16], 4),
        (3, 4, 3, [12, 24], 4),
        (5, 4, 1, [], 4),
        (7, 8, 2, [14], 2),
        (6, 8, 2, [12], 2),
        (12, 16, 2, [12], 1),
    ],
)
def test_three_clicks_for_every_meter(num, den, bars, bar_starts, beat_every):
    structure = LoopStructure(Meter(num, den), bars)
    clicks = _by_instrument(structure)
    assert clicks[Instrument.CLICK_START] == [0]
    assert clicks.get(Instrument.CLICK_BAR, []) == bar_starts
    beats = [s for s in range(0, structure.steps, beat_every) if s != 0 and s not in bar_starts]
    assert clicks[Instrument.CLICK_BEAT] == beats
    # one click per beat, never two on the same step
    assert len(click_track(structure)) == structure.steps // beat_every
