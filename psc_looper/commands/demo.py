"""``psc-looper demo``: replay a shipped demo end to end; write its output and a piano roll,
and, when SuperCollider is installed, hear it through the bridge and record it to WAV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from psc_looper.models.errors import ModelError
from psc_looper.rig.demos import (
    DEMO_SEED,
    DEMOS_DIR,
    demo_names,
    demo_options,
    draw_demo,
    run_demo,
)
from psc_looper.rig.heard import hear
from psc_looper.sc.launcher import BridgeError, SuperColliderMissing, require_tools
from psc_looper.sc.onsets import levels
from psc_looper.sessions.reader import read_session

DEFAULT_OUT = Path("out") / "demos"


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser("demo", help="replay a demo session with the shipped models",
                          description=f"Replay demos from {DEMOS_DIR} on the virtual clock; "
                                      "write each output session and a piano-roll PNG.")
    demo.add_argument("name", nargs="?", default="all",
                      help="demo to replay (default: all; --list shows them)")
    demo.add_argument("--list", action="store_true", help="list the demos and exit")
    demo.add_argument("--out", type=Path, default=DEFAULT_OUT,
                      help="folder for <name>.mid and <name>.png (default: %(default)s)")
    demo.add_argument("--seed", type=int, default=DEMO_SEED, help="default %(default)s")
    demo.add_argument("--sound", choices=("auto", "yes", "no"), default="auto",
                      help="also play it through SuperCollider in real time and record "
                           "<name>.wav (auto: when SuperCollider is installed)")
    demo.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    names = demo_names()
    if args.list:
        print("\n".join(names) if names else f"no demos in {DEMOS_DIR}")
        return 0
    wanted = names if args.name == "all" else [args.name]
    unknown = [n for n in wanted if n not in names]
    if unknown or not wanted:
        print(f"psc-looper demo: no demo {', '.join(unknown) or ''} in {DEMOS_DIR} "
              f"(known: {', '.join(names) or 'none'})", file=sys.stderr)
        return 2
    sound = _sound_wanted(args.sound)
    for name in wanted:
        try:
            run = run_demo(name, args.out, args.seed)
        except ModelError as exc:
            print(f"psc-looper demo: {name}: {exc}", file=sys.stderr)
            return 2
        png = draw_demo(run, args.out / f"{name}.png")
        print(f"== demo {name} (seed {args.seed}); {run.bundles.describe()}")
        print("\n".join(run.result.summary()))
        print(f"output: {args.out / f'{name}.mid'}\npiano roll: {png}", flush=True)
        if sound:
            print("playing it through SuperCollider in real time ...", flush=True)
            session = read_session(DEMOS_DIR / f"{name}.mid")
            try:
                heard = hear(session, demo_options(args.seed, run.bundles, name),
                             args.out / f"{name}.wav")
            except BridgeError as exc:
                print(f"psc-looper demo: SuperCollider failed: {exc}", file=sys.stderr)
                return 1
            level = levels(heard.wav)
            xruns = "JACK not ours" if heard.xruns is None else f"{heard.xruns} xruns"
            print(f"recording: {heard.wav} (peak {level.peak_dbfs:.1f} dBFS, "
                  f"{level.clipped} clipped samples; {xruns})")
        print()
    return 0


def _sound_wanted(choice: str) -> bool:
    if choice == "no":
        return False
    try:
        require_tools()
    except SuperColliderMissing as exc:
        if choice == "yes":
            raise SystemExit(f"psc-looper demo: {exc}") from exc
        print(f"psc-looper demo: {exc}; writing the files without sound\n")
        return False
    return True
