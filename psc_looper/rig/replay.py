"""Replaying a session: its input events into a backend, exactly as the bridge sends them.

``replay_virtual`` runs an in-process backend on the virtual clock (as fast as the
machine allows; with a seed and inline generation the machine's music is the same
every time) and records its output as a session file. ``replay_udp`` sends the
events to a running backend at real-time speed (the backend records itself), or,
renamed to the bridge's simulated MIDI (``SIM_ADDRESSES``), to a SuperCollider
bridge started with ``PSC_SIM=1``, which forwards them as a device would.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pythonosc.osc_message_builder import build_msg

from psc_looper.config.backend import BackendConfig
from psc_looper.config.performer import PerformerSettings
from psc_looper.control.mapping import load_map
from psc_looper.looper.engine import START_MARGIN_SECONDS
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.rig import VirtualRig
from psc_looper.sessions.reader import SessionFile, TimedInput
from psc_looper.sessions.recorder import Recorder
from psc_looper.sessions.script import parse_script, script_inputs
from psc_looper.sessions.settings import run_settings
from psc_looper.sessions.writer import SessionStats
from psc_looper.timing.clock import RealClock
from psc_looper.timing.meter import LoopStructure
from psc_looper.timing.tempo import TempoError, check_qpm

log = logging.getLogger(__name__)

TAIL_SECONDS = 1.0  # played after the last input event
UDP_START_SECONDS = 0.05


@dataclass
class ReplayOptions:
    script: str | None = None
    seed: int | None = None
    melody_bundle: Path | None = None
    drums_bundle: Path | None = None
    tail: float = TAIL_SECONDS
    performer: PerformerSettings = field(default_factory=PerformerSettings)
    setlist: Path | None = None  # start from this set list's first song (as run --setlist)
    improv_bundle: Path | None = None  # an ImprovRNN: answers while the harmony is known


@dataclass
class ReplayResult:
    inputs: int
    stats: SessionStats
    malformed: dict[str, int]
    drum_parts: int  # times the drum track changed at a loop start
    status: dict[str, str] = field(default_factory=dict)  # the features' status lines
    warnings: tuple[str, ...] = ()

    def summary(self) -> list[str]:
        notes = ", ".join(f"{track} {count}" for track, count in sorted(self.stats.notes.items()))
        malformed = sum(self.malformed.values())
        lines = [
            f"events in: {self.inputs}",
            f"notes out: {sum(self.stats.notes.values())} ({notes or 'none'})",
            f"takeovers (machine notes after pianist notes): {self.stats.takeovers}",
            f"drum parts (grooves and beats the loop played): {self.drum_parts}",
            f"malformed events: {malformed}"
            + (f" ({', '.join(f'{k} {v}' for k, v in sorted(self.malformed.items()))})"
               if malformed else ""),
        ]
        lines += [f"{name}: {line}" for name, line in sorted(self.status.items())]
        lines += [f"message: {w}" for w in self.warnings]
        return lines


def replay_config(session: SessionFile, options: ReplayOptions) -> BackendConfig:
    """The backend a replay runs: the file's first tempo and meter (unless the performer's
    config sets them), the performer's loop and improv settings, the options' models."""
    settings = options.performer
    config = BackendConfig(seed=options.seed, inline_generation=True,
                           melody_bundle=options.melody_bundle,
                           improv_bundle=options.improv_bundle,
                           drums_bundle=options.drums_bundle, qpm=settings.qpm,
                           structure=settings.structure, improv=settings.improv,
                           swing=settings.swing, band=settings.band,
                           setlist=options.setlist)
    if "loop.qpm" not in settings.given:
        try:
            config.qpm = check_qpm(round(session.qpm, 3))
        except TempoError:
            log.warning("the file's tempo %.1f qpm is out of range; using %g", session.qpm,
                        config.qpm)
    if session.meter is not None and "loop.meter" not in settings.given:
        config.structure = LoopStructure(session.meter, settings.structure.bars)
    return config


def replay_inputs(session: SessionFile, options: ReplayOptions,
                  config: BackendConfig) -> list[TimedInput]:
    """The file's inputs merged with the script's controller events (``ScriptError``)."""
    if not options.script:
        return list(session.inputs)
    items = parse_script(options.script)
    lead = config.lookahead + START_MARGIN_SECONDS
    meter = session.meter or config.structure.meter
    maps = [load_map(p) for p in config.controller_maps]
    scripted = script_inputs(items, session.tempo, meter, maps, lead)
    shift = lead if any(item.starts_loop for item in items) else 0.0
    shifted = [TimedInput(e.time + shift, e.address, e.args) for e in session.inputs]
    return sorted(scripted + shifted, key=lambda e: e.time)


def replay_virtual(inputs: list[TimedInput], config: BackendConfig, out: Path,
                   tail: float = TAIL_SECONDS,
                   watch: Callable[[VirtualRig], None] | None = None) -> ReplayResult:
    """Send ``inputs`` into a backend on the virtual clock; record its session to ``out``.
    ``watch`` sees the rig before the first event (to add listeners, e.g. a benchmark's)."""
    rig = VirtualRig(config)
    recorder = rig.backend.attach(Recorder(out, settings=run_settings(config)))
    if watch is not None:
        watch(rig)
    drums = _DrumWatch(rig)
    try:
        for event in inputs:
            rig.advance_to(event.time)
            rig.send(event.address, *event.args)
        rig.advance(tail)
        snapshot = rig.looper.snapshot()
    finally:
        rig.backend.close()
        recorder.close()
    return ReplayResult(len(inputs), recorder.stats, rig.backend.dispatcher.malformed_counts(),
                        drums.changes, snapshot.extras, snapshot.warnings)


def replay_udp(inputs: list[TimedInput], host: str, port: int,
               rename: Mapping[str, str] | None = None) -> int:
    """Send ``inputs`` to ``host:port`` at their times from now; return how many were sent.

    With ``rename``, each address is sent under its new name (events whose address it
    does not name are left out).
    """
    if rename is not None:
        inputs = [e for e in inputs if e.address in rename]
    clock = RealClock()
    start = clock.now() + UDP_START_SECONDS
    sent = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for event in inputs:
            clock.sleep_until(start + event.time)
            address = event.address if rename is None else rename[event.address]
            try:
                sock.sendto(build_msg(address, list(event.args)).dgram, (host, port))
                sent += 1
            except OSError as exc:
                log.warning("cannot send to %s:%d: %s", host, port, exc)
    return sent


class _DrumWatch:
    """Counts the drum parts the loop starts playing (checked at each loop start)."""

    def __init__(self, rig: VirtualRig) -> None:
        self._looper = rig.looper
        self._last: list[LoopNote] = []
        self.changes = 0
        self._looper.add_step_listener(self._on_step)

    def _on_step(self, _step: int, position: int, _at: float) -> None:
        if position != 0:
            return
        notes = self._looper.track_notes(Track.DRUMS)
        if notes and notes != self._last:
            self.changes += 1
        self._last = notes

