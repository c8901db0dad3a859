"""The ``psc-looper`` command line: one subcommand per module in ``psc_looper.commands``."""

from __future__ import annotations

import argparse
import atexit
import logging
import logging.handlers
import os
import queue
import sys
import traceback
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


def user_errors() -> tuple[type[Exception], ...]:
    """What a user's input can raise (a file, an option): a line each, no traceback."""
    from psc_looper.config.performer import PerformerConfigError
    from psc_looper.control.mapping import MappingError
    from psc_looper.harmony.chart import ChartError
    from psc_looper.harmony.chords import ChordError
    from psc_looper.improv.hands import SplitError
    from psc_looper.improv.options import OptionsError
    from psc_looper.models.errors import ModelError
    from psc_looper.sc.launcher import BridgeError
    from psc_looper.sessions.foreign import ChannelError
    from psc_looper.sessions.reader import SessionFileError
    from psc_looper.sessions.script import ScriptError
    from psc_looper.songs.song import SongError
    from psc_looper.timing.meter import MeterError
    from psc_looper.timing.tempo import TempoError

    return (PerformerConfigError, MappingError, ChartError, ChordError, SplitError,
            OptionsError, ModelError, BridgeError, ChannelError, SessionFileError,
            ScriptError, SongError, MeterError, TempoError, OSError)


def main(argv: list[str] | None = None) -> int:
    """Run a command; a user error is one or two lines on stderr and exit code 2
    (the traceback too with ``-v``)."""
    args = build_parser().parse_args(argv)
    setup_logging(args.verbose)
    if not args.verbose:  # TensorFlow's start-up chatter (model processes inherit it)
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        return args.func(args)
    except user_errors() as exc:
        if args.verbose:
            traceback.print_exc()
        from psc_looper.config.toml import line

        lines = str(exc).strip().splitlines() or [type(exc).__name__]
        print(f"psc-looper: error: {line(lines[0])}", file=sys.stderr)
        if len(lines) > 1:
            print(f"  {line(lines[1])}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
