"""``BackendConfig``: how a backend is assembled (ports, timing, models, options, song).

Plain data, built by the commands and the rig and read once by ``app.Backend``, which
hands each feature its own part of it at construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from psc_looper.band.options import BandOptions
from psc_looper.config.performer import PerformerSettings
from psc_looper.control.mapping import DEFAULT_MAP
from psc_looper.improv.options import ImprovOptions
from psc_looper.osc.protocol import (
    BACKEND_HOST,
    BACKEND_PORT,
    BRIDGE_HOST,
    BRIDGE_PORT,
    DEFAULT_LOOKAHEAD_SECONDS,
)
from psc_looper.sync.options import SyncOptions
from psc_looper.timing.meter import LoopStructure
from psc_looper.timing.swing import STRAIGHT
from psc_looper.timing.tempo import DEFAULT_QPM

KEYBOARD_MAP = DEFAULT_MAP.with_name("keyboard.toml")  # the sustain pedal (improv)


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
    swing: float = STRAIGHT  # the loop's swing ratio (timing/swing.py)
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
    sync: SyncOptions = field(default_factory=SyncOptions)  # clock out/in, Link (psc_looper.sync)
    midi_inputs: tuple[str, ...] = ()  # MIDI sources listened to (none given: all; osc.inputs)
    band: BandOptions = field(default_factory=BandOptions)  # the walking bass and drummer
    take_offset_ms: float = 0.0  # a take reads each key this much earlier (the key's latency)
    keys_thru: bool = False  # the bridge sounds each key at once (looper.thru; run: on)
