"""The stage view's command-line options (``run --web``) and opening its server."""

from __future__ import annotations

import argparse
import socket

from psc_looper.stage.server import StageServer
from psc_looper.stage.token import needs_token, new_token

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
ANY_HOST = ("0.0.0.0", "::", "")
UNROUTED = ("10.255.255.255", 1)  # a UDP "connect" there picks the LAN address; sends nothing


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--web", action="store_true",
                        help="serve the stage view: a page for a tablet or phone on the music "
                             "stand (chart, turn, song, big buttons); its address is printed")
    parser.add_argument("--web-host", metavar="HOST",
                        help=f"address the stage view listens on (implies --web; default "
                             f"{DEFAULT_HOST}, this machine only; 0.0.0.0: the network, and "
                             "then the page needs the random token in the printed address)")
    parser.add_argument("--web-port", type=port, metavar="PORT",
                        help=f"the stage view's TCP port (implies --web; default {DEFAULT_PORT}; "
                             "0: any free one)")


def port(text: str) -> int:
    """A TCP port number, 0..65535 (argparse's one-line error otherwise)."""
    try:
        number = int(text)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r}: want a port number, 0..65535")
    return number


def listen(args: argparse.Namespace) -> StageServer | None:
    """The stage server, listening, if ``--web`` (or its host or port) was given
    (``StageError``: one line); with a token when it listens beyond loopback."""
    if not (args.web or args.web_host or args.web_port is not None):
        return None
    host = args.web_host or DEFAULT_HOST
    token = new_token() if needs_token(host) else None
    return StageServer(host, DEFAULT_PORT if args.web_port is None else args.web_port, token)


def shown_url(server: StageServer) -> str:
    """The address to type on the tablet (this machine's LAN address when it listens on
    all of them)."""
    return server.url(_lan_address() if server.host in ANY_HOST else None)


def _lan_address() -> str:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(UNROUTED)
            return str(probe.getsockname()[0])
    except OSError:
        return socket.gethostname()
