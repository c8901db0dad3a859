"""The ``psc-looper`` command line: one subcommand per module in ``psc_looper.commands``."""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from psc_looper.commands import demo, devices, maps, replay, run, song, train
from psc_looper.commands.logs import setup_logging

COMMANDS = [run, devices, train, replay, demo, song, maps]  # each module: register(subparsers)


def _version() -> str:
    """The installed package's version (setup.cfg), or "unknown" when not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("psc-looper")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="psc-looper", description="A live AI jazz looper.")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}",
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


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
    from psc_looper.sync.link import LinkUnavailable
    from psc_looper.timing.meter import MeterError
    from psc_looper.timing.tempo import TempoError

    return (PerformerConfigError, MappingError, ChartError, ChordError, SplitError,
            OptionsError, ModelError, BridgeError, ChannelError, SessionFileError,
            ScriptError, SongError, LinkUnavailable, MeterError, TempoError, OSError)


def main(argv: list[str] | None = None) -> int:
    """Run a command; a user error is one or two lines on stderr and exit code 2
    (the traceback too with ``-v``)."""
    args = build_parser().parse_args(argv)
    setup_logging(args.verbose)
    if not args.verbose:  # TensorFlow's start-up chatter (model processes inherit it)
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        code: int = args.func(args)
        return code
    except user_errors() as exc:
        if args.verbose:
            traceback.print_exc()
        from psc_looper.tomlfiles import line

        lines = str(exc).strip().splitlines() or [type(exc).__name__]
        print(f"psc-looper: error: {line(lines[0])}", file=sys.stderr)
        if len(lines) > 1:
            print(f"  {line(lines[1])}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
