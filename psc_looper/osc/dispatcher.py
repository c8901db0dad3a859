"""Raw OSC datagrams in, validated calls out: no socket needed.

``Dispatcher.dispatch(data)`` parses one datagram strictly (``osc.strict``: exactly a
well-formed message or bundle, bounded size and nesting), checks every message
against ``protocol.INBOUND`` and only then makes each one a typed event
(``osc.events``): the watchers see it first (the session recorder, a benchmark),
then the route acts on it (the backend's: keys to the looper, controls to the
controller).
A datagram with anything malformed in it (garbage bytes, unknown type tags, trailing
bytes, an unknown address, wrong arity or types, out-of-range values) changes
nothing: it is counted by kind (a fixed set, so memory stays bounded whatever is
sent), logged at most once per kind every ``LOG_INTERVAL_SECONDS`` with the count
since, and summed up by ``summary`` at exit. Recorded datagrams replay through the
same path.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from psc_looper.osc.events import InputEvent, event_of
from psc_looper.osc.protocol import INBOUND, InboundSpec
from psc_looper.osc.strict import Malformed, Message, parse_datagram

log = logging.getLogger(__name__)

Source = tuple[str, int] | None  # where a datagram came from (None: not from a socket)
Gate = Callable[[Source, list[Any]], bool]  # may this source send this message?
# Called on the receiving thread with each accepted event; keep it quick (no I/O).
InputListener = Callable[[InputEvent], None]
LOG_INTERVAL_SECONDS = 10.0  # per kind: one log line, then a count, at most this often
SHOWN_CHARS = 60  # of an offending address or argument list in a log line


class Dispatcher:
    """Turns accepted messages into events for its watchers and route; counts what it
    rejects.

    Owns ``malformed`` (a Counter keyed by kind) and the log rate limit under its own
    lock: the server thread writes them, the status view reads them. The route is set
    at construction and watchers are added before the server starts (``watch``); both
    are only read afterwards.
    """

    def __init__(
        self,
        route: InputListener | None = None,
        spec: Mapping[str, InboundSpec] = INBOUND,
        clock: Callable[[], float] = time.monotonic,
        gates: Mapping[str, Gate] | None = None,
        admit: Callable[[InputEvent], bool] | None = None,
    ) -> None:
        """``admit``: False drops a valid event unseen (a MIDI source not chosen)."""
        self._route = route
        self._watchers: list[InputListener] = []
        self._spec = spec
        self._clock = clock
        self._gates = dict(gates or {})  # address -> who may send it (e.g. /ready: the bridge)
        self._admit = admit
        self._lock = threading.Lock()
        self.malformed: Counter[str] = Counter()
        self._logged_at: dict[str, float] = {}  # kind -> when its last line was logged
        self._unlogged: Counter[str] = Counter()  # kind -> rejections since that line

    def watch(self, watcher: InputListener) -> None:
        """Add a watcher (before the server starts): it sees every accepted event before
        the route acts on it."""
        self._watchers.append(watcher)

    def dispatch(self, data: bytes, source: Source = None) -> int:
        """Handle one datagram from ``source``, all or nothing; return how many messages
        were accepted."""
        try:
            messages = parse_datagram(data)
        except Malformed as exc:
            self._reject(exc.kind, f"{len(data)}-byte datagram: {exc}")
            return 0
        for message in messages:
            problem = self._problem(message.address, list(message.args), source)
            if problem is not None:
                self._reject(*problem)
                return 0
        return sum(self._run(m) for m in messages)

    def handle(self, address: str, args: list[Any], source: Source = None) -> bool:
        """Validate and dispatch one message; return whether it was taken without error."""
        problem = self._problem(address, args, source)
        if problem is not None:
            self._reject(*problem)
            return False
        return self._run(Message(address, tuple(args)))

    def malformed_counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self.malformed)

    def summary(self) -> str | None:
        """One line of everything rejected so far, or None if nothing was."""
        counts = self.malformed_counts()
        if not counts:
            return None
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
        return f"malformed OSC ignored: {sum(counts.values())} ({kinds})"

    def _problem(self, address: str, args: list[Any], source: Source) -> tuple[str, str] | None:
        spec = self._spec.get(address)
        if spec is None:
            return "unknown-address", f"unknown address {_shown(address)}"
        problem = _check(spec, args)
        if problem is not None:
            kind, detail = problem
            return kind, f"{address} {_shown(args)}: {detail}"
        gate = self._gates.get(address)
        if gate is not None and not gate(source, args):
            return "not-bridge", f"{address} {_shown(args)} from {source}: not the bridge"
        return None

    def _run(self, message: Message) -> bool:
        event = event_of(message)
        if self._admit is not None and not self._admit(event):
            return True
        ok = True
        for watcher in self._watchers:
            ok = self._call(watcher, event, message) and ok
        if self._route is not None:
            ok = self._call(self._route, event, message) and ok
        return ok

    def _call(self, listener: InputListener, event: InputEvent, message: Message) -> bool:
        try:
            listener(event)
        except Exception:  # a listener bug must never kill the server thread
            self._reject("handler-error", f"listener for {message.address} failed")
            log.exception("listener %r for %s failed", listener, _shown(message.args))
            return False
        return True

    def _reject(self, kind: str, message: str) -> None:
        now = self._clock()
        with self._lock:
            self.malformed[kind] += 1
            self._unlogged[kind] += 1
            last = self._logged_at.get(kind)
            if last is not None and now - last < LOG_INTERVAL_SECONDS:
                return
            self._logged_at[kind] = now
            count, self._unlogged[kind] = self._unlogged[kind], 0
        more = f" (and {count - 1} more of this kind since the last line)" if count > 1 else ""
        log.warning("ignored malformed OSC (%s): %s%s", kind, message, more)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "..."


def _check(spec: InboundSpec, args: list[Any]) -> tuple[str, str] | None:
    n_req, n_opt = len(spec.required), len(spec.optional)
    if not n_req <= len(args) <= n_req + n_opt:
        want = f"{n_req}" if not n_opt else f"{n_req}..{n_req + n_opt}"
        return "arity", f"expected {want} arguments, got {len(args)}"
    if spec.counts and len(args) not in spec.counts:
        want = ", ".join(map(str, spec.counts))
        return "arity", f"expected {want} arguments, got {len(args)}"
    for arg, value in zip(spec.required + spec.optional, args, strict=False):
        kind = arg.check(value)
        if kind is not None:
            return kind, f"{arg.name}={_shown(value)} is not a valid {arg.name}"
    return None
