"""The stage view's command-line options (``run --web``) and opening its server."""

from __future__ import annotations

import argparse
import socket

from psc_looper.stage.server import StageServer
from psc_looper.stage.token import needs_token, new_token

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
ANY_HOST = ("0.0.0.0", "::", "")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--web", action="store_true",
                        help="serve the stage view: a page for a tablet or phone on the music "
                             "stand (chart, turn, song, big buttons); its address is printed")
    parser.add_argument("--web-host", default=DEFAULT_HOST, metavar="HOST",
                        help="address the stage view listens on (default %(default)s, this "
                             "machine only; 0.0.0.0: the network, then the page needs the "
                             "random token in the printed address)")
    parser.add_argument("--web-port", type=int, default=DEFAULT_PORT, metavar="PORT",
                        help="the stage view's TCP port (default %(default)s; 0: any free one)")


def listen(args: argparse.Namespace) -> StageServer | None:
    """The stage server, listening, if ``--web`` was given (``StageError``: one line);
    a token when it listens beyond loopback."""
    if not args.web:
        return None
    token = new_token() if needs_token(args.web_host) else None
    return StageServer(args.web_host, args.web_port, token)


def shown_url(server: StageServer) -> str:
    """The address to type on the tablet (this machine's name when it listens on all)."""
    return server.url(socket.gethostname() if server.host in ANY_HOST else None)
