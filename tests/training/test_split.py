"""The held-out split: whole groups, deterministic for a seed."""

import pytest

from psc_looper.training.pieces import Event, Piece
from psc_looper.training.split import held_out_groups, split


def piece(name, group):
    return Piece(name, group, 4, 4, (Event(60, 0.0, 1.0),))


PIECES = [piece(f"file{g}:groove{k}", f"file{g}") for g in range(40) for k in range(3)]


def test_split_holds_out_whole_groups():
    training, held_out = split(PIECES, 0.1, seed=7)
    held_groups = {p.group for p in held_out}
    assert len(held_groups) == 4
    assert not held_groups & {p.group for p in training}
    assert len(held_out) == 12
    assert len(training) + len(held_out) == len(PIECES)


def test_split_is_deterministic_and_follows_the_seed():
    assert split(PIECES, 0.1, seed=7) == split(list(PIECES), 0.1, seed=7)
    assert held_out_groups([p.group for p in PIECES], 0.1, 7) != held_out_groups(
        [p.group for p in PIECES], 0.1, 8)


def test_split_does_not_depend_on_the_order_of_pieces():
    _, held = split(PIECES, 0.1, seed=3)
    _, held_reversed = split(PIECES[::-1], 0.1, seed=3)
    assert {p.id for p in held} == {p.id for p in held_reversed}


def test_bad_fraction_is_refused():
    with pytest.raises(ValueError, match="fraction"):
        split(PIECES, 1.5)
