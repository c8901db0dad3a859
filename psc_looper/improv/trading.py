"""Trader: the machine's own phrases in trade and continue modes (``improv/modes.py``).

The improv feature hands it the melody keys (``key``/``release``, under the Looper lock)
and the steps (``on_step``, the loop thread). A phrase is drawn ahead, ``LEAD_STEPS``
before the step it starts on (``phrases.draw_phrase`` on a stepper of the answering
model's bundle), over the chords of its steps, primed with the pianist's last phrase as
played: live in the models' niced child process (``follower_process.py``, shared with
the follower; the trader's own worker waits for it), inline in replays and tests. It
goes to the looper (``Looper.play_phrase``), which sends its notes with the loop's
steps, time-tagged and swung like them; a phrase ready after its first step was played
is refused there, skipped whole and counted. The pianist's melody during a phrase ends
it (``overlap = "yield"``, and always in continue mode): the feature then calls
``Looper.end_phrase``.

Threads and locks: the state below ``_lock``; ``key``/``release`` are called with the
Looper lock held (order Looper lock -> ``_lock``); nothing here calls the Looper while
holding ``_lock``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from psc_looper.background import Outcome, Worker
from psc_looper.improv.changes import Changes
from psc_looper.improv.follower_process import FollowerProcess, load_stepper
from psc_looper.improv.modes import TradeTurn, breath_over, trade_turn
from psc_looper.improv.options import ImprovMode, ImprovOptions, Overlap
from psc_looper.improv.phrases import draw_phrase, primer_for
from psc_looper.improv.streaming import can_step, family_of
from psc_looper.looper.engine import Looper
from psc_looper.looper.machine import PhraseNote
from psc_looper.looper.notes import Mode
from psc_looper.timing.clock import Clock

LEAD_STEPS = 4  # a phrase is drawn this many steps (a beat) before its first step
HEARD_STEPS = 64  # the pianist's notes kept for the primer


@dataclass
class TradeStats:
    """What the trading did: phrases played and skipped, their ready margins (seconds
    between a phrase being ready and its first step being sent)."""

    played: int = 0
    skipped: int = 0
    yielded: int = 0
    margins: list[float] = field(default_factory=list)
    phrases: list[list[PhraseNote]] = field(default_factory=list)


@dataclass(frozen=True)
class _Ask:
    number: int
    first: int
    steps: int
    played: tuple[tuple[float, float, int], ...]
    chords: tuple[Any, ...]
    seed: int | None


class Trader:
    """The machine's own phrases (see the module doc)."""

    def __init__(self, options: ImprovOptions, harmony: Callable[[], Changes],
                 model: Callable[[], Any], seed: int | None,
                 process: Callable[[], FollowerProcess] | None = None) -> None:
        self.options = options
        self.harmony = harmony  # the feature's harmony now (a snapshot)
        self.model = model  # the model answering now (its bundle is stepped)
        self.seed = seed
        self.process = process  # the models' child process (None: drawn inline, here)
        self.worker = Worker("improv-trade", inline=process is None)
        self.stats = TradeStats()
        self.draw: Callable[[_Ask], list[PhraseNote]] = self._draw
        self._lock = threading.Lock()
        # --- guarded by _lock ---
        self._origin: int | None = None  # the loop start turns count from without a chart
        self._heard: list[tuple[float, float | None, int]] = []  # (onset, end, pitch)
        self._down: set[int] = set()
        self._last_melody: float | None = None
        self._asked = 0  # the number of the last phrase asked
        self._phrase: tuple[int, int] | None = None  # (first, end) of the phrase asked/queued
        self._yielded_turn: int | None = None
        self._steps_per_bar = 16
        self._warm = False  # the stepper loaded ahead of the first phrase
        self._shown = ""  # whose turn the looper was last shown (show_turn)

    def attach(self, looper: Looper, clock: Clock) -> None:
        self.looper, self.clock = looper, clock

    def set_options(self, options: ImprovOptions) -> bool:
        """New options; True if the machine's phrase must end (the mode changed)."""
        with self._lock:
            changed = options.mode is not self.options.mode
            self.options = options
            if changed:
                self._origin, self._phrase = None, None
                self._asked += 1
        return changed

    def forget_phrase(self) -> None:
        """The phrase in flight or queued is dropped (a song or section switch): without a
        chart the turns count again from the next loop start (with one, from its bar 1)."""
        with self._lock:
            self._phrase, self._origin = None, None
            self._asked += 1

    # ------------------------------------------------------------------ keys (Looper lock)
    def key(self, note: int, position: float, melody: bool) -> bool:
        """A key while trading; True if the machine's phrase must end now (yield)."""
        if not melody:
            return False
        with self._lock:
            self._heard.append((position, None, note))
            self._down.add(note)
            self._last_melody = position
            phrase = self._phrase
            if phrase is None or not phrase[0] <= position < phrase[1]:
                return False
            if self.options.mode is ImprovMode.TRADE and self.options.overlap is Overlap.BOTH:
                return False
            self._phrase = None
            self._asked += 1
            if self._count_from() is not None and self.options.mode is ImprovMode.TRADE:
                self._yielded_turn = self._turn(int(position)).index
            self.stats.yielded += 1
            return True

    def release(self, note: int, position: float) -> None:
        with self._lock:
            if note not in self._down:
                return
            self._down.discard(note)
            self._last_melody = position
            for i in range(len(self._heard) - 1, -1, -1):
                onset, end, pitch = self._heard[i]
                if pitch == note and end is None:
                    self._heard[i] = (onset, position, pitch)
                    break

    # ------------------------------------------------------------------ loop thread
    def on_step(self, step: int, position: int, steps_per_bar: int) -> None:
        """Count the turns; ask for a phrase ``LEAD_STEPS`` before the machine's; show
        the looper whose turn it is when that changes (the recorder marks it)."""
        improv = self.looper.mode is Mode.IMPROV
        with self._lock:
            ask, warm = self._step(step, position, steps_per_bar) if improv else (None, False)
            whose = self._whose(step) if improv else ""
            changed, self._shown = whose != self._shown, whose
        if changed:
            self.looper.show_turn(whose, step)
        if ask is not None:
            self.worker.submit(lambda: self.draw(ask), lambda o: self._drawn(ask, o))
        elif warm:  # the first phrase need not load the model
            self.worker.submit(self.warm_up, lambda _outcome: None)

    def _step(self, step: int, position: int, steps_per_bar: int) -> tuple[_Ask | None, bool]:
        """In improv mode (under ``_lock``): the phrase to ask for now, if any, and whether
        to load the model first."""
        self._steps_per_bar = steps_per_bar
        mode = self.options.mode
        if mode is ImprovMode.RESPOND:
            return None, False
        warm, self._warm = not self._warm, True
        if position == 0 and self._origin is None:
            self._origin = step
        self._heard = [n for n in self._heard
                       if (n[1] if n[1] is not None else step) > step - HEARD_STEPS]
        first = step + LEAD_STEPS
        if mode is ImprovMode.TRADE and self._count_from() is not None:
            turn = self._turn(first)
            if turn.machine and turn.start == first:
                return self._ask(first, turn.steps), warm
        elif mode is ImprovMode.CONTINUE and self._may_continue(step, first):
            return self._ask(first, self.options.trade_bars * steps_per_bar), warm
        return None, warm

    def _may_continue(self, step: int, first: int) -> bool:
        """Continue mode (under ``_lock``): the pianist has breathed, no phrase sounds at
        ``first``."""
        free = self._phrase is None or self._phrase[1] <= first
        return free and bool(self._heard) and breath_over(
            step, self._last_melody, len(self._down), self.options.continue_steps)

    def _count_from(self) -> int | None:
        """The step the turns count from (under ``_lock``): the chart's bar 1 when a chart
        is known, else the loop start where trading began (or the last switch); None
        until then."""
        changes = self.harmony()
        return changes.origin if changes.chart is not None else self._origin

    def _turn(self, step: int) -> TradeTurn:
        origin = self._count_from()
        assert origin is not None
        return trade_turn(step, origin, self.options.trade_bars, self._steps_per_bar)

    def _ask(self, first: int, steps: int) -> _Ask:
        """The phrase from ``first`` (under ``_lock``): the notes heard, the chords."""
        self._asked += 1
        self._phrase = (first, first + steps)
        played = tuple((onset, end if end is not None else float(first), pitch)
                       for onset, end, pitch in self._heard)
        start, _ = primer_for(played, first)
        chords = tuple(self.harmony().span(start, first - start + steps))
        seed = None if self.seed is None else self.seed * 7919 + self._asked
        return _Ask(self._asked, first, steps, played, chords, seed)

    def _draw(self, ask: _Ask) -> list[PhraseNote]:
        """On the worker: the phrase, from a stepper of the answering model's bundle (in
        the models' process live)."""
        bundle, family = self._bundle()
        if self.process is not None:
            return self.process().draw(bundle, family, ask.played, ask.chords, ask.first,
                                       ask.steps, ask.seed, self.options.chord_weight)
        rng = np.random.default_rng(ask.seed)
        return draw_phrase(load_stepper(bundle, family).copy(), ask.played, ask.chords,
                           ask.first, ask.steps, rng, self.options.chord_weight)

    def warm_up(self) -> None:
        """Load the stepper (inline) or wait for the models' process to have loaded it (on
        the worker at the first step traded; a caller about to trade at once may wait)."""
        bundle, family = self._bundle()
        if self.process is not None:
            self.process().wait_started()
        else:
            load_stepper(bundle, family)

    def _bundle(self) -> tuple[str, str]:
        """The answering model's bundle and family (the stepper's)."""
        model = self.model()
        if not can_step(model):
            raise ValueError("trading needs a model the stepper can load (a bundle)")
        return str(model.path), family_of(model)

    def _drawn(self, ask: _Ask, outcome: Outcome) -> None:
        """The phrase is ready: to the looper if still wanted and in time (else skipped)."""
        with self._lock:
            if ask.number != self._asked:
                return
        if not outcome.ok:
            self.looper.warn(f"improv: the machine's phrase failed: {outcome.error}")
            return
        notes: list[PhraseNote] = outcome.result
        margin = (self.looper.schedule.time_of(ask.first) - self.looper.lookahead
                  - self.clock.now())
        if not notes:
            return
        if self.looper.play_phrase(notes):
            self.stats.played += 1
            self.stats.margins.append(margin)
            self.stats.phrases.append(notes)
            with self._lock:  # the machine's own line primes a continuation
                self._heard += [(float(n.step), float(n.step + n.duration), n.pitch)
                                for n in notes] if self.options.mode is ImprovMode.CONTINUE \
                    else []
        else:
            self.stats.skipped += 1
            self.looper.warn(f"improv: the machine's phrase was late, skipped "
                             f"({self.stats.skipped})")

    # ------------------------------------------------------------------ views
    def describe(self, step: int) -> str:
        """``trade: machine 3 bars left`` and the like ("" in respond mode)."""
        turn = self.turn_at(step)
        if turn is None:
            return ""
        who, left = turn
        skipped = f" | skipped {self.stats.skipped}" if self.stats.skipped else ""
        if self.options.mode is ImprovMode.CONTINUE:
            return f"continue: {who}{skipped}"
        if left is None:
            return f"trade: from the next loop start{skipped}"
        return f"trade: {who} {left} bar{'s' if left != 1 else ''} left{skipped}"

    def turn_at(self, step: int) -> tuple[str, int | None] | None:
        """Whose turn it is at ``step`` ("machine" or "pianist") and, trading, the bars
        left in it (None before the first loop start, and in continue mode); None in
        respond mode (the feature's phase says there)."""
        with self._lock:
            mode, whose = self.options.mode, self._whose(step)
            if mode is ImprovMode.RESPOND:
                return None
            if mode is ImprovMode.CONTINUE or not whose:
                return whose or "pianist", None
            return whose, self._turn(step).bars_left(step, self._steps_per_bar)

    def _whose(self, step: int) -> str:
        """Whose turn ``step`` is in (under ``_lock``): machine or pianist ("" in respond
        mode, or before the turns count)."""
        mode = self.options.mode
        if mode is ImprovMode.CONTINUE:
            phrase = self._phrase
            return "machine" if phrase and phrase[0] <= step < phrase[1] else "pianist"
        if mode is ImprovMode.RESPOND or self._count_from() is None:
            return ""
        turn = self._turn(step)
        return "machine" if turn.machine and turn.index != self._yielded_turn else "pianist"

    def close(self) -> None:
        self.worker.close()
