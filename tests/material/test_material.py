"""The two-handed material: what it holds, and the machine on it (a scripted, leaping
line, so the rules are what is measured): melody only substituted, never under the
left hand, leaps and jumps bounded, every note ended."""

import mido
import pytest

from material.measure import material_files, measure, truth_of
from psc_looper.improv import ImprovOptions
from psc_looper.sessions.reader import read_session
from tests.improv.conftest import ScriptedMelody

LEAPING = [60, 79, 52, 84, 67, 48, 72, 91, 55, 74, 62, 86, 50, 77, 65, 88, 57, 70, 45, 81]


def test_the_material_is_what_real_recordings_are():
    paths = {p.stem: p for p in material_files()}
    files = {name: mido.MidiFile(path) for name, path in paths.items()}
    assert len(files) >= 6
    kinds = {midi.type for midi in files.values()}
    assert kinds == {0, 1}
    messages = {name: [m for track in midi.tracks for m in track] for name, midi in files.items()}
    assert any(any(getattr(m, "channel", None) == 9 for m in ms) for ms in messages.values())
    assert any(sum(m.type == "set_tempo" for m in ms) > 1 for ms in messages.values())
    for name, ms in messages.items():
        assert any(m.type == "control_change" and m.control == 64 for m in ms), name
        hands = {hand for presses in truth_of(paths[name]).values() for _, hand in presses}
        assert hands == {"melody", "voicing", "bass"}, name


@pytest.mark.parametrize("path", material_files(), ids=lambda p: p.stem)
def test_the_machine_on_two_hands(path, tmp_path):
    figures = measure(path, ImprovOptions(threshold=8, breath_steps=1, through_bars=0),
                      tmp_path / "out.mid",
                      model=ScriptedMelody(LEAPING))
    assert figures.unmatched == 0  # every note-on of the output has its note-off
    assert figures.below == 0  # never at or under the accompaniment sounding
    assert figures.takeovers >= 1 and figures.machine_notes >= 8
    assert figures.accompaniment_taken <= 0.05 * figures.machine_notes + 2
    # a line leaping over a fifth every note folds by octaves: no more leaps than the player
    # (5 points, and one leap: a turn begun on a voicing key taken for the melody lifts
    # the next note over the voicing, as on blackbird)
    one = 100 / max(1, figures.machine_leaps[1])
    assert figures.share(figures.machine_leaps) <= figures.share(figures.melody_leaps) + 5 + one
    assert max(figures.jumps) <= 12


def test_the_pedal_and_drums_of_the_material_reach_the_replay():
    path = next(p for p in material_files() if any(
        getattr(m, "channel", None) == 9 for t in mido.MidiFile(p).tracks for m in t))
    session = read_session(path)
    assert any("drums" in notice for notice in session.notices)
    assert any(e.args[0] == 64 for e in session.inputs if e.address == "/ccevent")


def test_the_generator_rebuilds_the_material_byte_for_byte(tmp_path):
    from material.make_material import build

    written = build(material_files()[0].parents[1] / "data" / "wjazzd", tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in material_files())
    for path in material_files():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
        hands = path.with_suffix(".hands.json")
        assert (tmp_path / hands.name).read_bytes() == hands.read_bytes(), hands.name


def test_chord_tones_read_the_chord_the_left_hand_struck_just_before():
    from material.measure import Press, chord_tones

    left = [Press(0.0, k, "voicing") for k in (50, 53, 57, 60)] + \
        [Press(4.0, k, "voicing") for k in (55, 59, 62, 65)]
    notes = [(1.0, 62), (1.5, 64), (4.5, 71), (3.0, 61)]  # D in Dm7; E not; B in G7; no chord
    assert chord_tones(notes, left) == (2, 3)
