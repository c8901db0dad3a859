"""Grooves: one loop long, aligned to the loop's steps, mapped onto the nine drum sounds."""

import pytest

from psc_looper.drums.beat import build_beat
from psc_looper.drums.groove import generate_groove, groove_notes, primer_hits
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.models import DrumHit, Sampling
from psc_looper.osc.protocol import DRUMS, Instrument
from psc_looper.timing.meter import LoopStructure, Meter
from tests.drums.conftest import ScriptedModel


def test_primer_is_one_loop_of_gm_hits_from_step_zero():
    structure = LoopStructure(Meter(4, 4), 1)
    notes = [*build_beat(structure, []),
             LoopNote(3, Track.BASS, Instrument.BASS, 40),  # not a drum: dropped
             LoopNote(20, Track.DRUMS, Instrument.RIDE, 51)]  # outside the loop: dropped
    hits = primer_hits(notes, structure)
    assert hits == sorted([DrumHit(0, 36), *(DrumHit(s, 42) for s in range(0, 16, 2))])


def test_generated_steps_are_loop_steps_and_pitches_map_by_class():
    structure = LoopStructure(Meter(5, 4), 1)  # 20 steps
    model = ScriptedModel([DrumHit(0, 35), DrumHit(0, 36), DrumHit(5, 44), DrumHit(7, 59),
                           DrumHit(19, 49), DrumHit(20, 38), DrumHit(3, 100)])
    beat = build_beat(structure, [])
    options = Sampling(temperature=0.5, beam_size=2, branch_factor=3, seed=9)
    notes = generate_groove(model, beat, structure, options)  # type: ignore[arg-type]
    assert [(n.onset, n.instrument, n.pitch) for n in notes] == [
        (0, Instrument.KICK, 36), (5, Instrument.CLOSED_HAT, 42), (7, Instrument.RIDE, 51),
        (19, Instrument.CRASH, 49)]
    ((primer, primer_steps, num_steps, kwargs),) = model.calls
    assert (primer_steps, num_steps) == (20, 20)
    assert primer == primer_hits(beat, structure)
    assert kwargs == {"temperature": 0.5, "beam_size": 2, "branch_factor": 3, "seed": 9}


@pytest.mark.parametrize(
    "structure",
    [LoopStructure(Meter(4, 4), 1), LoopStructure(Meter(7, 8), 2), LoopStructure(Meter(6, 8), 1)],
)
def test_drumsrnn_groove_fills_exactly_one_loop(drums_model, structure):
    beat = build_beat(structure, [])
    notes = generate_groove(drums_model, beat, structure, Sampling(seed=3))
    assert notes, "the tiny untrained model always plays something"
    assert max(n.onset for n in notes) < structure.steps
    assert {n.instrument for n in notes} <= set(DRUMS)
    assert len({(n.onset, n.instrument) for n in notes}) == len(notes)
    assert notes == groove_notes(
        [DrumHit(n.onset, n.pitch) for n in notes], structure), "pitches are the class pitches"


def test_same_seed_same_groove(drums_model):
    structure = LoopStructure(Meter(4, 4), 1)
    beat = build_beat(structure, [])
    first, second, other = (
        generate_groove(drums_model, beat, structure, Sampling(seed=s)) for s in (5, 5, 6))
    assert first == second
    assert first != other
