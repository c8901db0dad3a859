"""ImprovFeature: call and response — MelodyRNN's pitches in the pianist's rhythm.

Two models may answer. The chord model, an ImprovRNN bundle (``chord_model``, or the
melody model itself when it is one), generates the line over the chords of the steps it
continues into (``improv/changes.py``: a chord chart, or the recorded chord loop)
whenever the harmony is known; otherwise the plain melody model (MelodyRNN) answers
without chords (an ImprovRNN as the only model gets "no chord" at every step). Which
one answers is decided when a generation is requested and kept in the request.
Fitting pitches to the chord loop afterwards (``Fit``) stays an option on top.

In improv mode the feature listens: the pianist's notes fill the primer buffer. At
``threshold`` notes MelodyRNN continues the primer in the background (one generation
in flight); its pitches (rhythm dropped) fill the machine's line. From the next
boundary, after a breath, each key the pianist presses sounds the line's next pitch
with the key's timing and velocity, placed near the pianist's hands and fitted to the
chord loop. When the line is used up the feature listens again (notes played while
the line waited for its boundary are dropped at the takeover: each turn of the pianist
is heard whole).

Its phases change only through the table of ``improv/turns.py``. In follower mode
(``options.follower``, ``improv/streaming.py``) no line is generated: the answering
model is primed with the pianist's phrase and stepped with the transport, and each key
of the machine's turn looks its pitch up.

Threads and locks: all the state below ``_lock`` is owned by that lock. The key hook
(``on_key``, ``on_release``) is called with the Looper lock held, so the lock order is
Looper lock -> ``_lock``: nothing here calls the Looper while holding ``_lock``, and
generation is submitted only from the step listener or an action, outside both locks.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any, NamedTuple

from psc_looper.background import Outcome, Worker
from psc_looper.control.knobs import PRESSED
from psc_looper.harmony.chart import ChartError, parse_chart
from psc_looper.host import Host
from psc_looper.improv import hands, policy, voicing
from psc_looper.improv.changes import Changes, live_chord, loop_chords
from psc_looper.improv.follower import FollowOptions
from psc_looper.improv.follower_process import FollowerProcess
from psc_looper.improv.options import Fit, ImprovMode, ImprovOptions, temperature_from_knob
from psc_looper.improv.primer import PrimerBuffer, build_primer, steps_to_generate
from psc_looper.improv.streaming import Streaming, can_step, model_process
from psc_looper.improv.trading import Trader
from psc_looper.improv.turns import Phase, Turn, next_phase, played_through
from psc_looper.looper.engine import Looper
from psc_looper.looper.notes import Track
from psc_looper.looper.recording import quantize
from psc_looper.models.generators import MelodyGenerator, request_seed
from psc_looper.models.improv import takes_chords
from psc_looper.models.notes import STEPS_PER_BAR, Note
from psc_looper.timing.clock import Clock
from psc_looper.timing.meter import LoopStructure

log = logging.getLogger(__name__)

STALE_KEY_STEPS = 64  # a key held this long without a note-off no longer blocks a breath


class TurnView(NamedTuple):
    """Whose turn it is now, as a stage view shows it (``ImprovFeature.turn``)."""

    who: str  # "machine" or "pianist"
    bars_left: int | None  # in the turn, when counted (trade mode)
    mode: str  # respond, trade, continue
    held: bool  # the machine is held back (improv_hold)


@dataclass(frozen=True)
class _Anchor:
    """The last key that took a generated pitch: later keys within the chord window follow it."""

    time: float
    key: int
    pitch: int


@dataclass(frozen=True)
class _Request:
    model: MelodyGenerator  # the model that answers (the chord model or the plain one)
    number: int
    primer: list[Note]
    primer_steps: int
    num_steps: int
    temperature: float
    seed: int | None
    chords: tuple[Any, ...] | None = None  # per primer and generated step (ImprovRNN)


class ImprovFeature:
    """Call and response (``host.Feature``): built with its models, then attached."""

    looper: Looper  # set by attach
    clock: Clock

    def __init__(
        self,
        model: MelodyGenerator,
        options: ImprovOptions | None = None,
        *,
        chord_model: MelodyGenerator | None = None,
        seed: int | None = None,
        inline: bool = False,
    ) -> None:
        self.model = model  # answers when no harmony is known (or there is no chord model)
        # answers over the chords when the harmony is known (an ImprovRNN); set once here
        self.chord_model = chord_model if chord_model is not None else (
            model if takes_chords(model) else None)
        self.options = opts = options or ImprovOptions()
        self.seed = seed
        self.worker = Worker("improv", inline=inline)
        self._lock = threading.Lock()
        # --- guarded by _lock ---
        self._phase = Phase.LISTENING
        self._primer = PrimerBuffer()
        self._recent: deque[int] = deque(maxlen=opts.register_window)
        self._line: list[int] = []  # the generated pitches, as generated
        self._placed: list[int] = []  # the line moved near the hands at takeover
        self._next = 0  # index of the next pitch of _placed to sound
        self._last_machine: int | None = None  # the line's last pitch sounded
        self._boundary: int | None = None  # armed boundary step while READY
        self._held = False
        self._called = False
        self._temperature = opts.temperature
        self._requests = 0
        self._last_activity: float | None = None
        self._down: dict[int, float] = {}  # key -> press step, from the hook and note-offs
        self._anchor: _Anchor | None = None
        self._hands = hands.Hands(hands.parse_split(opts.split), opts.chord_window)
        self._keys_down: set[int] = set()  # every key down, both hands
        self._struck: dict[int, float] = {}  # accompaniment key -> step last struck
        self._structure = LoopStructure()
        self._loop_start = 0
        self._chord_source: tuple[Any, ...] = ()
        self._chords: list[voicing.PitchClasses] = []
        self._scale: voicing.PitchClasses = frozenset()
        self._changes = Changes(meter=self._structure.meter)
        self._chart_text = ""  # the chart in _changes ("" none); _refused: last bad one
        self._refused = ""
        self._pending_chart: str | None = opts.changes  # heard from the next loop start
        self._chart_source = "chart"  # whose chart: the command line's or config's, a song's
        # follower mode (options.follower; see improv/streaming.py): the turn being streamed
        self._streaming: Streaming | None = None
        self._streams = False  # this turn's pitches come from the follower
        self._last_breath: float | None = None  # the last melody key after a breath
        self._previous_key: float | None = None  # the last melody key
        self._heard_until = 0  # the first step whose keys may still arrive (on_step)
        # the stepped models' child process (live only; follower_process.py), shared by
        # the follower and the trader: started with the feature in follower or trade mode
        self._process: FollowerProcess | None = None
        # trade and continue modes: the machine's own phrases (improv/trading.py)
        self.trader = Trader(opts, lambda: self._changes, self._answering, seed,
                             None if inline else self._model_process)
        if opts.follower and not inline:
            self._streaming = self._new_streaming()
        elif opts.mode is not ImprovMode.RESPOND and not inline:  # trading from the start
            self._started_process()

    # ------------------------------------------------------------------ wiring
    def attach(self, host: Host) -> None:
        """Install the key hook, step listener, actions and status line (``host.Feature``)."""
        self.looper, self.clock = host.looper, host.clock
        self.trader.attach(host.looper, host.clock)
        self._refresh_harmony()
        self.looper.set_key_hook(self)
        self.looper.add_step_listener(self.on_step)
        self.looper.add_status("improv", self.describe)
        host.actions.register("improv_hold", self.hold_action)
        host.actions.register("improv_call", self.call_action)
        host.actions.register("improv_mode", lambda arg, value: self.set_mode(arg, value))
        host.actions.register(
            "melody_temperature", lambda _arg, value: self.set_temperature(value)
        )

    def apply(self, options: ImprovOptions, chart: str = "", source: str = "chart") -> None:
        """New options (a song or section switch): at once. The harmony from the next loop
        start (``on_step``): ``chart`` (a song's or section's, named by ``source``) if
        given, else the options' own ``changes`` (the command line's or config's)."""
        with self._lock:
            self.options = options  # a frozen value, swapped whole (read without the lock)
            text = chart or options.changes
            self._chart_source = source if chart else "chart"
            self._pending_chart = None if text in (self._chart_text, self._refused) else text
        self.trader.set_options(options)
        self.trader.forget_phrase()
        self.looper.end_phrase()  # a phrase over the old harmony ends with it

    def set_mode(self, argument: str | None, value: int = PRESSED) -> None:
        """``improv_mode:trade`` (respond, trade, continue): at once; a phrase playing ends."""
        if value < PRESSED:
            return
        if argument not in tuple(ImprovMode):
            raise ValueError(f"improv_mode takes one of {', '.join(ImprovMode)}, not {argument!r}")
        with self._lock:
            self.options = dataclasses.replace(self.options, mode=ImprovMode(argument))
            options = self.options
        if self.trader.set_options(options):
            self.looper.end_phrase()

    def close(self) -> None:
        """Stop the worker, then release the models (those that can be closed; once each)."""
        self.worker.close()
        self.trader.close()
        if self._process is not None:
            self._process.close()
        models = [self.model]
        if self.chord_model is not None and self.chord_model is not self.model:
            models.append(self.chord_model)
        for model in models:
            close_model = getattr(model, "close", None)
            if close_model is not None:
                close_model()

    # ------------------------------------------------------------------ keys (Looper lock held)
    def on_key(self, note: int, velocity: int, position: float) -> tuple[list[int], bool]:
        """A key in improv mode: the machine's next pitch, or the key itself (collected)."""
        now = self.clock.now()
        opts = self.options
        with self._lock:
            melody = self._hands.is_melody(note, position, len(self._keys_down), now)
            self._keys_down.add(note)
            if not melody:
                self._struck[note] = position  # the live harmony (changes.live_chord)
            if opts.mode is not ImprovMode.RESPOND:
                self._touch(note, position)
            elif not melody:
                return [note], False  # the accompaniment passes through as played
        if opts.mode is not ImprovMode.RESPOND:  # trading: every key sounds as played
            if self.trader.key(note, position, melody):
                self.looper.end_phrase()  # yield (the Looper lock is re-entrant)
            return [note], False
        with self._lock:
            anchor = self._anchor
            if anchor is not None and now - anchor.time <= opts.chord_window:
                self._touch(note, position)
                pitch = voicing.follow(anchor.key, anchor.pitch, note)
                return [self._above_accompaniment(pitch, position)], True
            if self._phase is Phase.READY and self._may_take_over(position):
                self._take_over(note, position)
            if self._phase is Phase.LEADING:
                pitch = self._streamed_pitch(note, position) if self._streams else \
                    self._next_pitch(position)
                self._anchor = _Anchor(now, note, pitch)
                self._touch(note, position)
                return [pitch], True
            self._anchor = None
            self._hear_breath(position)
            self._touch(note, position)
            self._primer.add(note, position)
            if self._streaming is not None:
                self._streaming.heard(position, note)
            self._recent.append(note)
            return [note], False

    def _may_take_over(self, position: float) -> bool:
        if self._held:
            return False
        if self._called:
            return True
        now = position - STALE_KEY_STEPS
        down = sum(1 for pressed in self._down.values() if pressed > now)
        if policy.may_take_over(
            position, self._boundary, self._last_activity, down, self.options.breath_steps
        ):
            return True
        return (self._boundary is not None and quantize(position) >= self._boundary
                and self._last_breath is not None
                and played_through(position, self._previous_key, self._last_breath,
                                   self.options.through_bars,
                                   self._structure.meter.steps_per_bar))

    def _hear_breath(self, position: float) -> None:
        """Remember the pianist's last key and the last one after a breath (under ``_lock``)."""
        down = sum(1 for pressed in self._down.values() if pressed > position - STALE_KEY_STEPS)
        if self._last_breath is None or policy.had_breath(
                position, self._last_activity, down, self.options.breath_steps):
            self._last_breath = position
        self._previous_key = position

    def _take_over(self, note: int, position: float) -> None:
        if self._streams and self._streaming is not None:
            self._streaming.begin(quantize(position))
            self._line = [0] * self.options.max_generated  # the turn's length in keys
        reference = voicing.reference_pitch([*self._recent, note])
        if not self.options.follow_register:
            reference = None
        self._placed = voicing.place_line(self._line, reference)
        self._next = 0
        self._last_machine = None
        self._primer.take()  # the pianist's next turn starts after the machine's
        self._phase = next_phase(self._phase, Turn.TAKE_OVER)
        self._called = False

    def _next_pitch(self, position: float) -> int:
        pitch = self._placed[self._next]
        if self._chords and self.options.fit is not Fit.OFF:
            step = (quantize(position) - self._loop_start) % len(self._chords)
            pitch = voicing.fit_pitch(pitch, self._chords[step], self._scale, self.options.fit)
        pitch = voicing.within_leap(pitch, self._last_machine, self.options.max_leap)
        pitch = self._last_machine = self._above_accompaniment(pitch, position)
        self._next += 1
        if self._next >= len(self._placed):
            self._finish_line()
        return pitch

    def _streamed_pitch(self, key: int, position: float) -> int:
        """The follower's pitch for ``key`` (a lookup; a fallback if nothing is prepared)."""
        assert self._streaming is not None
        pitch = self._streaming.take(position, key)
        if pitch is None:
            pitch = key  # not primed in time: the key itself (counted as a fallback)
        pitch = self._last_machine = self._above_accompaniment(pitch, position)
        self._streaming.sounded(position, pitch)
        self._next += 1
        if self._next >= len(self._placed):
            self._finish_line()
        return pitch

    def _above_accompaniment(self, pitch: int, position: float) -> int:
        """The machine never plays under the pianist's accompaniment: up by octaves."""
        return hands.above(pitch, self._hands.accompaniment_top(position))

    def _finish_line(self, turn: Turn = Turn.LINE_DONE) -> None:
        if self._streams and self._streaming is not None:
            self._streaming.end()
        self._streams = False
        self._phase = next_phase(self._phase, turn)
        self._line, self._placed, self._next = [], [], 0
        self._boundary = None

    def _touch(self, note: int, position: float) -> None:
        self._down[note] = position
        self._last_activity = position

    def on_release(self, note: int, position: float) -> None:
        """A key released, in any mode: it ends a primer note and may start a rest."""
        self.trader.release(note, position)
        with self._lock:
            self._keys_down.discard(note)
            self._hands.released(note, position)
            self._primer.release(note, position)
            if self._down.pop(note, None) is not None:
                self._last_activity = max(position, self._last_activity or position)
                if self._streams and self._streaming is not None:
                    anchor = self._anchor
                    if self._phase is not Phase.LEADING:
                        self._streaming.heard_release(position)
                    elif anchor is not None and anchor.key == note:
                        self._streaming.released(position)

    # ------------------------------------------------------------------ loop thread
    def on_step(self, step: int, position: int, at: float) -> None:
        """Step listener: follow bar lines and loop starts, start generations."""
        if position == 0:
            with self._lock:  # a chart heard from this loop start has its bar 1 here
                self._loop_start = step
            self._refresh_harmony()
        # steps whose keys have all arrived (a step is called ahead, by the lookahead)
        heard = quantize(self.looper.schedule.step_at(self.clock.now()))
        with self._lock:
            self._heard_until = heard
            if position == 0:
                self._loop_start = step
                self._changes = dataclasses.replace(self._changes, loop_start=step)
            if (
                self._phase is Phase.READY
                and self._boundary is None
                and policy.is_boundary(position, self._structure, self.options.boundary)
            ):
                self._boundary = step
            request = None
            if self._phase is Phase.LISTENING and len(self._primer) >= self.options.threshold:
                request = self._new_request(float(step))
            streaming = self._streaming if self._streams else None
        if request is not None:
            self._submit(request)
        self.trader.on_step(step, position, self._structure.meter.steps_per_bar)
        if streaming is not None:
            self.worker.submit(lambda: streaming.sync(heard), self._on_synced)

    def _on_synced(self, outcome: Outcome) -> None:
        if not outcome.ok:
            self.looper.warn(f"improv: the follower failed: {outcome.error}")

    def _refresh_harmony(self) -> None:
        """Re-read the structure and chord loop (outside ``_lock``; cheap when unchanged)."""
        with self._lock:
            chart, self._pending_chart = self._pending_chart, None
        if chart is not None:
            self.set_changes(chart)
        structure = self.looper.structure
        chords = self.looper.track_notes(Track.CHORDS)
        source = (structure.steps, *chords)
        with self._lock:
            self._structure = structure
            if source == self._chord_source:
                return
        chord_map = voicing.chord_map(chords, structure.steps)
        scale = voicing.loop_scale(chords)
        per_step = loop_chords(chords, structure.steps) if self.chord_model is not None else ()
        with self._lock:
            self._chord_source, self._chords, self._scale = source, chord_map, scale
            self._changes = dataclasses.replace(self._changes, loop=per_step,
                                                meter=structure.meter)

    def set_changes(self, text: str) -> bool:
        """Generate over the chord chart ``text`` from the current loop start on ("": over
        the recorded chord loop again). A chart that does not parse is refused with one
        warning line naming the symbol and its place; the harmony stays as it was."""
        try:
            chart = parse_chart(text) if text.strip() else None
        except ChartError as exc:
            with self._lock:
                self._refused = text
            self.looper.warn(f"improv: chord chart refused, harmony unchanged: {exc}")
            return False
        with self._lock:
            self._chart_text, self._refused = text, ""
            self._changes = dataclasses.replace(self._changes, chart=chart,
                                                origin=self._loop_start)
            origin = self._loop_start
        self.looper.show_chart(chart, origin)  # the status view's form
        return True

    def chords_at(self, first: int, count: int) -> list[Any]:
        """The chords the model is given for ``count`` absolute steps from ``first``."""
        with self._lock:
            return self._changes.span(first, count)

    # ------------------------------------------------------------------ generation
    def _new_request(self, now: float) -> _Request | None:
        """Take the primer and move to GENERATING (under ``_lock``); None if it is empty."""
        played = self._primer.take()
        if not played:
            return None
        if self._stream(played, now):
            return None
        first = quantize(min(n.onset for n in played))
        steps_per_bar = self._structure.meter.steps_per_bar
        offset = (first - self._loop_start) % steps_per_bar if steps_per_bar == STEPS_PER_BAR else 0
        primer, primer_steps = build_primer(played, now, offset)
        opts = self.options
        num_steps = steps_to_generate(
            primer, primer_steps, opts.max_generated, opts.max_generate_steps
        )
        seed = request_seed(self.seed, self._requests)
        self._requests += 1
        self._phase = next_phase(self._phase, Turn.GENERATE)
        self._hear_accompaniment(now)
        model = self._answering()
        chords = None
        if model is self.chord_model or takes_chords(model):  # primer step 0: step first - offset
            chords = tuple(self._changes.span(first - offset, primer_steps + num_steps))
        return _Request(
            model, self._requests, primer, primer_steps, num_steps, self._temperature, seed,
            chords,
        )

    def _stream(self, played: list[Any], now: float) -> bool:
        """Follower mode: prime the answering model with ``played`` and get ready at once
        (under ``_lock``); False when the options or the model leave it to the whole line."""
        if not self.options.follower:
            return False
        self._hear_accompaniment(now)
        model = self._answering()
        if not can_step(model):
            return False
        if self._streaming is None:
            self._streaming = self._new_streaming()
        self._streaming.request(model, played, self._heard_until)
        self._streams = True
        self._requests += 1
        self._phase = next_phase(self._phase, Turn.STREAM)
        self._line = [0] * self.options.max_generated
        self._placed = list(self._line)
        self._arm()
        return True

    def _new_streaming(self) -> Streaming:
        """Follower mode's driver: its model steps in the models' process unless generation
        is inline (replays, tests)."""
        options = FollowOptions(self.options.chord_weight, max_leap=self.options.max_leap)
        process = None if self.worker.inline else self._started_process()
        return Streaming(options, lambda: self._changes, self.seed, process=process)

    def _started_process(self) -> FollowerProcess:
        """The models' child process, started now if need be (it loads the models at once)."""
        if self._process is None:
            self._process = model_process(self._stepped_models())
        return self._process

    def _stepped_models(self) -> list[MelodyGenerator]:
        return [m for m in (self.chord_model, self.model) if m is not None]

    def _model_process(self) -> FollowerProcess:
        """The models' child process for the trader's worker, started outside ``_lock`` if
        need be (the key hook takes that lock)."""
        with self._lock:
            if self._process is not None:
                return self._process
        process = model_process(self._stepped_models())
        with self._lock:
            if self._process is None:
                self._process = process
                return process
        process.close()  # another thread started one meanwhile
        return self._process

    def _hear_accompaniment(self, now: float) -> None:
        """Keep the chord the accompaniment struck in the last bar as the live harmony
        (under ``_lock``; forgets keys older than that)."""
        window = float(self._structure.meter.steps_per_bar)
        self._struck = {k: at for k, at in self._struck.items() if at >= now - window}
        chord = live_chord(self._struck, now, window)
        if chord is not None or not self._struck:
            self._changes = dataclasses.replace(self._changes, live=chord)

    def _answering(self) -> MelodyGenerator:
        """The model a request made now goes to (under ``_lock``): the chord model while
        the harmony is known, otherwise the plain model."""
        if self.chord_model is not None and self._changes.known:
            return self.chord_model
        return self.model

    def _submit(self, request: _Request) -> None:
        """Run the request on the worker (never under a lock: inline jobs run right here)."""
        harmony = {} if request.chords is None else {"chords": request.chords}

        def job() -> list[Note]:
            return request.model.generate(
                request.primer,
                request.num_steps,
                primer_steps=request.primer_steps,
                temperature=request.temperature,
                seed=request.seed,
                **harmony,
            )

        self.worker.submit(job, lambda outcome: self._on_generated(request, outcome))

    def _on_generated(self, request: _Request, outcome: Outcome) -> None:
        """The answer: keep the pitches (up to ``max_generated``), or listen again."""
        with self._lock:
            if request.number != self._requests or self._phase is not Phase.GENERATING:
                return  # superseded
            pitches: list[int] = []
            if outcome.ok:
                notes = sorted(outcome.result, key=lambda n: (n.start_step, -n.pitch))
                pitches = [n.pitch for n in notes][: self.options.max_generated]
            if not pitches:
                self._phase = next_phase(self._phase, Turn.SILENCE)
                self._called = False
            else:
                self._phase = next_phase(self._phase, Turn.ANSWER)
                self._line = pitches
                self._arm()
        if not outcome.ok:
            self.looper.warn(f"improv: generation failed: {outcome.error}")
        elif not pitches:
            self.looper.warn("improv: MelodyRNN answered with silence; listening again")

    def _arm(self) -> None:
        """Wait for the next boundary (or none with Boundary.NONE)."""
        none = self.options.boundary is policy.Boundary.NONE
        self._boundary = policy.ANY_STEP if none else None

    # ------------------------------------------------------------------ actions (server thread)
    def hold_action(self, argument: str | None, value: int) -> None:
        """``improv_hold``: held while the pedal is down (value >= 64), or ``:toggle`` on each
        press. Holding stops a line that is playing; releasing waits for a new boundary."""
        if argument not in (None, "momentary", "toggle"):
            raise ValueError("improv_hold takes no argument, 'momentary' or 'toggle'")
        down = value >= PRESSED
        with self._lock:
            if argument == "toggle":
                if not down:
                    return
                held = not self._held
            else:
                held = down
            if held == self._held:
                return
            self._held = held
            if held:
                self._called = False
                self._anchor = None
                if self._phase is Phase.LEADING:
                    self._finish_line(Turn.HOLD)
            elif self._phase is Phase.READY:
                self._arm()

    def call_action(self, _argument: str | None, value: int) -> None:
        """``improv_call``: the machine takes over at the next key, skipping the boundary and
        breath rules (and a hold); with no line yet it generates one from what was played."""
        if value < PRESSED:
            return
        now = self.looper.schedule.step_at(self.clock.now())
        with self._lock:
            self._held = False
            request = None
            if self._phase is not Phase.LEADING:
                self._called = True
                if self._phase is Phase.LISTENING:
                    request = self._new_request(now)
                    if request is None and not self._streams:
                        self._called = False
        if request is not None:
            self._submit(request)
        elif self.phase is Phase.LISTENING:
            self.looper.warn("improv: play something first, then call the machine")

    def set_temperature(self, value: int) -> None:
        """``melody_temperature`` knob: 0..127 to 0.25..4.0 (64 is 1.0), for the next generation."""
        with self._lock:
            self._temperature = temperature_from_knob(value)

    # ------------------------------------------------------------------ views
    @property
    def phase(self) -> Phase:
        with self._lock:
            return self._phase

    @property
    def streaming(self) -> Streaming | None:
        """Follower mode's driver (None until a turn has used it)."""
        return self._streaming

    def describe(self) -> str:
        """The status line: who plays, how full the buffers are, what the machine does
        and over which chord."""
        now = quantize(self.looper.schedule.step_at(self.clock.now()))  # before _lock
        with self._lock:
            who = "machine" if self._phase is Phase.LEADING else "pianist"
            left = len(self._placed) - self._next if self._placed else len(self._line)
            parts = [
                who,
                f"primer {len(self._primer)}/{self.options.threshold}",
                f"line {left}/{self.options.max_generated}",
                self._phase.value,
                f"T {self._temperature:.2f}",
            ]
            if self._held:
                parts.append("held")
            if self._called:
                parts.append("called")
            chord = self._changes.at(now) if self._changes.known else None
            if chord is not None:
                parts.append(f"chord {chord.name()}")
            if self.chord_model is not None:
                parts.append(self._answering_label())
        trading = self.trader.describe(now)
        return " | ".join([trading, *parts] if trading else parts)

    def turn(self) -> TurnView:
        now = quantize(self.looper.schedule.step_at(self.clock.now()))  # before _lock
        with self._lock:
            leading, held = self._phase is Phase.LEADING, self._held
        mode = self.options.mode.value
        traded = self.trader.turn_at(now)
        if traded is not None:
            return TurnView(*traded, mode, held)
        return TurnView("machine" if leading else "pianist", None, mode, held)

    def _answering_label(self) -> str:
        """Which model answers now and over what (under ``_lock``)."""
        if self.chord_model is not None and self._changes.known:
            changes = self._changes
            over = (self._chart_source if changes.chart is not None else "loop chords"
                    if any(changes.loop) else "the left hand's chord")
            return f"ImprovRNN over {over}"
        kind = "ImprovRNN" if self.model is self.chord_model else "MelodyRNN"
        return f"{kind} (no chords known)"
