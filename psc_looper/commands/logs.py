"""The command line's logging: one queue-fed writer thread, and where it writes.

``setup_logging`` (called once by the cli) makes a log call a queue put on any
thread; ``log_to`` moves the writer to a file while the status view owns the
terminal.
"""

from __future__ import annotations

import atexit
import logging
import logging.handlers
import queue
from typing import TextIO

# The one handler that writes log lines (on the listener thread); ``log_to`` moves it.
LOG_STREAM = logging.StreamHandler()


def log_to(stream: TextIO) -> None:
    """Write the log to ``stream`` from now on (the status view owns the terminal)."""
    LOG_STREAM.setStream(stream)


def setup_logging(verbose: bool) -> None:
    """Log through a queue: a log call on the loop thread or the note path is a queue put;
    a listener thread does the formatting and the writing."""
    root = logging.getLogger()
    if any(isinstance(h, logging.handlers.QueueHandler) for h in root.handlers):
        return
    stream = LOG_STREAM
    stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    listener = logging.handlers.QueueListener(records, stream)
    root.addHandler(logging.handlers.QueueHandler(records))
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    listener.start()
    atexit.register(listener.stop)
