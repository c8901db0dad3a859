"""``psc-looper run``: start the instrument and run until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from psc_looper.app import Backend, BackendConfig
from psc_looper.osc.protocol import BACKEND_PORT, BRIDGE_PORT, DEFAULT_LOOKAHEAD_SECONDS
from psc_looper.sessions import recorder


def register(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="start the backend (and the SuperCollider bridge)")
    run.add_argument("--listen-port", type=int, default=BACKEND_PORT)
    run.add_argument("--bridge-port", type=int, default=BRIDGE_PORT)
    run.add_argument("--untimed", action="store_true",
                     help="send loop events plain at their time instead of time-tagged ahead")
    run.add_argument("--lookahead", type=float, default=DEFAULT_LOOKAHEAD_SECONDS,
                     help="seconds loop events are sent ahead of their time (default %(default)s)")
    run.add_argument("--controller", type=Path, action="append",
                     help="controller map TOML (repeatable; default: nanoKONTROL2)")
    run.add_argument("--status", choices=("auto", "tty", "log", "off"), default="auto")
    run.add_argument("--duration", type=float, default=None,
                     help="stop after this many seconds (default: run until Ctrl-C)")
    recorder.add_arguments(run)
    run.set_defaults(func=main)


def config_from(args: argparse.Namespace) -> BackendConfig:
    config = BackendConfig(
        listen_port=args.listen_port,
        bridge_port=args.bridge_port,
        timed=not args.untimed,
        lookahead=args.lookahead,
    )
    if args.controller:
        config.controller_maps = args.controller
    return config


def main(args: argparse.Namespace) -> int:
    from psc_looper.ui.status import StatusView

    config = config_from(args)
    backend = Backend(config)
    recorder.record_from(backend, args)  # closed with the backend
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
    try:
        done.wait(args.duration)
    finally:
        if view is not None:
            view.stop()
        backend.close()
    print("psc-looper: stopped, all notes off", flush=True)
    return 0
