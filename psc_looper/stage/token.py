"""Who may open the stage view: anyone on this machine when it listens on loopback;
off loopback only a page whose URL carries the random token printed on the terminal."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from urllib.parse import parse_qs

LOCALHOST = "localhost"


def needs_token(host: str) -> bool:
    """True unless ``host`` is a loopback address (a name other than localhost may
    resolve to the network, so it needs one)."""
    if host == LOCALHOST:
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def new_token() -> str:
    """A fresh random token (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


def token_ok(query: str, token: str | None) -> bool:
    """Whether a request's query string carries ``token`` (always true without one);
    compared in constant time."""
    if token is None:
        return True
    given = parse_qs(query, keep_blank_values=True).get("token", [""])[-1]
    return hmac.compare_digest(given.encode(), token.encode())
