"""Raw OSC datagrams in, validated calls out: no socket needed.

``Dispatcher.dispatch(data)`` parses one datagram (message or bundle), checks each
message against ``protocol.INBOUND`` and calls the handler mapped to its address.
Anything malformed (garbage bytes, unknown address, wrong arity or types,
out-of-range values) is counted by kind, logged once per kind and address, and
changes nothing. Recorded datagrams replay through the same path.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from pythonosc.osc_packet import OscPacket, ParseError

from psc_looper.osc.protocol import INBOUND, InboundSpec

log = logging.getLogger(__name__)

Handler = Callable[..., None]
InputListener = Callable[[str, list[Any]], None]  # (address, args) of each accepted message


class Dispatcher:
    """Maps inbound addresses to handlers; counts what it rejects.

    Owns ``malformed`` (a Counter) under its own lock: the server thread writes it,
    the status view reads it.
    """

    def __init__(
        self,
        handlers: Mapping[str, Handler],
        spec: Mapping[str, InboundSpec] = INBOUND,
    ) -> None:
        unknown = set(handlers) - set(spec)
        if unknown:
            raise ValueError(f"handlers for addresses outside the protocol: {sorted(unknown)}")
        self._handlers = dict(handlers)
        self._spec = spec
        self._lock = threading.Lock()
        self.malformed: Counter[str] = Counter()
        self._logged: set[tuple[str, str]] = set()
        self.listeners: list[InputListener] = []  # set up before the server starts

    def dispatch(self, data: bytes) -> int:
        """Handle one datagram; return how many messages were accepted."""
        try:
            messages = OscPacket(data).messages
        except (ParseError, Exception) as exc:  # python-osc raises more than ParseError
            self._reject("garbage", "-", f"unparseable datagram of {len(data)} bytes ({exc})")
            return 0
        accepted = 0
        for timed in messages:
            if self.handle(timed.message.address, list(timed.message.params)):
                accepted += 1
        return accepted

    def handle(self, address: str, args: list[Any]) -> bool:
        """Validate and dispatch one message; return whether a handler ran."""
        spec = self._spec.get(address)
        if spec is None:
            self._reject("unknown-address", address, f"unknown address {address!r}")
            return False
        problem = _check(spec, args)
        if problem is not None:
            kind, detail = problem
            self._reject(kind, address, f"{address} {args!r}: {detail}")
            return False
        for listener in self.listeners:
            listener(address, args)
        handler = self._handlers.get(address)
        if handler is None:
            return False
        try:
            handler(*args)
        except Exception:  # a handler bug must never kill the server thread
            self._reject("handler-error", address, f"handler for {address} failed")
            log.exception("handler for %s %r failed", address, args)
            return False
        return True

    def malformed_counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self.malformed)

    def _reject(self, kind: str, address: str, message: str) -> None:
        with self._lock:
            self.malformed[kind] += 1
            first = (kind, address) not in self._logged
            self._logged.add((kind, address))
        if first:
            log.warning("ignored malformed OSC (%s): %s", kind, message)


def _check(spec: InboundSpec, args: list[Any]) -> tuple[str, str] | None:
    n_req, n_opt = len(spec.required), len(spec.optional)
    if not n_req <= len(args) <= n_req + n_opt:
        want = f"{n_req}" if not n_opt else f"{n_req}..{n_req + n_opt}"
        return "arity", f"expected {want} arguments, got {len(args)}"
    for arg, value in zip(spec.required + spec.optional, args, strict=False):
        kind = arg.check(value)
        if kind is not None:
            return kind, f"{arg.name}={value!r} is not a valid {arg.name}"
    return None
