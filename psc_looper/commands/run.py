"""``psc-looper run``: start the instrument (backend, and the SuperCollider bridge when
SuperCollider is installed) and run until Ctrl-C, which stops both with every note off."""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from psc_looper import stage
from psc_looper.app import Backend, BackendConfig
from psc_looper.bundles import DEFAULT_DRUMS_BUNDLE, DEFAULT_IMPROV_BUNDLE, DEFAULT_MELODY_BUNDLE
from psc_looper.commands import devices
from psc_looper.commands.bridge import command_bridge
from psc_looper.commands.logs import log_to
from psc_looper.config import performer
from psc_looper.models.improv import is_improv_bundle
from psc_looper.osc.protocol import (
    BACKEND_HOST,
    BACKEND_PORT,
    BRIDGE_PORT,
    DEFAULT_LOOKAHEAD_SECONDS,
)
from psc_looper.sc import jack
from psc_looper.sc.launcher import SERVER_PORT
from psc_looper.sc.period import CANDIDATES
from psc_looper.sc.procs import reap_children
from psc_looper.sessions import recorder
from psc_looper.sessions.settings import run_settings
from psc_looper.songs.live import Opening, opening
from psc_looper.sync import SyncOptions

log = logging.getLogger(__name__)
T = TypeVar("T")


def register(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="start the backend (and the SuperCollider bridge)")
    run.add_argument("--listen-host", default=BACKEND_HOST,
                     help="address the backend listens on (default %(default)s, this machine "
                          "only; 0.0.0.0 lets any host on the network play and control it)")
    run.add_argument("--listen-port", type=int, default=BACKEND_PORT,
                     help="UDP port the backend listens on (default %(default)s)")
    run.add_argument("--sc-server-port", type=int, default=SERVER_PORT,
                     help="scsynth's UDP port (default %(default)s; on 127.0.0.1 only)")
    run.add_argument("--bridge-port", type=int, default=BRIDGE_PORT,
                     help="UDP port of the SuperCollider bridge (sclang) the backend sends "
                          "to (default %(default)s)")
    run.add_argument("--untimed", action="store_true",
                     help="send loop events plain at their time instead of time-tagged ahead")
    run.add_argument("--lookahead", type=float, default=DEFAULT_LOOKAHEAD_SECONDS,
                     help="seconds loop events are sent ahead of their time (default %(default)s)")
    run.add_argument("--controller", type=Path, action="append",
                     help="one more controller map TOML, tried before the shipped ones "
                          "(nanoKONTROL2, keyboard pedals); repeatable")
    run.add_argument("--status", choices=("auto", "tty", "log", "off"), default="auto",
                     help="tty: the status view with single-key control; log: status lines "
                          "in the log (auto: tty on a terminal)")
    run.add_argument("--duration", type=float, default=None,
                     help="stop after this many seconds (default: run until Ctrl-C)")
    run.add_argument("--melody-bundle", type=Path, default=None,
                     help="a Magenta melody_rnn .mag (default: the shipped one); an "
                          "improv_rnn .mag here alone answers over the chords itself")
    run.add_argument("--improv-bundle", type=Path, default=None,
                     help="a Magenta improv_rnn .mag that answers while the harmony is known "
                          "(chart or chord loop); the melody bundle answers otherwise "
                          "(default: the shipped one, unless --melody-bundle is improv_rnn)")
    run.add_argument("--drums-bundle", type=Path, default=None,
                     help="a Magenta drums_rnn .mag (default: the shipped one)")
    run.add_argument("--no-models", action="store_true",
                     help="load no models (no MelodyRNN, ImprovRNN or DrumsRNN): the looper "
                          "alone, no machine improv and no DrumsRNN grooves; starts faster")
    run.add_argument("--seed", type=int, default=None, help="seed the models' sampling")
    run.add_argument("--no-sc", action="store_true",
                     help="do not start SuperCollider (run your own bridge, e.g. from its IDE)")
    run.add_argument("--midi-out", metavar="DEVICE",
                     help="the bridge sends notes to this MIDI device instead of synthesising")
    run.add_argument("--midi-in", metavar="NAME", action="append", default=None,
                     help="listen only to MIDI sources whose name contains NAME (repeatable; "
                          "default: every source); psc-looper devices lists them")
    run.add_argument("--audio-device", metavar="NAME", type=_checked(devices.audio_device),
                     default=None, dest="jack_args",
                     help="the sound card JACK plays through when started here (a part of "
                          "its line in psc-looper devices, or dummy; default: the first "
                          "card, else the dummy)")
    run.add_argument("--sample-rate", type=_checked(jack.sample_rate), default=None,
                     help=f"JACK's sample rate when started here (default {jack.SAMPLE_RATE})")
    run.add_argument("--period", type=_checked(jack.period), default=None,
                     help="JACK's frames a period when started here (default: the smallest of "
                          f"{', '.join(map(str, CANDIDATES))} that runs a short probe without "
                          "xruns; smaller: less latency, more risk of xruns)")
    run.add_argument("--take-offset-ms", type=_checked(_take_offset), default=0.0,
                     help="a take reads each key this many ms earlier, making up for the "
                          "keyboard's and sound's latency (0..500; default 0)")
    run.add_argument("--no-keys-thru", action="store_true",
                     help="each key's sound waits for the backend's answer instead of the "
                          "bridge playing it at once (slower; for comparing)")
    run.add_argument("--clock-out", metavar="DEVICE", default=None,
                     help="send MIDI clock (24 ppq, start/stop) to this MIDI output")
    run.add_argument("--clock-in", metavar="DEVICE", default=None,
                     help="follow the MIDI clock of this MIDI input (tempo, phase, start/stop)")
    run.add_argument("--link", action="store_true",
                     help="join an Ableton Link session on the local network (tempo, bar "
                          "phase, start/stop); off unless given")
    recorder.add_arguments(run)
    stage.add_arguments(run)
    performer.add_arguments(run)
    run.add_argument("--song", type=Path, metavar="FILE",
                     help="start with this song (.toml): its loop, layers, drums, mix, models")
    run.add_argument("--setlist", type=Path, metavar="FILE",
                     help="a set list (.toml): starts with its first song; next/previous song "
                          "from the controller, the footswitch or the keys")
    run.set_defaults(func=main)


