import threading

from psc_looper.timing.clock import RealClock, VirtualClock


def test_virtual_clock_jumps_to_deadline_and_never_goes_back():
    clock = VirtualClock(start=1.0, wall_origin=1000.0)
    assert clock.sleep_until(5.0)
    assert clock.now() == 5.0
    clock.advance_to(3.0)
    assert clock.now() == 5.0
    assert clock.to_wall(5.0) == 1005.0


def test_virtual_clock_sleep_refuses_when_stopped():
    stop = threading.Event()
    stop.set()
    clock = VirtualClock()
    assert not clock.sleep_until(10.0, stop)
    assert clock.now() == 0.0


def test_real_clock_wakes_at_or_after_deadline():
    clock = RealClock()
    deadline = clock.now() + 0.01
    assert clock.sleep_until(deadline)
    assert clock.now() >= deadline


def test_real_clock_sleep_interrupted_by_stop():
    clock = RealClock()
    stop = threading.Event()
    threading.Timer(0.02, stop.set).start()
    start = clock.now()
    assert not clock.sleep_until(start + 5.0, stop)
    assert clock.now() - start < 1.0


def test_real_clock_wall_mapping_tracks_time():
    import time

    clock = RealClock()
    assert abs(clock.to_wall(clock.now()) - time.time()) < 0.05
