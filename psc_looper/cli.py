"""The ``psc-looper`` command line: one subcommand per module in ``psc_looper.commands``."""

from __future__ import annotations

import argparse
import logging
import sys

from psc_looper.commands import demo, replay, run, train

COMMANDS = [run, train, replay, demo]  # each module: register(subparsers)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="psc-looper", description="A live AI jazz looper.")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
