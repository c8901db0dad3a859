"""The backend assembled: looper, transport, OSC server, controller, status view.

``Backend`` wires the parts together and owns their start/stop order; each part
owns its own state (see each module's docstring). Tests build it with a
``VirtualClock`` and a ``CaptureOutput``; ``psc-looper run`` with a ``RealClock``
and UDP.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from psc_looper.config.performer import PerformerSettings
from psc_looper.control.actions import ActionTable, Controller, looper_actions
from psc_looper.control.mapping import DEFAULT_MAP, load_map
from psc_looper.drums.feature import DrumsFeature
from psc_looper.improv import ImprovOptions, attach_improv
from psc_looper.looper.engine import Looper
from psc_looper.looper.transport import Transport
from psc_looper.models import DrumsModel, ImprovModel, MelodyModel, melody_model_class
from psc_looper.models.remote import RemoteModel
from psc_looper.osc.dispatcher import Dispatcher
from psc_looper.osc.peer import BridgePeer
from psc_looper.osc.ports import OutputPort, UdpOutput
from psc_looper.osc.protocol import (
    BACKEND_HOST,
    BACKEND_PORT,
    BRIDGE_HOST,
    BRIDGE_PORT,
    CC_EVENT,
    DEFAULT_LOOKAHEAD_SECONDS,
    NOTE_OFF,
    NOTE_ON,
    READY,
)
from psc_looper.osc.server import OscServer
from psc_looper.songs.live import SongsFeature
from psc_looper.songs.setlist import load_setlist
from psc_looper.timing.clock import Clock, RealClock
from psc_looper.timing.meter import LoopStructure
from psc_looper.timing.tempo import DEFAULT_QPM
from psc_looper.ui.keys import keys_map

log = logging.getLogger(__name__)
KEYBOARD_MAP = DEFAULT_MAP.with_name("keyboard.toml")  # the sustain pedal (improv)


M = TypeVar("M", MelodyModel, ImprovModel, DrumsModel)


class Feature(Protocol):
    def close(self) -> None: ...


@dataclass
class BackendConfig:
    listen_host: str = BACKEND_HOST
    listen_port: int = BACKEND_PORT
    bridge_host: str = BRIDGE_HOST
    bridge_port: int = BRIDGE_PORT
    timed: bool = True  # time-tag loop events; False sends them plain, at their time
    lookahead: float = DEFAULT_LOOKAHEAD_SECONDS
    qpm: float = DEFAULT_QPM
    structure: LoopStructure = field(default_factory=LoopStructure)
    controller_maps: list[Path] = field(default_factory=lambda: [DEFAULT_MAP, KEYBOARD_MAP])
    melody_bundle: Path | None = None  # a Magenta melody_rnn .mag (or an improv_rnn one)
    improv_bundle: Path | None = None  # a Magenta improv_rnn .mag: plays when the harmony is known
    drums_bundle: Path | None = None  # a Magenta drums_rnn .mag
    seed: int | None = None  # seeds the models' sampling: same seed, same music
    inline_generation: bool = False  # generate on the caller's thread (virtual-clock replays)
    isolate_models: bool = True  # run each model in its own process (unless inline)
    improv: ImprovOptions = field(default_factory=ImprovOptions)  # see psc_looper.improv
    song: Path | None = None  # a song file to start with (psc_looper.songs)
    setlist: Path | None = None  # a set list: its first song, next/previous switch
    song_settings: PerformerSettings | None = None  # the first song's, as the command line set


class Backend:
    def __init__(
        self,
        config: BackendConfig | None = None,
        clock: Clock | None = None,
        output: OutputPort | None = None,
    ) -> None:
        self.config = config = config or BackendConfig()
        self.clock = clock or RealClock()
        self.output = output or UdpOutput(
            config.bridge_host, config.bridge_port, self.clock, timed=config.timed
        )
        lookahead = config.lookahead if config.timed else 0.0
        self.looper = Looper(self.clock, self.output, config.structure, config.qpm, lookahead)
        self.transport = Transport(self.looper)
        self.actions = ActionTable(self.looper)
        looper_actions(self.actions)
        maps = [keys_map(), *(load_map(p) for p in config.controller_maps)]  # keys: ui.keys
        self.controller = Controller(self.actions, maps)
        self.peer = BridgePeer(config.bridge_port)  # /ready only from it; silent or not
        self.dispatcher = Dispatcher(
            {
                NOTE_ON: self.looper.note_on,
                NOTE_OFF: self._note_off,
                CC_EVENT: self.controller.cc,
                READY: self._bridge_ready,
            },
            gates={READY: self.peer.admit},
        )
        self.looper.add_status("bridge", self.peer.describe)
        self.server: OscServer | None = None
        self._bridge_heard = False  # the first /ready is logged (server thread)
        # Features attach below: each registers its actions, status line and hooks, and
        # is closed by ``close``. (drums: psc_looper.drums; improv: psc_looper.improv)
        self.features: list[Feature] = []
        self.features.append(DrumsFeature.attach(self))
        melody, improv = self._melody_models()
        if melody is not None:
            self.features.append(attach_improv(self, melody, chord_model=improv))
        # after drums and improv: a song restores their state (raises SongError)
        self.songs = SongsFeature.attach(
            self, config.song, load_setlist(config.setlist) if config.setlist else None)
        self.features.append(self.songs)

    def _melody_models(self) -> tuple[MelodyModel | ImprovModel | None, ImprovModel | None]:
        """The improv feature's models: the melody bundle's (MelodyRNN, or an ImprovRNN that
        then answers over the chords itself) and the improv bundle's ImprovRNN, which answers
        while the harmony is known. With only an improv bundle it is the one model.
        A bad bundle raises BundleError here (one line naming the file)."""
        config = self.config
        melody = improv = None
        if config.melody_bundle is not None:
            kind = melody_model_class(config.melody_bundle)  # MelodyRNN or ImprovRNN
            melody = self.load_model(kind, config.melody_bundle)
        if config.improv_bundle is not None:
            try:
                improv = self.load_model(ImprovModel, config.improv_bundle)
            except BaseException:
                if melody is not None:
                    melody.close()
                raise
        if melody is None:
            return improv, None
        return melody, improv

    def load_model(self, kind: type[M], path: Path) -> M:
        """Load a bundle: in a child process (``RemoteModel``, so generation never holds
        this process's GIL) unless generation is inline or isolation is off."""
        if self.config.isolate_models and not self.config.inline_generation:
            return RemoteModel(kind.__name__, path)  # type: ignore[return-value]
        return kind.load(path)

    def start(self) -> None:
        """Listen for OSC and start the loop thread."""
        self.server = OscServer(self.dispatcher, self.config.listen_host, self.config.listen_port)
        self.server.start()
        self.transport.start()
        host, port = self.server.address
        log.info("backend listening on %s:%d, sending to %s:%d", host, port,
                 self.config.bridge_host, self.config.bridge_port)

    def close(self) -> None:
        """Stop the loop with every note off, then the threads."""
        self.looper.stop()
        self.transport.stop()
        for feature in self.features:
            feature.close()
        if self.server is not None:
            self.server.stop()
        summary = self.dispatcher.summary()
        if summary is not None:
            log.warning("%s this session", summary)

    def _note_off(self, note: int, velocity: int, channel: int = 0, source: str = "") -> None:
        self.looper.note_off(note, channel, source)

    def _bridge_ready(self, port: int = BRIDGE_PORT) -> None:
        """The bridge announces itself (again every few seconds; ``peer`` admitted it)."""
        if not self._bridge_heard:
            self._bridge_heard = True
            log.info("bridge ready on port %d", port)
