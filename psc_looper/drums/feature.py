"""DrumsFeature: the drum part of the loop, its controller actions and status line.

Actions: ``build_beat`` (the deterministic beat from the bass line),
``generate_groove`` (a DrumsRNN groove primed with the current part, on the
feature's ``Worker``), ``drums_undo`` (back to the previous part; again: forward)
and ``drums_temperature`` (knob 0..127 -> ``TEMPERATURE_RANGE``, used by the next
generation). Each new part replaces the drum track at the next loop start.

Threads: actions run on the OSC thread, generation results arrive on the worker
thread. The part history, the temperature, the generation counts and the last error
are guarded by ``_lock``; the model, worker and config are set at construction (the
looper at ``attach``) and only read afterwards. Lock order: ``_lock`` may be held while calling the
looper (so the looper's drum track always follows ``_current``), never the other
way round; ``Worker.submit`` and ``Looper.snapshot`` are called without it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import replace

from psc_looper.background import Outcome, Submitted, Worker
from psc_looper.control.knobs import linear_from_knob
from psc_looper.drums.beat import build_beat
from psc_looper.drums.groove import generate_groove
from psc_looper.drums.state import DrumsConfig, DrumState, Part
from psc_looper.host import Host
from psc_looper.looper.engine import Looper
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.models import DrumsModel, Sampling
from psc_looper.models.generators import request_seed
from psc_looper.timing.meter import LoopStructure

log = logging.getLogger(__name__)

TEMPERATURE_RANGE = (0.1, 2.0)  # the temperature knob's 0 and 127


def temperature_from_knob(value: int) -> float:
    """Knob 0..127 -> temperature, linear over ``TEMPERATURE_RANGE`` (64 -> about 1.05)."""
    return linear_from_knob(value, *TEMPERATURE_RANGE)


class DrumsFeature:
    """The drum part (``host.Feature``): built with its model, then attached."""

    looper: Looper  # set by attach

    def __init__(
        self,
        model: DrumsModel | None = None,
        *,
        config: DrumsConfig | None = None,
        seed: int | None = None,
        inline: bool = False,
        owns_model: bool = False,
    ) -> None:
        self.model = model
        self.config = config = config or DrumsConfig()
        self.seed = seed
        self._owns_model = owns_model
        # a model means a worker thread; without one, generating only says why it cannot
        self._worker = Worker("drums", inline=inline) if model is not None else None
        self._lock = threading.Lock()
        # --- guarded by _lock ---
        self._current: Part | None = None
        self._previous: Part | None = None
        self._temperature = config.temperature
        self._requests = 0  # generations asked for: offsets the seed
        self._grooves = 0  # grooves played: numbers them
        self._in_flight = 0  # running + waiting on the worker (0..2)
        self._last_error = ""

    def attach(self, host: Host) -> None:
        """Register the actions and the status line (``host.Feature``)."""
        self.looper = host.looper
        actions = host.actions
        actions.register("build_beat", lambda _arg, _value: self.build_beat())
        actions.register("generate_groove", lambda _arg, _value: self.generate())
        actions.register("drums_undo", lambda _arg, _value: self.undo())
        actions.register("drums_clear", lambda _arg, _value: self.clear())
        actions.register("drums_temperature", self._temperature_knob)
        self.looper.add_status("drums", self.status)

    # ------------------------------------------------------------------ actions
    def build_beat(self) -> None:
        """Replace the drum part with the deterministic beat of the current bass line."""
        beat = self._beat()
        with self._lock:
            self._play(beat)
        self.looper.tell(f"drums: a beat of {len(beat.notes)} hits plays from the next loop start")

    def generate(self) -> None:
        """Ask for a groove primed with the current part (or the beat); it plays when ready."""
        if self.model is None or self._worker is None:
            self._fail("no DrumsRNN bundle loaded (start with a drums bundle)")
            return
        structure = self._target_structure()
        with self._lock:
            current = self._current
            self._requests += 1
            seed = request_seed(self.seed, self._requests)
            options = Sampling(
                self._temperature, self.config.beam_size, self.config.branch_factor, seed
            )
            self._in_flight += 1
        if current is None or not current.notes or current.structure != structure:
            current = self._beat(structure)
        primer, model = current.notes, self.model

        def job() -> Part:
            return Part("groove", tuple(generate_groove(model, primer, structure, options)),
                        structure)

        try:
            submitted = self._worker.submit(job, self._generated)
        except RuntimeError as exc:  # the worker is closed: the backend is shutting down
            submitted = Submitted.REPLACED  # this request will never finish either
            self._fail(str(exc))
        if submitted is Submitted.REPLACED:
            with self._lock:
                self._in_flight -= 1  # the request it replaced will never finish

    def undo(self) -> None:
        """Go back to the previous part (pressed again: forward to the one undone)."""
        with self._lock:
            if self._previous is None:
                undone = False
            else:
                self._current, self._previous = self._previous, self._current
                self._replace(self._current)
                undone = True
                name = self._current.name if self._current else "none"
        if not undone:
            self.looper.warn("drums: no previous part to go back to")
        else:
            self.looper.tell(f"drums: back to {name} from the next loop start")

    def clear(self) -> None:
        """Silence the drums from the next loop start (undo brings the part back)."""
        structure = self._target_structure()  # snapshot: never under _lock
        with self._lock:
            self._play(Part("none", (), structure))
        self.looper.tell("drums: silent from the next loop start (undo brings them back)")

    def play_generated(self, name: str, notes: Sequence[LoopNote], structure: LoopStructure,
                       start: bool, at: int | None = None) -> bool:
        """A generator's (the band's) next part ``name``, from the next loop start if it
        is ``at``: with ``start`` it becomes the current part (undo: the one before), else
        it takes the place of the current part if that is still ``name``'s. False, nothing
        changed: another part plays, or that loop start is not ``at``."""
        part = Part(name, tuple(notes), structure)
        with self._lock:
            if not start and (self._current is None or self._current.name != name):
                return False
            if not self.looper.replace_track(Track.DRUMS, part.notes, at=at):
                return False
            if start:
                self._previous = self._current
            self._current = part
            return True

    def drop_generated(self, name: str) -> None:
        """A generator stops: if its part plays, the previous part plays again."""
        with self._lock:
            if self._current is not None and self._current.name == name:
                self._current, self._previous = self._previous, None
                self._replace(self._current)
            elif self._previous is not None and self._previous.name == name:
                self._previous = None

    def history(self) -> DrumState:
        """The part history and counters (what a song saves)."""
        with self._lock:
            return DrumState(self._current, self._previous, self._temperature,
                             self._requests, self._grooves)

    def restore(self, state: DrumState, play: bool = True) -> None:
        """Take up a saved history; its current part plays from the next loop start
        (``play=False``: the caller hands the part to the looper itself)."""
        with self._lock:
            self._current, self._previous = state.current, state.previous
            self._temperature, self._requests = state.temperature, state.requests
            self._grooves, self._last_error = state.grooves, ""
            if play:
                self._replace(self._current)

    def set_temperature(self, temperature: float) -> None:
        """The temperature of the next generation (> 0; bad values are refused)."""
        if not temperature > 0:
            self.looper.warn(f"drums: temperature must be > 0, not {temperature}")
            return
        with self._lock:
            self._temperature = temperature

    # ------------------------------------------------------------------ views
    @property
    def current(self) -> Part | None:
        with self._lock:
            return self._current

    @property
    def previous(self) -> Part | None:
        with self._lock:
            return self._previous

    @property
    def temperature(self) -> float:
        with self._lock:
            return self._temperature

    def status(self) -> str:
        """The status line: part playing, generation state, temperature, last error."""
        with self._lock:
            part = self._current.name if self._current else "none"
            if self._in_flight == 0:
                busy = "idle"
            else:
                busy = "generating" + (" (+1 queued)" if self._in_flight > 1 else "")
            line = f"{part} | {busy} | temp {self._temperature:.2f}"
            if self.model is None:
                line += " | no model"
            if self._last_error:
                line += f" | error: {self._last_error}"
            return line

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no generation runs or waits (tests, shutdown)."""
        return self._worker is None or self._worker.wait_idle(timeout)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
        if self._owns_model and self.model is not None:
            self.model.close()

    # ------------------------------------------------------------------ helpers
    def _temperature_knob(self, _argument: str | None, value: int) -> None:
        self.set_temperature(temperature_from_knob(value))

    def _target_structure(self) -> LoopStructure:
        """The structure the next loop start will play (a pending change, if any)."""
        snap = self.looper.snapshot()
        return snap.pending_structure or snap.structure

    def _beat(self, structure: LoopStructure | None = None) -> Part:
        structure = structure or self._target_structure()
        notes = build_beat(structure, self.looper.track_notes(Track.BASS))
        return Part("beat", tuple(notes), structure)

    def _play(self, part: Part) -> None:
        """Make ``part`` the current one (with ``_lock`` held)."""
        self._previous, self._current = self._current, part
        self._replace(part)

    def _replace(self, part: Part | None) -> None:
        """Hand ``part`` to the looper (with ``_lock`` held: see the module docstring)."""
        notes: Sequence[LoopNote] = part.notes if part else ()
        self.looper.replace_track(Track.DRUMS, notes)

    def _generated(self, outcome: Outcome) -> None:
        """Worker thread: play the new groove, or keep the current one and say why."""
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)
        if not outcome.ok:
            self._fail(f"groove generation failed: {outcome.error}")
            return
        part: Part = outcome.result
        structure = self._target_structure()
        if part.structure != structure:
            self._fail(f"groove dropped: the loop changed to {structure.bars} bars of "
                       f"{structure.meter} while it was generated")
            return
        with self._lock:
            self._last_error = ""
            self._grooves += 1
            part = replace(part, name=f"groove #{self._grooves}")
            self._play(part)
        self.looper.tell(f"drums: {part.name} plays from the next loop start "
                         f"({len(part.notes)} hits)")

    def _fail(self, message: str) -> None:
        with self._lock:
            self._last_error = message
        self.looper.warn(f"drums: {message}")
