"""The learned bass's training set: the filter, the segments (cut where the Markov
baseline's likelihood stops counting) and the next chord each beat sees."""

from __future__ import annotations

import numpy as np
import pytest

from psc_looper.band.bassnet import INPUT_SIZE, MAX_LEAP, REGISTER, encode
from psc_looper.band.markov import MarkovBass
from psc_looper.band.metrics import chord_line
from psc_looper.band.walker import HIGH, LOW
from psc_looper.harmony.chords import parse_chord
from psc_looper.training.bassdata import NO_FILTER, BassFilter, segments, transposed, windows

F7, BB7 = parse_chord("F7"), parse_chord("Bb7")


def line(pitches, chords=None):  # type: ignore[no-untyped-def]
    chords = chords or [F7] * 4 + [BB7] * 4
    chords = (chords * (len(pitches) // len(chords) + 1))[:len(pitches)]
    return chord_line(chords, [k % 4 for k in range(len(pitches))], pitches)


WALKING = [41, 45, 48, 51, 46, 50, 53, 44] * 4  # F A C Eb | Bb D F Ab: chord tones
REPEATING = [41, 41, 41, 41, 46, 46, 46, 46] * 4


def test_the_filter_keeps_a_walking_line_and_drops_repeats_and_odd_meters() -> None:
    assert BassFilter().keeps(4, line(WALKING))
    assert not BassFilter().keeps(4, line(REPEATING))
    assert not BassFilter().keeps(5, line(WALKING))
    assert NO_FILTER.keeps(4, line(REPEATING))
    off_chord = [42, 44, 49, 47, 39, 43, 40, 45] * 4  # no chord tone on beat 1
    assert not BassFilter().keeps(4, line(off_chord))


def test_segments_see_the_next_beats_chord_and_cut_at_gaps_and_leaps() -> None:
    pitches = [41, 45, 48, 51, None, 50, 53, 44, 20, 45, 48, 51, 46]
    segs = segments(line(pitches))
    # 41 primes 3 beats; None cuts; 50 primes 2; 20 is out of the register and primes
    # nothing it can reach (45 is 25 away), so 45 primes the rest
    assert [(s.first, s.pitches) for s in segs] == [
        (41, (45, 48, 51)), (50, (53, 44)), (45, (48, 51, 46))]
    last = segs[0].beats[-1]  # beat 4 of an F7 bar: the next beat is Bb7
    assert (last.chord, last.following, last.in_bar, last.change) == (F7, BB7, 3, False)
    first_bb = segs[1].beats[0]
    assert first_bb.chord == BB7 and first_bb.following == BB7
    end = segs[-1].beats[-1]  # the line's last beat (Bb7): its own chord next
    assert end.chord == end.following == BB7 and end.change


def test_segments_count_the_beats_the_markov_likelihood_counts() -> None:
    pitches = [41, 45, 48, 51, None, 50, 53, 44, 20, 45, 48, 51, 46, 70, 46, 41]
    counted = sum(len(s.pitches) for s in segments(line(pitches)))
    model = MarkovBass(1).train([line(WALKING)])
    calls = []
    real = model._weights

    def spy(last, chord, keys):  # type: ignore[no-untyped-def]
        calls.append(last)
        return real(last, chord, keys)

    model._weights = spy  # type: ignore[method-assign]
    model.bits_per_beat([line(pitches)])
    assert counted == len(calls) == 9


def test_encoding_holds_the_next_chord_and_whether_it_changes() -> None:
    seg = segments(line(WALKING))[0]
    x = encode(seg.beats[2], 51, 3)  # beat 4 of F7 after Eb (51): Bb7 comes next
    assert x.shape == (INPUT_SIZE,)
    assert x[51 - LOW] == 1 and x[REGISTER + 3 + MAX_LEAP] == 1
    next_root = REGISTER + 2 * MAX_LEAP + 1 + 24  # the next chord's root, relative to Eb
    assert x[next_root + (10 - 3) % 12] == 1  # Bb is 7 semitones above Eb
    assert x[-1] == 1 and x[-2] == 0  # the chord changes next, not now
    same = encode(seg.beats[0], 41, None)
    assert same[-1] == 0 and same[REGISTER:REGISTER + 2 * MAX_LEAP + 1].sum() == 0


def test_transposed_stays_in_the_register_or_is_none() -> None:
    seg = segments(line(WALKING))[0]
    up = transposed(seg, 2)
    assert up is not None and up.first == seg.first + 2
    assert up.beats[0].chord.root == (seg.beats[0].chord.root + 2) % 12
    assert transposed(seg, HIGH - max(seg.pitches) + 1) is None
    assert transposed(seg, LOW - seg.first - 1) is None


@pytest.mark.parametrize("length", [4, 64])
def test_windows_pad_and_mask(length: int) -> None:
    segs = segments(line(WALKING))
    xs, ys, ms = windows(segs, length)
    beats = sum(len(s.pitches) for s in segs)
    assert xs.shape[1:] == (length, INPUT_SIZE) and ms.sum() == beats
    assert np.all(ys[ms == 0] == 0) and np.all(xs[ms == 0] == 0)
    assert ys[0, 0] == WALKING[1] - WALKING[0] + MAX_LEAP


def test_the_shipped_held_out_list_is_the_split_the_bass_was_measured_on() -> None:
    from psc_looper.bundles import DEFAULT_BASS_MODEL
    from psc_looper.training.basslines import held_out_ids

    listed = DEFAULT_BASS_MODEL.with_suffix(".heldout.txt").read_text().split()
    assert set(listed) == held_out_ids() and len(listed) == 46
