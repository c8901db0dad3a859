"""The ``psc-looper`` command line: one subcommand per module in ``psc_looper.commands``."""

from __future__ import annotations

import argparse
import atexit
import logging
import logging.handlers
import queue
import sys
from typing import TextIO

from psc_looper.commands import demo, maps, replay, run, song, train

COMMANDS = [run, train, replay, demo, song, maps]  # each module: register(subparsers)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="psc-looper", description="A live AI jazz looper.")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(args.verbose)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
