"""The status view on a terminal, with single-key control (prompt_toolkit).

prompt_toolkit draws the panel (``ui.status.render`` of a looper snapshot, the layers
and the song) and reads keys without hand-written escape codes; it is chosen over rich
(output only, no key input) and textual (a whole widget framework, heavier to redraw)
because it does both in one small event loop. The view runs on the thread that calls
``run`` (the main thread in ``psc-looper run``), redraws at most ``REFRESH_SECONDS``
apart from one ``Looper.snapshot()`` (one short lock) and sends each key into the
dispatcher as the computer keys' ``/ccevent`` (``ui.keys``: recorded and replayed like
any controller): the loop thread never waits for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from prompt_toolkit.application import Application
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout import Layout
from prompt_toolkit.layout.containers import Window
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.output import Output

from psc_looper.looper.engine import Looper
from psc_looper.osc.dispatcher import Dispatcher
from psc_looper.osc.protocol import CC_EVENT
from psc_looper.ui.keys import (
    HELP_KEY,
    KEYS,
    KEYS_SOURCE,
    QUIT_KEY,
    Key,
    help_lines,
    help_overlay,
)
from psc_looper.ui.status import REFRESH_SECONDS, render


class TerminalView:
    def __init__(self, looper: Looper, dispatcher: Dispatcher,
                 input: Input | None = None, output: Output | None = None) -> None:
        self.looper = looper
        self.dispatcher = dispatcher
        self.help_shown = False  # the ``?`` overlay (view-only state: the event loop's thread)
        self.app: Application[None] = Application(
            layout=Layout(Window(FormattedTextControl(self.text), wrap_lines=True)),
            key_bindings=self._bindings(),
            full_screen=True,
            refresh_interval=REFRESH_SECONDS,
            input=input,
            output=output,
        )

    def text(self) -> str:
        """The panel and the key help, or the help overlay (``?``)."""
        width = max(40, self.app.output.get_size().columns - 1)
        panel = render(self.looper.snapshot(), self.dispatcher.malformed_counts(), width)
        if self.help_shown:
            header = panel.split("\n", 1)[0]
            return "\n".join([header, "", f"keys ({HELP_KEY} again: back):", *help_overlay()])
        return "\n".join([panel, "", "keys:", *help_lines(width)])

    def run(self, done: threading.Event, timeout: float | None = None) -> None:
        """Show the view until ``q`` / Ctrl-C, ``done`` is set or ``timeout`` passes
        (checked at each redraw); then set ``done``."""
        deadline = None if timeout is None else time.monotonic() + timeout

        def check(_app: object) -> None:
            if done.is_set() or (deadline is not None and time.monotonic() >= deadline):
                self._quit()
        self.app.before_render += check
        try:
            self.app.run()
        finally:
            self.app.before_render -= check
            done.set()

    def _quit(self) -> None:
        future = self.app.future
        if self.app.is_running and future is not None and not future.done():
            self.app.exit()

    def _bindings(self) -> KeyBindings:
        bindings = KeyBindings()
        for key in KEYS:
            bindings.add(key.key)(self._runner(key))
        bindings.add(HELP_KEY)(lambda _event: self._toggle_help())
        bindings.add(QUIT_KEY)(lambda _event: self._quit())
        bindings.add("c-c")(lambda _event: self._quit())
        return bindings

    def _toggle_help(self) -> None:
        self.help_shown = not self.help_shown

    def _runner(self, key: Key) -> Callable[[KeyPressEvent], None]:
        def press(_event: KeyPressEvent) -> None:
            self.dispatcher.handle(CC_EVENT, [key.cc, 127, 0, KEYS_SOURCE])
        return press
