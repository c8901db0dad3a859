"""The follower in its own process answers with the same pitches as in this one (same
seed, same steps, same harmony), a harmony change reaches it, and a dead process is a
GenerationError, never a hang."""

from __future__ import annotations

import pytest

from psc_looper.bundles import DEFAULT_IMPROV_BUNDLE
from psc_looper.harmony.chart import parse_chart
from psc_looper.improv.changes import Changes
from psc_looper.improv.follower import Follower, primer_events
from psc_looper.improv.follower_process import FollowerProcess, RemoteFollower
from psc_looper.improv.streaming import load_stepper
from psc_looper.inference.configs import IMPROV_RNN
from psc_looper.models.errors import GenerationError

pytestmark = pytest.mark.slow
PHRASE = [(0.1, 1.8, 74), (2.0, 3.0, 72), (4.2, 6.0, 69), (8.0, 9.0, 65), (10.0, 12.0, 67)]
CHART, OTHER = Changes(chart=parse_chart("Dm7 G7 | Cmaj7 |")), Changes(chart=parse_chart("Eb7 |"))


@pytest.fixture(scope="module")
def process():
    child = FollowerProcess()
    yield child
    child.close()


def run(follower, start, observe):
    events = primer_events(PHRASE, 0, 15)
    start(events, [CHART.at(s) for s in range(16)])
    sounded = []
    for step in range(16, 40):
        if step % 3 == 0:
            pitch = follower.take(float(step), 70)
            follower.sounded(float(step), pitch)
            sounded.append(pitch)
        observe(step)
    return sounded


def test_the_process_answers_as_this_one_does(process):
    local = Follower(load_stepper(str(DEFAULT_IMPROV_BUNDLE), IMPROV_RNN), seed=3)
    here = run(local, lambda e, c: local.start(e, c, 16, CHART.at, None),
               lambda step: local.observe_all([(step, None)]))
    remote = RemoteFollower(process, str(DEFAULT_IMPROV_BUNDLE), IMPROV_RNN, seed=3)
    there = run(remote, lambda e, c: remote.start_remote(e, c, 16, CHART, None),
                lambda step: remote.observe_all([(step, None)], CHART))
    assert here == there and len(here) == 8
    assert remote.stats.step_seconds and not remote.stats.fallbacks


def test_a_harmony_change_reaches_the_process(process):
    def line(second):
        remote = RemoteFollower(process, str(DEFAULT_IMPROV_BUNDLE), IMPROV_RNN, seed=3)
        return run(remote, lambda e, c: remote.start_remote(e, c, 16, CHART, None),
                   lambda step: remote.observe_all([(step, None)], second))

    assert line(CHART) != line(OTHER)


def test_a_dead_process_is_an_error_not_a_hang():
    child = FollowerProcess()
    remote = RemoteFollower(child, str(DEFAULT_IMPROV_BUNDLE), IMPROV_RNN, seed=3)
    remote.start_remote([60, -2], [None, None], 2, CHART, None)
    child._proc.kill()
    child._proc.join()
    with pytest.raises(GenerationError):
        remote.observe_all([(2, None)], CHART)
    child.close()
