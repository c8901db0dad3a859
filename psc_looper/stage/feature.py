"""``StageFeature``: the stage view plugged into the backend (``host.Feature``).

It serves from ``attach`` to ``close`` on its own threads (``stage.server``): the
state comes from ``Looper.snapshot()`` and the songs' and improv features' views
(``stage.state``), and a button presses the computer key of its action through
``Host.press``, so it runs the same named action and a session records it.
"""

from __future__ import annotations

from psc_looper.host import Host
from psc_looper.stage.server import StageServer
from psc_looper.stage.state import Places, StateCache, Turns, XrunAlert, mark_xruns, stage_state


class StageFeature:
    def __init__(self, server: StageServer, places: Places | None = None,
                 turns: Turns | None = None) -> None:
        """``server``: listening already (``stage.options.listen``); ``places``: the songs
        feature; ``turns``: the improv feature (None: not built)."""
        self.server = server
        self._places = places
        self._turns = turns

    def attach(self, host: Host) -> None:
        looper, places, turns = host.looper, self._places, self._turns
        alert, clock = XrunAlert(), host.clock

        def build() -> dict[str, object]:
            state = stage_state(looper.snapshot(), places.place() if places else None,
                                turns.turn() if turns else None)
            return mark_xruns(state, alert, clock.now())

        self.cache = StateCache(build, self.server.rate)
        self.server.start(self.cache.latest, host.press)

    def close(self) -> None:
        self.server.stop()
