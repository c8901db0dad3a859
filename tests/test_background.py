import threading

from psc_looper.background import Submitted, Worker


def test_jobs_run_in_the_background_one_at_a_time_and_the_newest_waiting_wins():
    worker = Worker("test")
    gate = threading.Event()
    done = []
    try:
        assert worker.submit(lambda: gate.wait(5) and "first", done.append) is Submitted.STARTED
        while not worker._running:  # the first job has been picked up
            threading.Event().wait(0.001)
        assert worker.submit(lambda: "second", done.append) is Submitted.QUEUED
        assert worker.submit(lambda: "third", done.append) is Submitted.REPLACED
        assert worker.busy
        gate.set()
        assert worker.wait_idle(5)
        assert [o.result for o in done] == ["first", "third"]
    finally:
        worker.close()


def test_a_failing_job_is_reported_and_the_worker_keeps_working():
    worker = Worker("test")
    done = []
    try:
        worker.submit(lambda: 1 / 0, done.append)
        worker.wait_idle(5)
        worker.submit(lambda: 42, done.append)
        worker.wait_idle(5)
        assert isinstance(done[0].error, ZeroDivisionError) and not done[0].ok
        assert done[1].result == 42
    finally:
        worker.close()


def test_inline_worker_runs_on_the_callers_thread():
    worker = Worker("inline", inline=True)
    seen = []
    worker.submit(lambda: threading.current_thread().name, seen.append)
    assert seen[0].result == threading.current_thread().name