def config_from(args: argparse.Namespace, start: Opening | None = None) -> BackendConfig:
    """The backend's config from the command line and the performer's config
    (``PerformerConfigError`` for a bad file or ``--set``, ``SongError`` for a bad song).
    A song's settings, models and seed stand unless the command line gives its own.
    ``start``: the opening already read (None: read here)."""
    song = (start or opening(args.song, args.setlist)).song
    settings = performer.settings_from_args(args, song.settings if song else None,
                                            song.first_chart if song else "")
    if song is not None:
        args.melody_bundle = args.melody_bundle or _path(song.melody_bundle)
        args.improv_bundle = args.improv_bundle or _path(song.improv_bundle)
        args.drums_bundle = args.drums_bundle or _path(song.drums_bundle)
        args.seed = song.seed if args.seed is None else args.seed
    config = BackendConfig(
        listen_host=args.listen_host,
        listen_port=args.listen_port,
        bridge_port=args.bridge_port,
        timed=not args.untimed,
        lookahead=args.lookahead,
        melody_bundle=None if args.no_models else _or_shipped(args.melody_bundle,
                                                               DEFAULT_MELODY_BUNDLE),
        improv_bundle=None if args.no_models else improv_or_shipped(
            args.improv_bundle, args.melody_bundle, DEFAULT_IMPROV_BUNDLE),
        drums_bundle=None if args.no_models else _or_shipped(args.drums_bundle,
                                                             DEFAULT_DRUMS_BUNDLE),
        seed=args.seed,
        qpm=settings.qpm,
        structure=settings.structure,
        swing=settings.swing,
        improv=settings.improv,
        band=settings.band,
        song=args.song,
        setlist=args.setlist,
        song_settings=settings if song is not None else None,
        sync=SyncOptions(clock_out=args.clock_out, clock_in=args.clock_in, link=args.link),
        midi_inputs=tuple(args.midi_in or ()),
        take_offset_ms=args.take_offset_ms,
        keys_thru=not args.no_keys_thru,
    )
    if args.controller:  # added, tried first: the first map matching a source answers
        config.controller_maps = [*args.controller, *config.controller_maps]
    return config


