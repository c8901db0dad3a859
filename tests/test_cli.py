import logging
import logging.handlers

from psc_looper.cli import setup_logging


def test_logging_goes_through_a_queue_so_the_loop_thread_never_writes():
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        root.handlers = []
        setup_logging(verbose=False)
        setup_logging(verbose=False)  # idempotent
        handlers = [h for h in root.handlers if isinstance(h, logging.handlers.QueueHandler)]
        assert len(handlers) == 1 and root.handlers == handlers
    finally:
        root.handlers, _ = saved
        root.setLevel(saved[1])
