"""JACK's period chosen by a short probe, and xruns counted from our jackd's log."""

import pytest

from psc_looper.sc.jack import JackServer
from psc_looper.sc.period import CANDIDATES, Choice, XrunWatch, probed


class FakeBridge:
    """A started bridge whose jackd logs ``during`` xruns while the probe waits."""

    def __init__(self, period: int, during: int, ours: bool = True) -> None:
        self.period, self.during, self.ours = period, during, ours
        self.count = 3  # xruns while it started: they do not count
        self.stopped = False

    def xruns(self) -> int | None:
        return self.count if self.ours else None

    def stop(self) -> None:
        self.stopped = True


def probe(xruns_by_period: dict[int, int], ours: bool = True):
    started: list[FakeBridge] = []
    current: list[FakeBridge] = []

    def start(period: int) -> FakeBridge:
        bridge = FakeBridge(period, xruns_by_period.get(period, 0), ours)
        started.append(bridge)
        current[:] = [bridge]
        return bridge

    def wait(seconds: float) -> None:
        assert seconds == pytest.approx(1.0)
        current[0].count += current[0].during

    bridge, choice = probed(start, wait=wait)
    return bridge, choice, started


def test_the_smallest_period_without_xruns_is_kept_running():
    bridge, choice, started = probe({})
    assert choice == Choice(64, ()) and bridge.period == 64 and not bridge.stopped
    assert [b.period for b in started] == [64]
    assert choice.describe(48000) == ("JACK period 64 frames (1.33 ms at 48000 Hz): 64 none "
                                      "in a 1 s probe (--period sets it)")


def test_a_period_with_xruns_is_stopped_and_the_next_one_tried():
    bridge, choice, started = probe({64: 2})
    assert choice == Choice(128, ((64, 2),)) and bridge.period == 128
    assert [(b.period, b.stopped) for b in started] == [(64, True), (128, False)]
    assert choice.describe(48000) == ("JACK period 128 frames (2.67 ms at 48000 Hz): 64 had "
                                      "2 xruns, 128 none in a 1 s probe (--period sets it)")


def test_the_largest_period_stands_unprobed_when_every_smaller_one_fails():
    bridge, choice, started = probe({64: 1, 128: 5, 256: 9})
    assert [b.period for b in started] == [64, 128, 256]
    assert choice.period == CANDIDATES[-1] == bridge.period and not bridge.stopped
    assert choice.tried == ((64, 1), (128, 5)) and not choice.probed
    assert choice.describe(48000).endswith(
        "64 had 1 xrun, 128 had 5 xruns in a 1 s probe, so 256 stands (--period sets it)")


def test_a_jack_server_not_ours_keeps_its_own_period_and_is_not_probed():
    bridge, choice, started = probe({64: 4}, ours=False)
    assert choice.period is None and len(started) == 1 and not bridge.stopped
    assert "already running" in choice.describe(48000)


def test_xruns_are_counted_from_the_log_as_it_grows(tmp_path):
    log = tmp_path / "jackd.log"
    log.write_text("an old jackd: JackEngine::XRun: client = x\n")
    jack = JackServer(log_path=log)
    with open(log, "ab") as out:  # what ensure() does when it starts jackd
        jack._log_read = out.tell()
    jack.started = True
    assert jack.xruns() == 0  # the old jackd's lines do not count
    with open(log, "a") as out:
        out.write("JackTimedDriver::Process XRun = 1805 usec\nJackEngine::XRun: client = Super")
    assert jack.xruns() == 1  # the unfinished line waits for its end
    with open(log, "a") as out:
        out.write("Collider was not finished\nsomething else\n")
    assert jack.xruns() == 2


def test_the_status_line_shows_the_xruns_since_the_bridge_was_up():
    bridge = FakeBridge(64, 0)
    watch = XrunWatch(bridge, 64, 48000)
    assert watch.describe() == "JACK 64 frames @ 48000 Hz, 0 xruns"
    bridge.count += 1
    assert watch.describe() == "JACK 64 frames @ 48000 Hz, 1 xrun (clicks, gaps)"
    assert "not ours" in XrunWatch(FakeBridge(64, 0, ours=False), 64, 48000).describe()