def _checked(parse: Callable[[str], T]) -> Callable[[str], T]:
    """``parse`` as an argparse type: its ValueError becomes argparse's one-line error."""
    def checked(text: str) -> T:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return checked


def _take_offset(text: str) -> float:
    try:
        ms = float(text)
    except ValueError:
        raise ValueError(f"{text!r}: want milliseconds, 0..500") from None
    if not 0 <= ms <= 500:
        raise ValueError(f"{text!r}: want milliseconds, 0..500")
    return ms


def _path(text: str | None) -> Path | None:
    return None if text is None else Path(text)


def _or_shipped(given: Path | None, shipped: Path) -> Path | None:
    return given if given is not None else (shipped if shipped.is_file() else None)


def improv_or_shipped(given: Path | None, melody: Path | None, shipped: Path) -> Path | None:
    """The improv bundle: the one given, else the shipped one when it is there, unless the
    melody bundle given is itself an ImprovRNN (``--melody-bundle X.mag`` alone keeps
    answering over the chords itself, as before there was an improv bundle)."""
    if given is not None:
        return given
    if melody is not None and is_improv_bundle(melody):
        return None
    return _or_shipped(None, shipped)


def main(args: argparse.Namespace) -> int:
    from psc_looper.ui.status import StatusView
    from psc_looper.ui.terminal import TerminalView

    start = opening(args.song, args.setlist)  # each file read once (SongError: one line)
    config = config_from(args, start)  # a bad file or option: one line from the cli
    web = stage.listen(args)  # before anything starts: a port in use is one line (StageError)
    try:
        backend = Backend(config, start=start)
    except BaseException:
        if web is not None:
            web.stop()
        raise
    if web is not None:
        backend.stage = backend.attach(stage.StageFeature(web, backend.songs, backend.improv))
        print(f"psc-looper: stage view at {stage.shown_url(web)}", flush=True)
    if not args.no_record:
        session = recorder.Recorder(args.record or recorder.default_path(),
                                    settings=run_settings(config))
        backend.recorder = backend.attach(session)  # closed with the backend
        print(f"psc-looper: recording to {session.path}", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: done.set())
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    backend.start()
    stack = contextlib.ExitStack()
    if not args.no_sc:
        stack.enter_context(command_bridge(config.bridge_port, config.listen_port,
                                           server_port=args.sc_server_port,
                                           midi_out=args.midi_out, backend=backend,
                                           sample_rate=args.sample_rate, period=args.period,
                                           probe=True, jack_args=args.jack_args))
    view = None
    terminal = args.status == "tty" or (args.status == "auto" and sys.stdout.isatty()
                                         and sys.stdin.isatty())
    if args.status == "log" or (args.status == "auto" and not terminal):
        view = StatusView(backend.looper, backend.dispatcher.malformed_counts, tty=False)
        view.start()
    print(f"psc-looper: listening on {config.listen_host}:{config.listen_port}, "
          f"sending to {config.bridge_host}:{config.bridge_port}; Ctrl-C to stop", flush=True)
    try:
        if terminal:  # the status view with keys, on this thread until q or Ctrl-C
            with _log_file() as log_path:
                TerminalView(backend.looper, backend.dispatcher).run(done, args.duration)
            print(f"psc-looper: the log is in {log_path}", flush=True)
        else:
            done.wait(args.duration)
    finally:
        if view is not None:
            view.stop()
        backend.close()
        stack.close()
        reap_children()
    print("psc-looper: stopped, all notes off", flush=True)
    return 0


@contextlib.contextmanager
def _log_file() -> Iterator[Path]:
    """While the status view owns the terminal, log lines go to a file (named on exit)."""
    path = Path(tempfile.gettempdir()) / "psc-looper.log"
    with open(path, "a") as out:
        log_to(out)
        try:
            yield path
        finally:
            log_to(sys.stderr)
