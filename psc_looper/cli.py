"""The ``psc-looper`` command: ``run`` starts the instrument."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from psc_looper.app import Backend, BackendConfig
from psc_looper.osc.protocol import BACKEND_PORT, BRIDGE_PORT, DEFAULT_LOOKAHEAD_SECONDS

log = logging.getLogger("psc_looper")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="psc-looper", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start the backend (and the SuperCollider bridge)")
    run.add_argument("--listen-port", type=int, default=BACKEND_PORT)
    run.add_argument("--bridge-port", type=int, default=BRIDGE_PORT)
    run.add_argument("--untimed", action="store_true",
                     help="send loop events plain at their time instead of time-tagged ahead")
    run.add_argument("--lookahead", type=float, default=DEFAULT_LOOKAHEAD_SECONDS)
    run.add_argument("--controller", type=Path, action="append",
                     help="controller map TOML (repeatable; default: nanoKONTROL2)")
    run.add_argument("--status", choices=("auto", "tty", "log", "off"), default="auto")
    run.add_argument("--duration", type=float, default=None,
                     help="stop after this many seconds (default: run until Ctrl-C)")
    run.add_argument("-v", "--verbose", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "run":
        return run(args)
    return 2


def run(args: argparse.Namespace) -> int:
    from psc_looper.ui.status import StatusView

    config = BackendConfig(
        listen_port=args.listen_port,
        bridge_port=args.bridge_port,
        timed=not args.untimed,
        lookahead=args.lookahead,
    )
    if args.controller:
        config.controller_maps = args.controller
    backend = Backend(config)
    done = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: done.set())
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    backend.start()
    view = None
    if args.status != "off":
        view = StatusView(backend.looper, backend.dispatcher.malformed_counts,
                          tty=None if args.status == "auto" else args.status == "tty")
        view.start()
    print(f"psc-looper: listening on {config.listen_host}:{config.listen_port}, "
          f"sending to {config.bridge_host}:{config.bridge_port}; Ctrl-C to stop", flush=True)
    done.wait(args.duration)
    if view is not None:
        view.stop()
    backend.close()
    print("psc-looper: stopped, all notes off", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
