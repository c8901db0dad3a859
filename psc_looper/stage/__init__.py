"""The stage view: a page in a browser for a tablet or phone on the music stand.

``options`` (``run --web``), ``server`` (HTTP and WebSocket, ``websockets``), ``state``
(what the page shows, from a looper snapshot), ``messages`` (what a page may send),
``pacing`` (at most 20 pushes a second), ``token`` (off loopback, a token in the URL),
``feature`` (``StageFeature``, attached through ``host.Feature``); the page itself is
``assets/`` (HTML, CSS and JavaScript, nothing fetched from the internet).
"""

from psc_looper.stage.feature import StageFeature
from psc_looper.stage.options import add_arguments, listen, shown_url
from psc_looper.stage.server import StageError, StageServer

__all__ = ["StageError", "StageFeature", "StageServer", "add_arguments", "listen", "shown_url"]
