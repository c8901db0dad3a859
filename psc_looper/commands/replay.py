"""``psc-looper replay``: send a MIDI file's input events into a backend, as the bridge would."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from psc_looper.config import performer
from psc_looper.config.performer import PerformerSettings
from psc_looper.models.errors import ModelError
from psc_looper.models.improv import is_improv_bundle
from psc_looper.rig.demos import Bundles, shipped_bundles
from psc_looper.rig.replay import (
    TAIL_SECONDS,
    ReplayOptions,
    replay_config,
    replay_inputs,
    replay_udp,
    replay_virtual,
)
from psc_looper.sc.client import SIM_ADDRESSES
from psc_looper.sessions import settings as session_settings
from psc_looper.sessions.foreign import parse_channels
from psc_looper.sessions.format import RunSettings
from psc_looper.sessions.reader import SessionFileError, read_session
from psc_looper.sessions.script import ScriptError

DEFAULT_OUT = Path("out")


def register(sub: argparse._SubParsersAction) -> None:
    replay = sub.add_parser(
        "replay", help="replay a recorded session (or any piano MIDI file) into the backend",
        description="Replay a session file's input events (or any MIDI file's notes as "
                    "keyboard input) into an in-process backend on the virtual clock "
                    "(default) or a running backend over UDP at real-time speed. A "
                    "session keeps the settings it was run with (loop, improv, band, seed; "
                    "no models if it ran without): the replay uses them, and --config, "
                    "--set, --changes, --band, --seed and the model options given here "
                    "override them.")
    replay.add_argument("file", type=Path, help="a .mid file")
    target = replay.add_mutually_exclusive_group()
    target.add_argument("--udp", metavar="HOST:PORT",
                        help="send to a running backend at real-time speed instead")
    target.add_argument("--bridge", metavar="HOST:PORT",
                        help="send to a running SuperCollider bridge started with PSC_SIM=1, "
                             "as simulated MIDI input, at real-time speed instead")
    replay.add_argument("--out", type=Path,
                        help=f"output session file (default: {DEFAULT_OUT}/<name>.replay.mid)")
    replay.add_argument("--png", type=Path, help="also draw the output as a piano roll")
    replay.add_argument("--seed", type=int,
                        help="seed the models: same seed, same music (default: the "
                             "session's own, if it keeps one)")
    replay.add_argument("--script", help='controller actions, e.g. "play@0; bass@0-2bars; '
                                         'improv@2bars" (see psc_looper/sessions/script.py)')
    replay.add_argument("--melody-bundle", type=Path,
                        help="a MelodyRNN .mag bundle (default: the shipped one); an "
                             "ImprovRNN .mag here alone answers over the chords itself")
    replay.add_argument("--improv-bundle", type=Path,
                        help="an ImprovRNN .mag bundle that answers while the harmony is known "
                             "(default: the shipped one, unless --melody-bundle is ImprovRNN)")
    replay.add_argument("--drums-bundle", type=Path,
                        help="a DrumsRNN .mag bundle (default: the shipped one)")
    replay.add_argument("--no-models", action="store_true",
                        help="load no models (no MelodyRNN, ImprovRNN or DrumsRNN): the looper "
                             "alone, no machine improv and no DrumsRNN grooves; starts faster")
    replay.add_argument("--channels", metavar="N,N",
                        help="a plain MIDI file's piano channels, 1..16 (default: every "
                             "channel with notes but 10, the drums; piano programs first)")
    replay.add_argument("--tail", type=float, default=TAIL_SECONDS,
                        help="seconds played after the last event (default %(default)s)")
    performer.add_arguments(replay)
    replay.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    try:
        try:
            session = read_session(args.file, parse_channels(args.channels))
            kept = session.run_settings()
        except SessionFileError:
            performer.settings_from_args(args)  # a bad option is named first, as before
            raise
        base = None if kept is None else session_settings.performer_settings(
            kept, f"{args.file}: its settings")
        seed = args.seed if args.seed is not None or kept is None else kept.seed
        models = bundles_from(args, kept)
        settings = performer.settings_from_args(args, base)
        options = ReplayOptions(args.script, seed, models.melody, models.drums, args.tail,
                                settings, improv_bundle=models.improv)
        config = replay_config(session, options)
        inputs = replay_inputs(session, options, config)
        address = args.udp or args.bridge
        target = _udp_target(address) if address else None
    except (SessionFileError, ScriptError, ValueError) as exc:
        print(f"psc-looper replay: {exc}", file=sys.stderr)
        return 2
    if kept is not None and base is not None:
        print(f"psc-looper replay: settings from the session "
              f"({session_settings.describe(base, kept.seed)}); {_overridden(args, settings)}")
    kind = "session" if session.ours else "MIDI file (notes as keyboard input)"
    print(f"psc-looper replay: {args.file}: {kind}, {len(session.inputs)} input events; "
          f"{_models_line(args, models)}")
    if kept is not None and not args.no_models and _names(models) != kept.models:
        print(f"psc-looper replay: the session ran with other models "
              f"({_short(kept.models)}): the music may differ")
    for notice in session.notices:
        print(f"left out or changed: {notice}")
    if not inputs:
        print("psc-looper replay: warning: nothing to replay (no notes or controller events)")
    if target is not None:
        sent = replay_udp(inputs, *target, rename=SIM_ADDRESSES if args.bridge else None)
        print(f"events in: {sent} sent to {target[0]}:{target[1]}")
        return 0
    out = args.out or DEFAULT_OUT / f"{args.file.stem}.replay.mid"
    try:
        result = replay_virtual(inputs, config, out, options.tail)
    except ModelError as exc:
        print(f"psc-looper replay: {exc}", file=sys.stderr)
        return 2
    print("\n".join(result.summary()))
    print(f"output: {out}")
    if args.png:
        from psc_looper.sessions.pianoroll import draw_piano_roll

        draw_piano_roll(read_session(out), args.png, f"replay of {args.file.name}")
        print(f"piano roll: {args.png}")
    return 0


def bundles_from(args: argparse.Namespace, kept: RunSettings | None = None) -> Bundles:
    """The models a replay loads: the shipped ones (as ``run`` and ``demo``), those named,
    or none with ``--no-models`` or when the session ran without models (``kept``) and
    none is named."""
    named = args.melody_bundle or args.improv_bundle or args.drums_bundle
    if args.no_models or (kept is not None and kept.without_models and not named):
        return Bundles(None, None)
    shipped = shipped_bundles()
    improv = args.improv_bundle
    if improv is None and not (args.melody_bundle and is_improv_bundle(args.melody_bundle)):
        improv = shipped.improv  # an ImprovRNN given as the melody answers over chords itself
    return Bundles(args.melody_bundle or shipped.melody, args.drums_bundle or shipped.drums,
                   improv)


def _models_line(args: argparse.Namespace, models: Bundles) -> str:
    if args.no_models:
        return "models: none (--no-models)"
    if models == Bundles(None, None) and shipped_bundles() != models:
        return "models: none (the session ran without models)"
    return models.describe()


def _names(models: Bundles) -> dict[str, str | None]:
    return {kind: None if path is None else path.name for kind, path in
            (("melody", models.melody), ("improv", models.improv), ("drums", models.drums))}


def _short(names: dict[str, str | None]) -> str:
    return ", ".join(f"{kind} {name or 'none'}" for kind, name in sorted(names.items()))


def _overridden(args: argparse.Namespace, settings: PerformerSettings) -> str:
    """Which of the session's settings the command line changed (``settings.given``)."""
    given = sorted(settings.given) + (["seed"] if args.seed is not None else [])
    if not given:
        return "--set and the other options override them"
    return f"overridden here: {', '.join(given)}"


def _udp_target(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"--udp and --bridge want HOST:PORT, not {text!r}")
    return host, int(port)
