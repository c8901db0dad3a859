"""``psc-looper maps``: what each control does (controller maps and the status-view keys),
and ``--learn``: MIDI-learn a new controller into a map TOML."""

from __future__ import annotations

import argparse
import contextlib
import queue
import sys
import threading
import time
from pathlib import Path

from psc_looper.control.catalogue import ACTIONS, ARGUMENTS, describe
from psc_looper.control.learn import Control, Learner
from psc_looper.control.mapping import DEFAULT_MAP, Binding, MappingError, load_map
from psc_looper.osc.protocol import BACKEND_PORT, BRIDGE_PORT
from psc_looper.tomlfiles import line
from psc_looper.ui.keys import HELP_KEY, KEYS, QUIT_KEY

DEFAULT_MAPS = [DEFAULT_MAP, DEFAULT_MAP.with_name("keyboard.toml")]
DONE = "done"
SETTLE_SECONDS = 0.3


def register(sub: argparse._SubParsersAction) -> None:
    maps = sub.add_parser("maps", help="what each control does; --learn a new controller")
    maps.add_argument("maps", type=Path, nargs="*",
                      help="controller map TOML files (default: the shipped ones)")
    maps.add_argument("--actions", action="store_true", help="list every action instead")
    maps.add_argument("--learn", type=Path, metavar="OUT.toml",
                      help="MIDI-learn: move a control, type its action; writes OUT.toml")
    maps.add_argument("--name", default="My controller", help="the learned map's name")
    maps.add_argument("--listen-port", type=int, default=BACKEND_PORT,
                      help="UDP port the backend listens on (default %(default)s)")
    maps.add_argument("--bridge-port", type=int, default=BRIDGE_PORT,
                      help="UDP port of the SuperCollider bridge (sclang) the backend sends "
                           "to (default %(default)s)")
    maps.add_argument("--no-sc", action="store_true",
                      help="do not start SuperCollider (its bridge forwards the controller)")
    maps.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    if args.learn is not None:
        return learn(args)
    if args.actions:
        for name, text in ACTIONS.items():
            arguments = ARGUMENTS.get(name)
            print(f"{name:<20} {text}" + (f"  [:{'|'.join(arguments)}]" if arguments else ""))
        return 0
    for path in args.maps or DEFAULT_MAPS:
        try:
            controller = load_map(path)
        except MappingError as exc:
            print(f"psc-looper maps: {line(str(exc))}", file=sys.stderr)
            return 2
        source = controller.source or "any device"
        channel = "any channel" if controller.channel < 0 else f"channel {controller.channel}"
        print(f"{controller.name} ({path.name}; {source}, {channel})")
        for cc, binding in sorted(controller.bindings.items()):
            kind = "knob/slider" if binding.continuous else "button"
            action = binding.action + (f":{binding.argument}" if binding.argument else "")
            print(f"  CC {cc:>3} {kind:<11} {action:<22} {describe(binding)}")
        print()
    print("Status view keys (psc-looper run on a terminal)")
    for key in KEYS:
        print(f"  {key.shown:<6} {key.action:<22} {key.label}")
    print(f"  {HELP_KEY:<6} {'help':<22} every key, on the screen (again: back)")
    print(f"  {QUIT_KEY:<6} {'quit':<22} stop everything and leave")
    return 0


def learn(args: argparse.Namespace) -> int:
    from psc_looper.commands.bridge import command_bridge
    from psc_looper.osc.dispatcher import Dispatcher
    from psc_looper.osc.events import ControlChange, InputEvent
    from psc_looper.osc.server import OscServer

    learner = Learner(args.name)
    def route(event: InputEvent) -> None:
        if isinstance(event, ControlChange):
            learner.cc(event)

    server = OscServer(Dispatcher(route), "127.0.0.1", args.listen_port)
    server.start()
    with contextlib.ExitStack() as stack:
        if not args.no_sc:
            stack.enter_context(command_bridge(args.bridge_port, args.listen_port))
        print(f"MIDI-learn on port {server.address[1]}: move a control, then type its action "
              f"(psc-looper maps --actions lists them; Enter skips). Type {DONE} to finish.",
              flush=True)
        lines = _stdin_lines()
        try:
            while (control := _next_control(learner, lines)) is not None:
                if _ask(learner, control, lines) == DONE:
                    break
        finally:
            server.stop()
    if not learner.bound():
        print(f"psc-looper maps: nothing learned; {args.learn} not written", file=sys.stderr)
        return 1
    args.learn.write_text(learner.to_toml())
    print(f"wrote {args.learn}; use it with: psc-looper run --controller {args.learn}")
    return 0


def _ask(learner: Learner, control: Control, lines: queue.SimpleQueue[str]) -> str:
    """Ask for ``control``'s action until a known one binds it, Enter skips it or the
    performer types ``done``; returns the last answer."""
    kind = "knob/slider" if control.continuous else "button"
    while True:
        print(f"CC {control.cc} ({kind}) from {control.source or '?'}: action? ",
              end="", flush=True)
        answer = lines.get()
        if not answer or answer == DONE:
            return answer
        try:
            learner.assign(control, answer)
        except ValueError as exc:
            print(f"  {exc}; try again (Enter skips this control)", flush=True)
            continue
        name, _, argument = answer.partition(":")
        words = describe(Binding(name, argument or None, control.continuous))
        print(f"  CC {control.cc} -> {answer}: {words}", flush=True)
        return answer


def _stdin_lines() -> queue.SimpleQueue[str]:
    """The performer's typed lines, read on their own thread (end of input: ``done``)."""
    lines: queue.SimpleQueue[str] = queue.SimpleQueue()

    def read() -> None:
        for typed in sys.stdin:
            lines.put(typed.strip())
        lines.put(DONE)
    threading.Thread(target=read, name="learn-input", daemon=True).start()
    return lines


def _next_control(learner: Learner, lines: queue.SimpleQueue[str]) -> Control | None:
    """The next control moved, or None when the performer types ``done``."""
    while True:
        control = learner.wait_control(timeout=0.2)
        if control is not None:
            time.sleep(SETTLE_SECONDS)  # let a knob send a few values
            learner.settle(control)
            return control
        with contextlib.suppress(queue.Empty):
            if lines.get_nowait() == DONE:
                return None
