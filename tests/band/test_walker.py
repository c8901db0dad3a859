"""The walking bass and its metrics, pure: a 12-bar blues, the register, roots at changes."""

from __future__ import annotations

from psc_looper.band.markov import MarkovBass
from psc_looper.band.metrics import chord_line, measure
from psc_looper.band.walker import HIGH, LOW, Walker
from psc_looper.harmony.chart import parse_chart

BLUES = "F7 | Bb7 | F7 | Cm7 F7 | Bb7 | Bdim7 | F7 | D7 | Gm7 | C7 | F7 D7 | Gm7 C7"


def blues_beats(choruses: int = 4) -> list:
    chart = parse_chart(BLUES)
    return [chart.chord_at(k, 4) for k in range(48 * choruses)]


def test_blues_walks_in_quarters_in_the_register_with_roots_at_changes() -> None:
    chords = blues_beats()
    notes = Walker(seed=5).walk(chords)
    assert [n.beat for n in notes] == list(range(len(chords)))
    assert all(LOW <= n.pitch <= HIGH for n in notes)
    for n in notes:
        if n.beat == 0 or chords[n.beat] != chords[n.beat - 1]:
            assert n.pitch % 12 == chords[n.beat].root, n


def test_measured_like_a_walking_bass() -> None:
    chords = blues_beats()
    line = chord_line(chords, [k % 4 for k in range(len(chords))],
                      [n.pitch for n in Walker(seed=1).walk(chords)])
    scores = measure([line])
    assert scores["root on a change"] == 1.0
    assert scores["chord tone, beat 1"] > 0.9
    assert scores["approach into a change"] > 0.6
    assert scores["repeated note"] < 0.05


def test_two_feel_plays_half_notes_on_one_and_three() -> None:
    chords = blues_beats(1)
    notes = Walker(two_feel=True, seed=2).walk(chords)
    assert {n.beat % 4 for n in notes} == {0, 2}
    assert all(n.beats == 2 for n in notes)


def test_same_seed_same_line_and_other_seed_another() -> None:
    chords = blues_beats()
    line = [n.pitch for n in Walker(seed=3).walk(chords)]
    assert line == [n.pitch for n in Walker(seed=3).walk(chords)]
    assert line != [n.pitch for n in Walker(seed=4).walk(chords)]


def test_no_chord_no_note() -> None:
    chart = parse_chart("C7 | NC | F7")
    notes = Walker().walk([chart.chord_at(k, 4) for k in range(12)])
    assert not [n for n in notes if 4 <= n.beat < 8]


def test_markov_learns_from_lines_and_scores_them() -> None:
    chords = blues_beats(8)
    in_bar = [k % 4 for k in range(len(chords))]
    lines = [chord_line(chords, in_bar, [n.pitch for n in Walker(seed=s).walk(chords)])
             for s in range(3)]
    model = MarkovBass(2).train(lines)
    generated = chord_line(chords, in_bar, model.generate(lines[0], seed=1))
    assert measure([generated])["chord tone, beat 1"] > 0.7  # it learned the walker's habit
    assert model.bits_per_beat(lines[:1]) < MarkovBass(2).bits_per_beat(lines[:1])


def test_the_line_keeps_to_the_middle_of_the_register() -> None:
    """Eight choruses of the blues as the band plays them, several seeds, in four and in
    two: never out of G1..B2 for more than a bar, and hardly ever below G1."""
    from psc_looper.band.parts import choruses
    from psc_looper.timing.meter import LoopStructure

    low = total = 0
    for style, beats in (("swing", 1), ("two", 2)):
        for seed in range(6):
            line = [n.pitch for c in choruses(parse_chart(BLUES), LoopStructure(bars=12),
                                              style, seed, 8) for n in c.bass]
            run = 0
            for pitch in line:
                run = 0 if 31 <= pitch <= 47 else run + beats
                assert run <= 4, (style, seed)
            low, total = low + sum(p < 31 for p in line), total + len(line)
    assert low / total < 0.02
