"""The stage view's HTTP and WebSocket server: the page at ``/``, the state at ``/ws``.

Built on ``websockets`` (its threaded server, ``websockets.sync``): one maintained
library with no dependencies of its own that does both the WebSocket protocol and the
few plain HTTP answers a single page needs (``process_request``), on ordinary threads,
so no asyncio loop runs beside the instrument's threads; aiohttp would bring a whole
web framework and seven dependencies for one page and one socket.

The socket is bound at construction (a port in use is a ``StageError`` before the
instrument starts). Every request, page or socket, needs the token when there is one
(``stage.token``); a refused one is a 403 and one log line. A socket must come from
the page's own origin (a site in the same browser cannot press the buttons). Each
page's thread pushes the state (``state()``, JSON text) when it changed, at most
``rate`` times a second (``stage.pacing``) and only when the page's socket can take it
(a page that stops reading never blocks its thread; after ``STALL_SECONDS`` it is
closed), and reads the page's messages between pushes (``stage.messages``): a bad one
is one log line and ignored; a good one is ``press(action)``, within the presses' rate
limit. One over the size limit closes that page's socket (one log line; the page
connects again). At most ``guard.MAX_CONNECTIONS`` are served at once; the log lines of
refusals and floods are throttled (``stage.guard``).
"""

from __future__ import annotations

import errno
import logging
import select
import socket
import threading
import time
from collections.abc import Callable
from importlib import resources
from urllib.parse import urlsplit

from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed, ConnectionClosedError
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from psc_looper.stage.guard import Bucket, Cap, Throttle
from psc_looper.stage.messages import MAX_MESSAGE_CHARS, BadMessage, parse_message
from psc_looper.stage.pacing import MAX_PUSHES_PER_SECOND, Pacer
from psc_looper.stage.token import token_ok

log = logging.getLogger(__name__)
LIBRARY_LOG = logging.getLogger(f"{__name__}.websockets")  # its own lines: warnings only
LIBRARY_LOG.setLevel(logging.WARNING)

SOCKET_PATH = "/ws"
PAGE_PATHS = ("/", "/index.html")
OPEN_SECONDS = 5.0  # a request must arrive within this (a silent socket holds a slot no longer)
CLOSE_SECONDS = 1.0  # a closing page's answer is waited for this long
STALL_SECONDS = 10.0  # a page whose socket takes nothing this long is closed


class StageError(OSError):
    """The stage view cannot listen (one line, naming the address and the option)."""


def page() -> bytes:
    """The page: ``assets/stage.html`` with its style and script put in (one request,
    nothing fetched from anywhere else)."""
    assets = resources.files("psc_looper.stage") / "assets"
    html = (assets / "stage.html").read_text(encoding="utf-8")
    for name in ("stage.css", "stage.js"):
        html = html.replace(f"/*{name}*/", (assets / name).read_text(encoding="utf-8"))
    return html.encode()


