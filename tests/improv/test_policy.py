"""When the machine may take over: boundary first, then a breath."""

from psc_looper.improv.options import Boundary
from psc_looper.improv.policy import ANY_STEP, had_breath, is_boundary, may_take_over
from psc_looper.timing.meter import LoopStructure, Meter


def test_boundaries_by_rule():
    three_four = LoopStructure(Meter(3, 4), 2)
    assert [p for p in range(24) if is_boundary(p, three_four, Boundary.BAR)] == [0, 12]
    assert [p for p in range(24) if is_boundary(p, three_four, Boundary.LOOP)] == [0]
    assert all(is_boundary(p, three_four, Boundary.NONE) for p in range(24))


def test_never_before_the_boundary_but_half_a_step_early_counts():
    assert not may_take_over(20.0, None, None, 0, 2)
    assert not may_take_over(31.4, 32, None, 0, 2)
    assert may_take_over(31.6, 32, None, 0, 2)
    assert may_take_over(-5.0, ANY_STEP, None, 0, 2)


def test_after_the_boundary_a_breath_is_needed():
    assert not may_take_over(33.0, 32, 32.0, 0, 2)  # inside a run
    assert may_take_over(34.0, 32, 32.0, 0, 2)
    assert may_take_over(33.0, 32, 30.5, 0, 2)  # the rest began before the bar line
    assert not may_take_over(40.0, 32, 30.0, 1, 2)  # a key still down: no rest


def test_breath_off():
    assert had_breath(10.0, 9.9, 3, 0)
    assert had_breath(10.0, None, 0, 2)
