"""The backend assembled: looper, transport, OSC server, controller, status view, features.

``Backend`` wires the parts together and owns their start/stop order; each part owns
its own state (see each module's docstring). Features plug in through one seam
(``psc_looper.host``): built here with their settings and models, attached with
``attach``, and kept in named slots (``drums``, ``improv``, ``songs``, ``sync``, ``band``,
``recorder``, ``stage``).
Tests build it with a ``VirtualClock`` and a ``CaptureOutput``; ``psc-looper run``
with a ``RealClock`` and UDP.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TypeVar

from psc_looper.band import BandFeature
from psc_looper.config.backend import KEYBOARD_MAP, BackendConfig
from psc_looper.config.performer import PerformerSettings
from psc_looper.control.actions import ActionTable, Controller, looper_actions
from psc_looper.control.mapping import load_map
from psc_looper.drums.feature import DrumsFeature
from psc_looper.host import Feature
from psc_looper.improv import ImprovFeature
from psc_looper.looper.engine import Looper
from psc_looper.looper.transport import Transport
from psc_looper.models import DrumsModel, ImprovModel, MelodyModel, melody_model_class
from psc_looper.models.remote import RemoteModel
from psc_looper.osc.dispatcher import Dispatcher, InputListener
from psc_looper.osc.events import BridgeReady, ControlChange, InputEvent, NoteOff, NoteOn
from psc_looper.osc.inputs import MidiInputs
from psc_looper.osc.peer import BridgePeer
from psc_looper.osc.ports import OutputPort, UdpOutput
from psc_looper.osc.protocol import CC_EVENT, READY
from psc_looper.osc.server import OscServer
from psc_looper.songs.live import Opening, SongsFeature, opening
from psc_looper.sync import SyncFeature
from psc_looper.timing.clock import Clock, RealClock
from psc_looper.ui.keys import KEYS, KEYS_SOURCE, keys_map

__all__ = ["KEYBOARD_MAP", "Backend", "BackendConfig"]

log = logging.getLogger(__name__)

M = TypeVar("M", MelodyModel, ImprovModel, DrumsModel)
F = TypeVar("F", bound=Feature)


class Backend:
    """Implements ``host.Host`` for the features it attaches."""

    def __init__(
        self,
        config: BackendConfig | None = None,
        clock: Clock | None = None,
        output: OutputPort | None = None,
        start: Opening | None = None,
    ) -> None:
        """``start``: the song and set list already read (``songs.live.opening``), or
        None to read ``config.song`` and ``config.setlist`` here."""
        self.config = config = config or BackendConfig()
        self.clock = clock or RealClock()
        self.output = output or UdpOutput(
            config.bridge_host, config.bridge_port, self.clock, timed=config.timed
        )
        lookahead = config.lookahead if config.timed else 0.0
        self.looper = Looper(self.clock, self.output, config.structure, config.qpm, lookahead,
                             config.swing)
        self.transport = Transport(self.looper)
        self.actions = ActionTable(self.looper)
        looper_actions(self.actions)
        maps = [keys_map(), *(load_map(p) for p in config.controller_maps)]  # keys: ui.keys
        self.controller = Controller(self.actions, maps)
        self.peer = BridgePeer(config.bridge_port)  # /ready only from it; silent or not
        self.inputs = MidiInputs(config.midi_inputs, always=(KEYS_SOURCE,))
        self.dispatcher = Dispatcher(self._route, gates={READY: self.peer.admit},
                                     admit=self.inputs.admits)
        self.looper.add_status("bridge", self.peer.describe)
        if config.midi_inputs:
            self.looper.add_status("midi in", self.inputs.describe)
        self.looper.set_take_offset(config.take_offset_ms / 1000)
        self.server: OscServer | None = None
        self._bridge_heard = False  # the first /ready is logged (server thread)
        # The features, in attach order (closed in that order); set up here, then read.
        self._attached: list[Feature] = []
        self.recorder: Feature | None = None  # a session recorder (psc_looper.sessions)
        self.stage: Feature | None = None  # the stage view in a browser (psc_looper.stage)
        try:
            self.drums = self.attach(self._drums_feature())
            self.improv = self._improv_feature()
            # last: a song restores the drums' and improv's state (raises SongError)
            start = start or opening(config.song, config.setlist)
            self.sync = self.attach(SyncFeature(config.sync, self.output, config.timed))
            self.songs = self.attach(SongsFeature(
                self.drums, self.improv, _default_settings(config), start,
                inline=config.inline_generation, sync=self.sync, seed=config.seed))
            self.songs.open(config.song_settings)
            self.band = self.attach(BandFeature(config.band, seed=config.seed))
        except BaseException:
            self._close_features()
            raise

    def attach(self, feature: F) -> F:
        """Plug ``feature`` in (``host.Feature.attach``); ``close`` closes it."""
        feature.attach(self)
        self._attached.append(feature)
        return feature

    def watch_input(self, watcher: InputListener) -> None:
        self.dispatcher.watch(watcher)

    def press(self, action: str) -> bool:
        key = next((k for k in KEYS if k.action == action), None)
        if key is None:
            return False
        return self.dispatcher.handle(CC_EVENT, [key.cc, 127, 0, KEYS_SOURCE])

    def _drums_feature(self) -> DrumsFeature:
        """The drums, with the drums bundle of the config loaded (if any); a bad bundle
        raises ``BundleError`` (naming the file)."""
        config = self.config
        model = self.load_model(DrumsModel, config.drums_bundle) if config.drums_bundle else None
        return DrumsFeature(model, seed=config.seed, inline=config.inline_generation,
                            owns_model=model is not None)

    def _improv_feature(self) -> ImprovFeature | None:
        """Call and response, when a melody or improv bundle is given."""
        melody, improv = self._melody_models()
        if melody is None:
            return None
        config = self.config
        return self.attach(ImprovFeature(melody, config.improv, chord_model=improv,
                                         seed=config.seed, inline=config.inline_generation))

    def _melody_models(self) -> tuple[MelodyModel | ImprovModel | None, ImprovModel | None]:
        """The improv feature's models: the melody bundle's (MelodyRNN, or an ImprovRNN that
        then answers over the chords itself) and the improv bundle's ImprovRNN, which answers
        while the harmony is known. With only an improv bundle it is the one model.
        A bad bundle raises BundleError here (one line naming the file)."""
        config = self.config
        melody = improv = None
        if config.melody_bundle is not None:
            path = config.melody_bundle  # a MelodyRNN, or an ImprovRNN that hears chords itself
            melody = (self.load_model(ImprovModel, path) if melody_model_class(path) is ImprovModel
                      else self.load_model(MelodyModel, path))
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
            # a proxy that runs the same methods in a child process
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
        self._close_features()
        if self.server is not None:
            self.server.stop()
        summary = self.dispatcher.summary()
        if summary is not None:
            log.warning("%s this session", summary)

    def _close_features(self) -> None:
        for feature in self._attached:
            feature.close()

    def _route(self, event: InputEvent) -> None:
        """Where each input event goes (OSC server thread, after the watchers)."""
        if isinstance(event, NoteOn):
            self.looper.note_on(event)
        elif isinstance(event, NoteOff):
            self.looper.note_off(event)
        elif isinstance(event, ControlChange):
            self.controller.cc(event)
        elif isinstance(event, BridgeReady):
            self._bridge_ready(event)

    def _bridge_ready(self, event: BridgeReady) -> None:
        """The bridge announces itself (again every few seconds; ``peer`` admitted it)."""
        if not self._bridge_heard:
            self._bridge_heard = True
            log.info("bridge ready on port %d", event.port)


def _default_settings(config: BackendConfig) -> PerformerSettings:
    """What an unsaved song starts from: the command line's tempo, structure and options."""
    return PerformerSettings(qpm=config.qpm, structure=config.structure, improv=config.improv,
                             swing=config.swing)