class StageServer:
    """Listens from construction; serves from ``start`` until ``stop``."""

    def __init__(self, host: str, port: int, token: str | None,
                 rate: float = MAX_PUSHES_PER_SECOND) -> None:
        self.host, self.token, self.rate = host, token, rate
        try:
            self._sock = socket.create_server((host, port))
        except OSError as exc:
            busy = exc.errno == errno.EADDRINUSE
            why = "is in use" if busy else f"cannot be opened ({_reason(exc)})"
            raise StageError(f"stage view: {host}:{port} {why} (choose another with "
                             f"--web-port{'' if busy else ' or --web-host'})") from None
        self.port: int = self._sock.getsockname()[1]
        self._page = page()
        self._state: Callable[[], str] = str
        self._press: Callable[[str], bool] = lambda _action: False
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._cap, self._presses, self._lines = Cap(), Bucket(), Throttle(log)
        self.pushes = 0  # state messages sent, all pages (read by the bench)

    def url(self, shown_host: str | None = None) -> str:
        """The page's address (with the token when there is one)."""
        host = shown_host or self.host
        host = f"[{host}]" if ":" in host else host
        query = f"?token={self.token}" if self.token else ""
        return f"http://{host}:{self.port}/{query}"

    def start(self, state: Callable[[], str], press: Callable[[str], bool]) -> None:
        """Serve: ``state()`` is pushed to each page, ``press(action)`` runs its buttons."""
        self._state, self._press = state, press
        self._server = serve(self._connection, sock=self._sock, process_request=self._request,
                             max_size=MAX_MESSAGE_CHARS * 4, compression=None,
                             open_timeout=OPEN_SECONDS, close_timeout=CLOSE_SECONDS,
                             logger=LIBRARY_LOG)
        server = self._server

        def forget() -> None:  # a refused connection's thread, as the library's handler does
            with server.lock:
                server.handler_threads.discard(threading.current_thread())

        server.handler = self._cap.wrap(server.handler, self._refused, forget)
        self._thread = threading.Thread(target=self._server.serve_forever, name="stage",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Close every page and stop serving (idempotent)."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server = None
        else:
            self._sock.close()
        if self._thread is not None:
            self._thread.join(timeout=2)

    # ------------------------------------------------------------------ requests
    def _request(self, connection: ServerConnection, request: Request) -> Response | None:
        """The page, a 403 or a 404; None lets a socket's handshake go on."""
        path, _, query = request.path.partition("?")
        peer = _peer(connection)
        if not token_ok(query, self.token):
            log.warning("stage view: refused %s (%s): wrong or missing token", peer, path)
            return connection.respond(403, "wrong or missing token\n")
        if path == SOCKET_PATH:
            origin = request.headers.get("Origin")
            if origin is not None and urlsplit(origin).netloc != request.headers.get("Host"):
                log.warning("stage view: refused %s: a socket from another site (%s)",
                            peer, origin[:60])
                return connection.respond(403, "another site's page\n")
            return None
        if path not in PAGE_PATHS:
            return connection.respond(404, "not found\n")
        headers = Headers([("Content-Type", "text/html; charset=utf-8"),
                           ("Content-Length", str(len(self._page))),
                           ("Cache-Control", "no-store")])
        return Response(200, "OK", headers, self._page)

    def _connection(self, ws: ServerConnection) -> None:
        """One page: push the state when it changed (paced), take its button presses."""
        peer = _peer(ws)
        log.info("stage view: a page opened from %s", peer)
        pacer, last, took_at = Pacer(self.rate), "", time.monotonic()
        try:
            while not self._stopping.is_set():
                now = time.monotonic()
                wait = pacer.wait(now)
                if wait <= 0:
                    state = self._state()
                    if state == last or _writable(ws.socket):
                        if state != last:
                            ws.send(state)
                            self.pushes += 1
                            last = state
                        took_at = now
                    elif now - took_at > STALL_SECONDS:
                        log.warning("stage view: closed the page from %s: it has read "
                                    "nothing for %.0f s", peer, STALL_SECONDS)
                        ws.close_socket()
                        return
                    pacer.sent(now)
                    continue
                try:
                    message = ws.recv(timeout=wait)
                except TimeoutError:
                    continue
                self._on_message(message, peer)
        except ConnectionClosedError as exc:  # e.g. a message over the size limit
            why = exc.sent.reason if exc.sent and exc.sent.reason else str(exc)
            log.warning("stage view: closed the page from %s: %s", peer, why)
            return
        except ConnectionClosed:
            pass
        log.info("stage view: the page from %s closed", peer)

    def _on_message(self, message: str | bytes, peer: str) -> None:
        try:
            action = parse_message(message)
        except BadMessage as exc:
            self._lines.warning("bad", f"stage view: ignored a message from {peer}: {exc}")
            return
        if not self._presses.take():
            self._lines.warning("flood", f"stage view: ignored {action} from {peer}: over "
                                f"{self._presses.rate:.0f} presses a second")
            return
        if not self._press(action):
            self._lines.warning("unbound", f"stage view: ignored {action} from {peer}: "
                                "no key runs it")

    def _refused(self, peer: str) -> None:
        self._lines.warning("cap", f"stage view: refused {peer}: {self._cap.limit} "
                            "connections open already")


def _writable(sock: socket.socket) -> bool:
    """Whether ``sock`` can take a push now without blocking (its send buffer has room)."""
    poller = select.poll()  # not select(): no limit on the descriptor's number
    try:
        poller.register(sock, select.POLLOUT)
        return bool(poller.poll(0))
    except (OSError, ValueError):  # closed meanwhile: the send raises ConnectionClosed
        return True


def _reason(exc: OSError) -> str:
    """An error's reason alone ("Cannot assign requested address"), without the address
    ``socket.create_server`` adds to it."""
    return str(exc.strerror or exc).split(" (while attempting", 1)[0]


def _peer(connection: ServerConnection) -> str:
    try:
        host, port = connection.remote_address[:2]
    except (OSError, TypeError, ValueError):
        return "?"
    return f"{host}:{port}"
