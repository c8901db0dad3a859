"""The Looper: all shared loop state, one lock, and what each step and key plays.

Threads: the transport thread calls ``next_due``/``tick``; the OSC server thread
calls the note and action methods; the status view calls ``snapshot``. Every field
below ``_lock`` is read and written only while holding it, and nothing slow happens
under it: no I/O, no model work. Messages are built under the lock and sent after
it is released, through the output port (the one I/O the timing path does).

Send order: ``_order`` is taken before ``_lock`` by everything that changes voices
and sends (a step, a key, stop, panic) and held until its batch is sent, so batches
leave in the order their voices changed: nothing a stop or panic released can be
followed by a note-on built before it.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Protocol

from sortedcontainers import SortedKeyList

from psc_looper.harmony.chart import Chart
from psc_looper.looper.click import click_track
from psc_looper.looper.countin import CountIn
from psc_looper.looper.feel import quantized, sounding
from psc_looper.looper.freetake import Fit, FreeTake
from psc_looper.looper.layers import Layer, LayerTracks
from psc_looper.looper.machine import MachineLine, PhraseNote
from psc_looper.looper.notes import (
    RECORDING_MODES,
    TRACK_INSTRUMENT,
    LoopNote,
    Mode,
    Track,
    scale_velocity,
)
from psc_looper.looper.recording import Take, quantize
from psc_looper.looper.sustain import Sustain
from psc_looper.looper.switch import LoopSettings, StagedSwitch
from psc_looper.looper.voices import HeldKeys, KeyId, Voice, Voices
from psc_looper.osc.events import NoteOff, NoteOn
from psc_looper.osc.ports import OscOut, OutputPort
from psc_looper.osc.protocol import (
    DEFAULT_LOOKAHEAD_SECONDS,
    PANIC_ADDRESS,
    PANIC_KEEP_SCHEDULED,
    Instrument,
    play_address,
    stop_address,
)
from psc_looper.timing.clock import Clock
from psc_looper.timing.meter import LoopStructure, Meter, MeterError
from psc_looper.timing.schedule import StepSchedule
from psc_looper.timing.swing import STRAIGHT, Grid, SwingError, check_swing, fits
from psc_looper.timing.tempo import DEFAULT_QPM, TapTempo, TempoError, check_qpm

log = logging.getLogger(__name__)

START_MARGIN_SECONDS = 0.01  # play starts this long after the lookahead window
STOP_AFTER_SECONDS = 0.001  # a machine voice sent ahead and ended stops this soon after
WARNINGS_KEPT = 8
Fact = int | float | str | bool | None  # a value in a feature's facts (JSON-able)


@dataclass(frozen=True)
class Snapshot:
    """A consistent copy of the looper's state for the status view and tests."""

    playing: bool
    mode: Mode
    qpm: float
    structure: LoopStructure
    pending_structure: LoopStructure | None
    position: int  # step within the loop of the last step played
    loop_count: int
    volumes: dict[Track, float]
    mutes: dict[Track, bool]
    notes_per_track: dict[Track, int]
    recording: Track | None
    sounding: int
    warnings: tuple[str, ...]
    extras: dict[str, str] = field(default_factory=dict)
    layers: dict[Track, tuple[int, int]] = field(default_factory=dict)  # (sounding, redoable)
    swing: float = STRAIGHT  # the loop's swing ratio (it plays straight if the meter won't)
    pending_swing: float | None = None
    chart: Chart | None = None  # the chord chart the form follows (``show_chart``)
    chart_step: float = 0.0  # the last step played, from the chart's first bar
    count_in: bool = False  # a count-in bar leads a recording started from stop
    take_notes: int = 0  # notes in the take being recorded so far
    free_take: Track | None = None  # a free-length take being recorded (``free_record``)
    pending_notes: dict[Track, int] = field(default_factory=dict)  # from the next loop start
    facts: dict[str, dict[str, Fact]] = field(default_factory=dict)  # ``add_facts``'s, by name


@dataclass
class AfterTake:
    """Keys played in the bar after a take ended (they are not in it)."""

    track: Track
    until: int  # absolute step where the count ends
    missed: int = 0


StepListener = Callable[[int, int, float], None]  # (absolute step, loop position, time)


class Origin(StrEnum):
    """Who made an outbound batch sound: the loop, the pianist's keys, or the machine."""

    LOOP = "loop"
    PIANIST = "pianist"
    MACHINE = "machine"
    CONTROL = "control"  # stop/panic note-offs


# (messages, time they sound or None for now, origin); called after each send, outside
# the lock, on the sending thread: keep it quick (put on a queue), no I/O.
OutputListener = Callable[[Sequence[OscOut], float | None, Origin], None]


class KeyHook(Protocol):
    """Decides what a key sounds in improv mode (the improv feature implements it).

    Called under the looper lock from the note path: no I/O, no model work.
    ``position`` is the fractional absolute step of the key press or release.
    """

    def on_key(self, note: int, velocity: int, position: float) -> tuple[list[int], bool]:
        """A press in improv mode: the pitches to sound and whether they are the machine's."""
        ...

    def on_release(self, note: int, position: float) -> None:
        """A release, in any mode (before the sustain pedal may keep it sounding)."""
        ...


class Looper:
    """The loop. It owns its helpers, each under ``_lock``: takes become layers
    (``looper.layers.LayerTracks``: undo, redo, clear); songs switch at a loop start
    (``looper.switch.StagedSwitch``); a count-in may lead in (``looper.countin.CountIn``)."""

    def __init__(
        self,
        clock: Clock,
        port: OutputPort,
        structure: LoopStructure | None = None,
        qpm: float = DEFAULT_QPM,
        lookahead: float = DEFAULT_LOOKAHEAD_SECONDS,
        swing: float = STRAIGHT,
    ) -> None:
        self.clock = clock
        self.port = port
        self.lookahead = lookahead
        self._order = threading.RLock()  # send order; taken before _lock (module doc)
        self.started = threading.Event()  # set by play; the transport waits on it when stopped
        self._lock = threading.RLock()
        # --- guarded by _lock ---
        self._structure = structure or LoopStructure()
        self._pending_structure: LoopStructure | None = None
        self._swing = check_swing(swing)
        self._pending_swing: float | None = None
        self._quantize: dict[Track, Grid] = {}  # tracks whose takes are quantized
        self._schedule = StepSchedule(0, clock.now(), check_qpm(qpm), self._played_swing())
        self._playing = False
        self._next_step = 0
        self._loop_start = 0
        self._loop_count = 0
        self._position = 0
        self._mode = Mode.FREE
        self._notes: SortedKeyList = SortedKeyList(key=_onset)
        self._by_track = {t: SortedKeyList(key=_onset) for t in Track}  # the same, per track
        self._pending_tracks: dict[Track, list[LoopNote]] = {}
        self._volumes = {track: 1.0 for track in Track}
        self._mutes = {track: False for track in Track}
        self._take: Take | None = None  # the take being recorded
        self._closing: Take | None = None  # an ended take still taking late notes
        self._closing_layer: Layer | None = None  # the layer _closing revises
        self._closes_at = 0.0
        self._voices = Voices()
        self._machine = MachineLine()  # the machine's own phrase (``play_phrase``)
        self._held = HeldKeys()
        self._sustain = Sustain()
        self._tap = TapTempo()
        self._warnings: deque[str] = deque(maxlen=WARNINGS_KEPT)
        self._step_listeners: list[StepListener] = []
        self._output_listeners: list[OutputListener] = []
        self._key_hook: KeyHook | None = None
        self._extras: dict[str, Callable[[], str]] = {}
        self._facts: dict[str, Callable[[], dict[str, Fact]]] = {}
        self._chart: tuple[Chart, int] | None = None  # (chart, absolute step of its bar 1)
        self._sent_early: frozenset[LoopNote] = frozenset()  # pushed notes of the next step
        self._free: FreeTake | None = None  # a free-length first take being recorded
        self._after: AfterTake | None = None  # counts keys played just after a take ended
        self._take_offset = 0.0  # seconds a take reads each key earlier (``set_take_offset``)
        self._switches = 0, ""  # (how many switches so far, the last one's name)
        self._turn = 0, "", 0  # (turns shown so far, whose: machine, pianist or "", step)
        # untimed only: (time, order, batch) of notes played off their step, sent at it
        self._deferred: list[tuple[float, int, list[OscOut]]] = []
        self._deferred_ids = itertools.count()
        self._layers = LayerTracks(self._set_track)
        self._switch = StagedSwitch()
        self._count_in = CountIn()
        self._rebuild_click()

    # ------------------------------------------------------------------ transport
    def next_due(self) -> tuple[int, float] | None:
        """The next step to play and its time (earlier if a batch played off the step waits
        to be sent), or None when stopped."""
        with self._lock:
            if not self._playing:
                return None
            at = self._schedule.time_of(self._next_step)
            if self._deferred:
                at = min(at, self._deferred[0][0] + self.lookahead)
            machine_off = self._machine.next_off()  # sent at its time, not ahead
            if machine_off is not None:
                at = min(at, machine_off + self.lookahead)
            return self._next_step, at

    def tick(self, step: int) -> bool:
        """Play absolute step ``step`` (if it is still the next one and due); send its
        messages, and any batch played off its step that is due by now."""
        with self._order:
            self._send_deferred()
            self._send_machine_offs()
            with self._lock:  # woken for a batch or a machine note-off due before the step
                early = self._schedule.time_of(step) - self.lookahead > self.clock.now() and (
                    not self.lookahead or self._machine.next_off() is not None)
            sent = None if early else self._tick(step)
        if sent is None:
            return False
        position, at, listeners = sent
        for listener in listeners:
            listener(step, position, at)
        return True

    def _tick(self, step: int) -> tuple[int, float, list[StepListener]] | None:
        with self._lock:
            if not self._playing or step != self._next_step:
                return None
            at = self._schedule.time_of(step)
            position = step - self._loop_start
            if position >= self._structure.steps:
                position = self._start_new_loop(step)
            if self._take is not None and step >= self._take.end:
                self._end_take()
            if self._closing is not None and at - self.lookahead >= self._closes_at:
                self._close_take()
            if self._after is not None and step >= self._after.until:
                self._missed_notes()
            out: list[OscOut] = []
            later: dict[float, list[OscOut]] = {}  # notes played off the step (the feel)
            for (instrument, pitch), delay in self._voices.due_offs(step):
                batch = later.setdefault(self._schedule.time_of(step + delay), []) if delay \
                    else out
                batch.append(_stop(instrument, pitch))
            for note, delay in self._due(position):
                velocity = scale_velocity(note.velocity, self._volumes[note.track])
                if (self._mutes[note.track] and position >= 0) or velocity == 0:
                    continue
                when = self._schedule.time_of(step + delay) if delay else at
                # it ends as long after its start as it was played (off the step by as much)
                self._voices.start(note.instrument, note.pitch, step + note.duration, when,
                                   delay)
                batch = out if delay == 0 else later.setdefault(when, [])
                batch.append((play_address(note.instrument), (note.pitch, velocity)))
            machine = self._machine_due(step, at)
            self._next_step = step + 1
            self._position = position
            listeners = list(self._step_listeners)
        self._send(out, at, Origin.LOOP)
        if machine:
            self._send(machine, at, Origin.MACHINE)
        for when in sorted(later):
            if self.lookahead:
                self._send(later[when], when, Origin.LOOP)  # time-tagged: goes now
            else:  # untimed: sent at its time (``next_due`` wakes the transport for it)
                with self._lock:
                    heapq.heappush(self._deferred, (when, next(self._deferred_ids), later[when]))
        return position, at, listeners

    def _machine_due(self, step: int, at: float) -> list[OscOut]:
        """The machine's phrase notes starting at ``step`` (locked): their voices start."""
        self._machine.forget(self._voices.live)
        out: list[OscOut] = []
        for note in self._machine.due(step):
            velocity = scale_velocity(note.velocity, self._volumes[Track.IMPROV])
            if self._mutes[Track.IMPROV] or velocity == 0:
                continue
            instrument = TRACK_INSTRUMENT[Track.IMPROV]
            voice_id = self._voices.start(instrument, note.pitch, at=at)
            self._machine.started(voice_id, note.pitch, at,
                                  self._schedule.time_of(step + note.duration))
            out.append((play_address(instrument), (note.pitch, velocity)))
        return out

    def play_phrase(self, notes: Sequence[PhraseNote]) -> bool:
        """Queue the machine's own notes (absolute steps) to sound with the loop's steps,
        time-tagged like them; False, nothing queued, if the loop is stopped or the first
        note's step has already been played (a late phrase is skipped whole)."""
        with self._lock:
            if not notes or not self._playing or min(n.step for n in notes) < self._next_step:
                return False
            self._machine.add(notes)
            return True

    def end_phrase(self) -> int:
        """The machine's phrase ends now: its queued notes are dropped, its sounding voices
        stop at once (one sent ahead stops at the time it sounds). The voices stopped."""
        with self._order:
            with self._lock:
                batches = self._end_machine()
            self._send_batches(batches, Origin.MACHINE)
        return sum(len(out) for out in batches.values())

    def _end_machine(self) -> dict[float | None, list[OscOut]]:
        """(Locked) The machine's voices end: stops now, or as each sounds if sent ahead."""
        now = self.clock.now()
        batches: dict[float | None, list[OscOut]] = {}
        instrument = TRACK_INSTRUMENT[Track.IMPROV]
        for voice_id, pitch, at in self._machine.clear():
            if self._voices.end(voice_id):
                when = at + STOP_AFTER_SECONDS if at > now and self.lookahead else None
                batches.setdefault(when, []).append(_stop(instrument, pitch))
        return batches

    def _send_batches(self, batches: dict[float | None, list[OscOut]], origin: Origin) -> None:
        for when, out in sorted(batches.items(), key=lambda b: b[0] or 0.0):
            self._send(out, when, origin)

    def _send_machine_offs(self) -> None:
        """The machine's note-offs due by now, untimed (holding ``_order``)."""
        with self._lock:
            instrument = TRACK_INSTRUMENT[Track.IMPROV]
            out = [_stop(instrument, pitch) for voice_id, pitch
                   in self._machine.due_offs(self.clock.now()) if self._voices.end(voice_id)]
        self._send(out, None, Origin.MACHINE)

    def _send_deferred(self, everything: bool = False) -> None:
        """Send the untimed batches played off their step that are due (holding ``_order``)."""
        due = []
        with self._lock:
            now = self.clock.now()
            while self._deferred and (everything or self._deferred[0][0] <= now):
                due.append(heapq.heappop(self._deferred))
        for when, _, out in due:
            self._send(out, when, Origin.LOOP)

    def _due(self, position: int) -> list[tuple[LoopNote, float]]:
        """The loop notes sounding within the step at ``position`` and their delays."""
        if position < 0:
            bar = self._structure.meter.steps_per_bar
            return [(n, 0.0) for n in self._count_in.notes_at(self._notes, position, bar)]
        due, self._sent_early = sounding(self._notes, position, self._structure.steps,
                                         self._sent_early)
        return due

    def _start_new_loop(self, step: int) -> int:
        self._loop_start = step
        self._loop_count += 1
        self._apply_pending()
        return 0

    def _apply_pending(self) -> None:
        """What waited for a loop start: a new structure, swapped tracks."""
        if self._pending_structure is not None:
            self._structure, self._pending_structure = self._pending_structure, None
            self._rebuild_click()
        if self._pending_swing is not None:
            self._swing, self._pending_swing = self._pending_swing, None
        self._reswing(self._loop_start if self._playing else 0)
        for track, notes in self._pending_tracks.items():
            self._set_track(track, notes)
        self._pending_tracks.clear()
        self._layers.sound_due()
        self._apply_switch()

    def play(self, at: float | None = None) -> None:
        """Start the loop; its first step sounds at clock time ``at`` if given (a
        leader's bar start: ``psc_looper.sync``), never sooner than the lookahead allows."""
        with self._lock:
            if self._playing:
                return
            start = max(self.clock.now() + self.lookahead + START_MARGIN_SECONDS, at or 0.0)
            self._schedule = StepSchedule(0, start, self._schedule.qpm, self._schedule.swing)
            self._apply_pending()
            self._next_step = self._loop_start = self._position = 0
            recording = self._mode in RECORDING_MODES
            first = self._count_in.first_step(recording, self._structure.meter.steps_per_bar)
            if first:  # the count-in bar comes first
                self._schedule = StepSchedule(first, start, self._schedule.qpm,
                                              self._schedule.swing)
                self._next_step = self._position = first
            self._playing, self._sent_early = True, frozenset()
        self.started.set()  # wakes a waiting transport at once (no idle-poll delay)

    def stop(self) -> None:
        """Stop the loop and silence every note, sounding or scheduled (loop and live)."""
        with self._order:
            self._send_deferred(everything=True)  # their voices get their note-offs below
            with self._lock:
                self._playing = False
                self._take = self._free = None
                if self._after is not None:
                    self._missed_notes()
                if self._closing is not None:
                    self._close_take()
            self._release(keep_scheduled=False)

    def toggle_play(self) -> None:
        with self._lock:
            playing = self._playing
        self.stop() if playing else self.play()

    def panic(self) -> None:
        """Note-off for every sounding voice, then the bridge's own all-voices-off.

        While playing, the loop's steps already sent ahead keep sounding with their own
        note-offs (``/panic 1``: the bridge keeps what it has scheduled); stopped, the
        bridge also drops whatever is scheduled."""
        with self._order:
            with self._lock:
                playing = self._playing
            self._release(keep_scheduled=playing)
        self._warn_locked("panic: all notes off", level=logging.INFO)

    def _release(self, keep_scheduled: bool) -> None:
        """Free voices and tell the bridge; called holding ``_order``."""
        with self._lock:
            machine = self._end_machine() if keep_scheduled else {}  # (theirs sent ahead)
            if keep_scheduled:
                voices = self._voices.release_started(self.clock.now())
            else:
                voices = self._voices.release_all()
                self._machine.clear()
            self._held.clear()
            self._sustain.clear()
        panic: OscOut = (PANIC_ADDRESS, (PANIC_KEEP_SCHEDULED,) if keep_scheduled else ())
        self._send_batches({t: out for t, out in machine.items() if t is not None},
                           Origin.MACHINE)
        self._send([*machine.get(None, []), *(_stop(i, p) for i, p in voices), panic], None,
                   Origin.CONTROL)

    # ------------------------------------------------------------------ live notes
    def note_on(self, event: NoteOn) -> None:
        """A key pressed: it sounds at once (the machine's pitch in improv mode)."""
        key: KeyId = (event.source, event.note)
        with self._order:
            self._key_on(key, event.note, event.velocity, event.played)

    def key_route(self) -> tuple[Instrument, float] | None:
        """How a key sounds now when the key alone decides it: the instrument and the
        volume its velocity is scaled by (None: the machine picks the pitches). The
        bridge plays keys so at once (keys thru) and says so with each key."""
        with self._lock:
            if self._mode is Mode.IMPROV and self._key_hook is not None:
                return None
            track = RECORDING_MODES.get(self._mode, Track.IMPROV)
            return TRACK_INSTRUMENT[track], self._volumes[track]

    def _key_on(self, key: KeyId, note: int, velocity: int,
                played: tuple[str, int] | None = None) -> None:
        with self._lock:
            now = self.clock.now()
            ended = self._end_sustained({key: self._sustain.restrike(key)})
            # The rule for lost note-offs: a key pressed again while held (its release
            # never arrived) ends what its earlier presses sounded before sounding anew.
            ended += self._end_sustained({key: self._held.release_every(key)})
            track = RECORDING_MODES.get(self._mode, Track.IMPROV)
            if self._mode in RECORDING_MODES and self._playing:
                self._record_on(track, note, velocity)
            elif self._free is not None:
                self._free.note_on(note, velocity, now - self._take_offset)
            elif self._closing is not None and self._closing.note_on(
                note, note, velocity, self._take_step()
            ):
                track = self._closing.track  # a late note rounding onto the take's end
            elif self._after is not None:
                self._after.missed += 1
            pitches, machine = [note], False
            if self._mode is Mode.IMPROV and self._key_hook is not None:
                pitches, machine = self._key_hook.on_key(note, velocity, self._now_step())
            velocity = scale_velocity(velocity, self._volumes[track])
            instrument = TRACK_INSTRUMENT[track]
            voices: list[Voice] = [(instrument, p) for p in pitches] if velocity else []
            for voice in voices:
                self._voices.start(*voice, at=now)
            self._held.press(key, voices)
        origin = Origin.MACHINE if machine else Origin.PIANIST
        self._send(ended, None, Origin.PIANIST)  # a re-struck sustained key restarts cleanly
        out: list[OscOut] = [(play_address(i), (p, velocity)) for i, p in voices]
        if played is not None and _sounded_as(played, voices, note, velocity):
            self._send(out, None, origin, sounded=True)  # the bridge played it already
            return
        if played is not None and played[0] in INSTRUMENTS:  # the bridge's guess is stale
            # (the route changed meanwhile): its voice ends; no listener saw it begin
            self.port.send([_stop(Instrument(played[0]), note)], None)
        self._send(out, None, origin)

    def note_off(self, event: NoteOff) -> None:
        """A key released: what it sounded ends, unless the sustain pedal keeps it."""
        note = event.note
        key: KeyId = (event.source, note)
        with self._order:
            with self._lock:
                if self._key_hook is not None:
                    self._key_hook.on_release(note, self._now_step())
                pressed = self._held.release(key)
                if self._sustain.keep(key, pressed):
                    return  # the pedal keeps it sounding (and the take keeps it open)
                self._end_takes_note(note)
                voices = [v for v in pressed if self._voices.stop(*v)]
            self._send([_stop(i, p) for i, p in voices], None, Origin.PIANIST)

    def sustain(self, down: bool) -> None:
        """The sustain pedal: down keeps released keys sounding; up ends what it kept."""
        with self._order:
            with self._lock:
                if down:
                    self._sustain.press()
                    return
                ended = self._end_sustained(self._sustain.lift())
            self._send(ended, None, Origin.PIANIST)

    def _end_sustained(self, kept: dict[KeyId, list[list[Voice]]]) -> list[OscOut]:
        """Note-offs for earlier presses (sustained, or whose release was lost), each
        ending its take note now (locked)."""
        out: list[OscOut] = []
        for (_source, note), presses in kept.items():
            for voices in presses:
                self._end_takes_note(note)
                out += [_stop(i, p) for i, p in voices if self._voices.stop(i, p)]
        return out

    def _end_takes_note(self, note: int) -> None:
        if self._free is not None:
            self._free.note_off(note, self.clock.now() - self._take_offset)
        for take in (self._take, self._closing):
            if take is not None:
                take.note_off(note, self._take_step())

    def _now_step(self) -> float:
        return self._schedule.step_at(self.clock.now())

    def _take_step(self) -> float:
        """Where a take reads a key played now: earlier by the take offset."""
        return self._schedule.step_at(self.clock.now() - self._take_offset)

    def set_take_offset(self, seconds: float) -> None:
        """The key-to-loop latency a take makes up for (0 to 0.5 s; else a line, no change)."""
        if not 0 <= seconds <= 0.5:
            self._warn_locked(f"take offset must be 0..500 ms, not {seconds * 1000:g}")
            return
        with self._lock:
            self._take_offset = seconds

    def _record_on(self, track: Track, note: int, velocity: int) -> None:
        position = self._take_step()
        if self._count_in.counting(position):
            return  # heard, not recorded
        if self._take is None:
            first = quantize(position)
            steps = self._structure.steps
            loop_start = self._loop_start
            while first >= loop_start + steps:
                loop_start += steps
            overdub = self._layers.overdub
            self._take = Take(track, first, loop_start + steps, loop_start, steps, overdub)
            what = "overdubbing" if overdub else "recording"
            self._warn(f"{what} {track} from {self._bar_beat(first - loop_start)} "
                       "until the end of the loop", level=logging.INFO)
        self._take.note_on(note, note, velocity, position)

    def _end_take(self) -> None:
        """At its end the loop starts playing the take; late notes may still round into it
        until half a step after the end (``_closes_at``)."""
        assert self._take is not None
        take, self._take = self._take, None
        notes = take.finish()
        self._closing_layer = self._commit_take(take, notes)
        self._closing, self._closes_at = take, self._schedule.time_of(take.end + 0.5)
        if RECORDING_MODES.get(self._mode) == take.track:
            self._mode = Mode.FREE
        began = take.start - take.loop_start
        self._warn(f"recorded {take.track}: {len(notes)} notes"
                   + (f" (from {self._bar_beat(began)})" if began else ""), level=logging.INFO)
        self._after = AfterTake(take.track, take.end + self._structure.meter.steps_per_bar)

    def _bar_beat(self, position: int) -> str:
        """'bar 2 beat 3' of a loop position, '+2 16ths' after when off the beat (locked)."""
        meter = self._structure.meter
        bar, step = divmod(position, meter.steps_per_bar)
        beat, off = divmod(step, meter.steps_per_beat)
        return f"bar {bar + 1} beat {beat + 1}" + (f" +{off} 16th{'s' * (off > 1)}" if off else "")

    def _missed_notes(self) -> None:
        """A bar after a take ended: say how many keys played since fell outside it."""
        assert self._after is not None
        after, self._after = self._after, None
        if after.missed:
            self._warn(f"{after.track} take: {after.missed} note"
                       f"{'' if after.missed == 1 else 's'} after its end not recorded "
                       "(a take ends with the loop)")

    def _commit_take(self, take: Take, notes: list[LoopNote]) -> Layer:
        return self._layers.commit(take.track, self._gridded(take.track, notes), take.overdub)

    def _close_take(self) -> None:
        """The ended take takes no more late notes: its layer gets them (locked)."""
        assert self._closing is not None
        notes = self._gridded(self._closing.track, self._closing.finish())
        self._layers.revise(self._closing_layer, notes)
        self._closing = self._closing_layer = None

    def _gridded(self, track: Track, notes: list[LoopNote]) -> list[LoopNote]:
        """A take's notes, quantized if the track is set to (else with their feel)."""
        grid = self._quantize.get(track)
        if grid is None:
            return notes
        return quantized(notes, grid, self._schedule.swing, self._structure.steps)

    def quantize(self, track: Track, grid: Grid | None) -> None:
        """Quantize ``track`` to ``grid`` from now on (None: keep the feel of new takes).
        Its sounding notes are quantized as a new layer, so undo brings the feel back."""
        with self._lock:
            if grid is None:
                self._quantize.pop(track, None)
                self._warn(f"{track}: takes keep their feel", level=logging.INFO)
                return
            self._quantize[track] = grid
            notes = self._gridded(track, [n for n in self._notes if n.track == track])
            self._layers.commit(track, notes, overdub=False)  # sounds at once
            self._warn(f"{track}: quantized to {grid.value} (undo: the feel back)",
                       level=logging.INFO)

    # ------------------------------------------------------------------ layers
    def record(self, track: Track, overdub: bool = False) -> None:
        """Arm a take on ``track`` (bass or chords): a record replaces, an overdub adds."""
        with self._lock:
            self.set_mode(Mode(track.value))
            self._layers.overdub = overdub

    def free_record(self, track: Track, fit: Fit = Fit.BARS) -> None:
        """Loop-pedal recording: from stop, the first press starts a take of any length,
        the second closes it and the loop plays it, as long as the take (``looper.freetake``:
        whole bars at the tempo, or the tempo for the loop's bars). Playing: a line."""
        with self._lock:
            free = self._free
            if free is None:
                if self._playing:
                    self._warn("free take: starts from stop (stop first)")
                    return
                self._free = FreeTake(track, fit, self.clock.now())
                self._mode = Mode(track.value)
                self._warn(f"free take on {track}: play, then press again to close",
                           level=logging.INFO)
                return
            self._free, self._mode = None, Mode.FREE
            try:
                structure, qpm, notes = free.close(self.clock.now(), self._structure,
                                                   self._schedule.qpm, self._played_swing())
            except (MeterError, TempoError) as exc:
                self._warn(f"free take dropped: {exc}")
                return
            self._structure, self._pending_structure = structure, None
            self._rebuild_click()
            self._schedule = replace(self._schedule, qpm=qpm, swing=self._played_swing())
            self._layers.commit(free.track, self._gridded(free.track, notes), overdub=False)
            self._warn(f"free take: {structure.bars} bars at {qpm:g} qpm, "
                       f"{len(notes)} notes", level=logging.INFO)
        self.play()

    def undo(self, track: Track | None = None) -> None:
        """Take back the last layer (of ``track``); a take in progress is cancelled instead."""
        with self._lock:
            take = self._take
            if take is not None and track in (None, take.track):
                self._take = None
                self._mode, self._layers.overdub = Mode.FREE, False
                self._warn(f"{take.track}: take cancelled", level=logging.INFO)
                return
            self._layer_changed(self._layers.undo(track), "undo", track)

    def redo(self, track: Track | None = None) -> None:
        with self._lock:
            self._layer_changed(self._layers.redo(track), "redo", track)

    def clear(self, track: Track | None = None) -> None:
        """Silence a track (the last one changed if None); undo brings it back."""
        with self._lock:
            layer = self._layers.clear(track)
            if layer is None and track is None:
                self._warn("clear: nothing recorded yet")
                return
            self._layer_changed(layer, "clear", track)

    def push_layer(self, track: Track, notes: list[LoopNote], by: str,
                   at: int | None = None) -> Layer | None:
        """A generated layer (``by`` the band) replacing ``track`` from the next loop start
        (now when stopped); None, nothing pushed, if that loop start is not ``at``."""
        with self._lock:
            if not self._starts_at(at):
                return None
            return self._layers.push(track, notes, by, self._playing)

    def rewrite_layer(self, layer: Layer, notes: list[LoopNote], at: int | None = None) -> bool:
        """New notes for a generated layer from the next loop start (now when stopped);
        False, nothing changed, if it was undone or dropped or that loop start is not ``at``."""
        with self._lock:
            return self._starts_at(at) and self._layers.rewrite(layer, notes, self._playing)

    def drop_layer(self, layer: Layer) -> None:
        """Take a generated layer out of the history (from the next loop start)."""
        with self._lock:
            self._layers.drop(layer, self._playing)

    def next_loop_start(self) -> int:
        """The absolute step of the next loop start (0 when stopped)."""
        with self._lock:
            return self._next_start()

    def _next_start(self) -> int:
        return self._loop_start + self._structure.steps if self._playing else 0

    def _starts_at(self, at: int | None) -> bool:
        return at is None or at == self._next_start()

    def layer_history(self) -> tuple[list[Layer], list[Layer]]:
        """A copy of the layer history (done, undone) for a song save."""
        with self._lock:
            return self._layers.history()

    def _layer_changed(self, layer: Layer | None, what: str, track: Track | None) -> None:
        if layer is None:
            self._warn(f"{what}: nothing to {what}" + (f" on {track}" if track else ""))
            return
        if self._closing_layer is layer:
            self._closing = self._closing_layer = None
        self._layers.changed(layer, self._playing)
        self._warn(f"{what} {layer.track} {layer.kind}", level=logging.INFO)

    # ------------------------------------------------------------------ songs
    def switch_at_loop_start(self, settings: LoopSettings) -> None:
        """Stage ``settings`` for the next loop start (at once when stopped); a later
        call before then replaces it. A bad tempo raises ``TempoError`` and stages nothing."""
        with self._lock:
            self._switch.stage(settings)
            if settings.structure is not None:
                self.change_structure(settings.structure.bars, settings.structure.meter.numerator,
                                      settings.structure.meter.denominator)
            if settings.swing is not None:
                self.set_swing(settings.swing)
            if not self._playing:
                self._apply_switch()

    def _apply_switch(self) -> None:
        """Under the lock, at a loop start (``_loop_start``) or when stopped (step 0)."""
        switch = self._switch.take()
        if switch is None:
            return
        step = self._loop_start if self._playing else 0
        if switch.release and self._playing:
            self._voices.release_at(step)
            self._held.clear()
            self._sustain.clear()
        if switch.qpm is not None:
            self._schedule = self._schedule.with_tempo(switch.qpm, step)
        if switch.volumes is not None:
            self._volumes.update(switch.volumes)
        if switch.mutes is not None:
            self._mutes.update(switch.mutes)
        if switch.layers is not None:
            self._take = self._closing = self._closing_layer = None
            self._layers.restore(*switch.layers)
        for track, notes in (switch.tracks or {}).items():
            self._pending_tracks.pop(track, None)
            self._set_track(track, list(notes))
        self._switches = self._switches[0] + 1, switch.name
        self._warn(f"now playing {switch.name}", level=logging.INFO)

    # ------------------------------------------------------------------ count-in
    def toggle_count_in(self) -> None:
        with self._lock:
            on = self._count_in.toggle()
            self._warn(f"count-in {'on' if on else 'off'}", level=logging.INFO)

    def set_count_in(self, on: bool) -> None:
        """The count-in on or off (a song's setting; the ``k`` key toggles it)."""
        with self._lock:
            if self._count_in.on != on:
                self._count_in.toggle()

    @property
    def count_in(self) -> bool:
        with self._lock:
            return self._count_in.on

    # ------------------------------------------------------------------ actions
    def set_mode(self, mode: Mode) -> None:
        """Change mode. A take in progress for another track ends here and is kept:
        what was played so far becomes that track's loop (nothing recorded is lost)."""
        with self._lock:
            take = self._take
            if take is not None and RECORDING_MODES.get(mode) != take.track:
                self._take = None
                if take.notes or len(take.finish()):
                    notes = take.finish(until=self._now_step())
                    self._commit_take(take, notes)
                    self._warn(f"recorded {take.track} (ended early): {len(notes)} notes",
                               level=logging.INFO)
            self._mode, self._layers.overdub = mode, False

    def set_swing(self, ratio: float) -> None:
        """The loop's swing ratio (``timing.swing``), from the next loop start (at once
        when stopped). Out of range: one warning line, nothing changes."""
        try:
            ratio = check_swing(ratio)
        except SwingError as exc:
            self._warn_locked(str(exc))
            return
        with self._lock:
            if self._playing:
                self._pending_swing = ratio
                return
            self._swing = ratio
            self._reswing(0)
            if not fits(self._structure.meter) and ratio != STRAIGHT:
                self._warn(f"swing {ratio:g} waits for a meter of whole quarters "
                           f"({self._structure.meter} plays straight)")

    def _played_swing(self) -> float:
        """The swing the schedule plays: the loop's, if its meter has whole quarters."""
        return self._swing if fits(self._structure.meter) else STRAIGHT

    def _reswing(self, step: int) -> None:
        if self._schedule.swing != self._played_swing():
            self._schedule = self._schedule.with_swing(self._played_swing(), step)

    def set_qpm(self, qpm: float) -> None:
        try:
            qpm = check_qpm(qpm)
        except TempoError as exc:
            self._warn_locked(str(exc))
            return
        with self._lock:
            self._schedule = self._schedule.with_tempo(qpm, self._next_step)

    def tap(self) -> None:
        with self._lock:
            qpm = self._tap.tap(self.clock.now())
            if qpm is not None:
                self._schedule = self._schedule.with_tempo(round(qpm, 1), self._next_step)

    def change_structure(
        self,
        bars: int | None = None,
        numerator: int | None = None,
        denominator: int | None = None,
    ) -> None:
        """Ask for a new structure; it takes effect at the next loop start."""
        with self._lock:
            current = self._pending_structure or self._structure
            try:
                meter = Meter(
                    numerator if numerator is not None else current.meter.numerator,
                    denominator if denominator is not None else current.meter.denominator,
                )
                wanted = LoopStructure(meter, bars if bars is not None else current.bars)
            except MeterError as exc:
                self._warn(str(exc))
                return
            if self._playing:
                self._pending_structure = wanted
            else:
                self._structure = wanted
                self._rebuild_click()

    def nudge_structure(self, bars: int = 0, numerator: int = 0, denominator: float = 1) -> None:
        """Relative change (controller buttons): bars +/-1, numerator +/-1, denominator x2 or /2."""
        with self._lock:
            current = self._pending_structure or self._structure
            self.change_structure(
                current.bars + bars,
                current.meter.numerator + numerator,
                int(current.meter.denominator * denominator),
            )

    def set_volume(self, track: Track, volume: float) -> None:
        with self._lock:
            self._volumes[track] = min(1.0, max(0.0, volume))

    def toggle_mute(self, track: Track) -> None:
        with self._lock:
            self._mutes[track] = not self._mutes[track]

    def replace_track(self, track: Track, notes: Iterable[LoopNote], now: bool = False,
                      at: int | None = None) -> bool:
        """Swap a track's loop notes: at the next loop start, or at once if stopped or ``now``;
        False, nothing swapped, if the next loop start is not ``at``."""
        notes = list(notes)
        with self._lock:
            if not self._starts_at(at):
                return False
            if now or not self._playing:
                self._set_track(track, notes)
            else:
                self._pending_tracks[track] = notes
            return True

    def track_notes(self, track: Track) -> list[LoopNote]:
        with self._lock:
            return list(self._by_track[track])

    def add_step_listener(self, listener: StepListener) -> None:
        """Called after each step is sent (outside the lock): keep it quick, no I/O."""
        with self._lock:
            self._step_listeners.append(listener)

    def add_output_listener(self, listener: OutputListener) -> None:
        with self._lock:
            self._output_listeners.append(listener)

    def set_key_hook(self, hook: KeyHook | None) -> None:
        """Install what decides the sound of keys in improv mode (None: play them through)."""
        with self._lock:
            self._key_hook = hook

    def show_chart(self, chart: Chart | None, origin: int) -> None:
        """The chord chart the status view follows (None: none), its bar 1 at ``origin``."""
        with self._lock:
            self._chart = None if chart is None else (chart, origin)

    def show_turn(self, whose: str, step: int) -> None:
        """Whose turn it is from absolute ``step`` (trading; "" none), for the recorder."""
        with self._lock:
            self._turn = self._turn[0] + 1, whose, step

    def add_status(self, name: str, describe: Callable[[], str]) -> None:
        """A feature's line in the status view."""
        with self._lock:
            self._extras[name] = describe

    def add_facts(self, name: str, facts: Callable[[], dict[str, Fact]]) -> None:
        """A feature's state as values for views other than the terminal (the stage
        view), taken with each snapshot as its status line is (``Snapshot.facts``)."""
        with self._lock:
            self._facts[name] = facts

    def warn(self, message: str) -> None:
        """Record a warning for the status view (thread-safe)."""
        self._warn_locked(message)

    def tell(self, message: str) -> None:
        """Record a message (not a warning) for the status view (thread-safe)."""
        self._warn_locked(message, level=logging.INFO)

    def _warn_locked(self, message: str, level: int = logging.WARNING) -> None:
        with self._lock:
            self._warn(message, level)

    # ------------------------------------------------------------------ views
    @property
    def structure(self) -> LoopStructure:
        with self._lock:
            return self._structure

    @property
    def next_structure(self) -> LoopStructure:
        """The structure the next loop start plays (a pending change, else this one)."""
        with self._lock:
            return self._pending_structure or self._structure

    @property
    def mode(self) -> Mode:
        with self._lock:
            return self._mode

    @property
    def qpm(self) -> float:
        with self._lock:
            return self._schedule.qpm

    @property
    def chart(self) -> tuple[Chart, int] | None:
        """The chord chart the form follows and the absolute step of its bar 1, if any."""
        with self._lock:
            return self._chart

    @property
    def turn(self) -> tuple[int, str, int]:
        """How many turns were shown, and the last one's whose and first step."""
        with self._lock:
            return self._turn

    @property
    def switches(self) -> tuple[int, str]:
        """How many song or section switches have been applied, and the last one's name."""
        with self._lock:
            return self._switches

    @property
    def schedule(self) -> StepSchedule:
        with self._lock:
            return self._schedule

    def snapshot(self) -> Snapshot:
        with self._lock:
            steps = self._structure.steps
            per_track = {t: notes.bisect_key_left(steps) for t, notes in self._by_track.items()}
            extras, facts = dict(self._extras), dict(self._facts)
            snap = Snapshot(
                playing=self._playing,
                mode=self._mode,
                qpm=self._schedule.qpm,
                structure=self._structure,
                pending_structure=self._pending_structure,
                position=self._position,
                loop_count=self._loop_count,
                volumes=dict(self._volumes),
                mutes=dict(self._mutes),
                notes_per_track=per_track,
                recording=self._take.track if self._take else None,
                sounding=self._voices.sounding(),
                warnings=tuple(self._warnings),
                layers=self._layers.counts(),
                swing=self._swing,
                pending_swing=self._pending_swing,
                chart=self._chart[0] if self._chart else None,
                chart_step=self._next_step - 1 - (self._chart[1] if self._chart else 0),
                count_in=self._count_in.on,
                take_notes=self._take.count() if self._take else 0,
                free_take=self._free.track if self._free else None,
                pending_notes=self._pending_counts(),
            )
        return replace(snap, extras={name: describe() for name, describe in extras.items()},
                       facts={name: view() for name, view in facts.items()})

    def _pending_counts(self) -> dict[Track, int]:
        """Notes per track from the next loop start, where that changes (locked)."""
        pending = {t: len(notes) for t, notes in self._pending_tracks.items()}
        return {**self._layers.due_counts(), **pending}

    def _send(self, out: list[OscOut], at: float | None, origin: Origin,
              sounded: bool = False) -> None:
        """Send a batch (holding ``_order``, never ``_lock``) and tell the output listeners
        (``sounded``: the bridge played it already; only the listeners hear of it)."""
        if not out:
            return
        if not sounded:
            self.port.send(out, at)
        for listener in self._output_listeners:
            try:
                listener(out, at, origin)
            except Exception:  # one failing listener must not silence the others
                log.exception("output listener %r failed", listener)

    # ------------------------------------------------------------------ helpers (locked)
    def _set_track(self, track: Track, notes: list[LoopNote]) -> None:
        for old in self._by_track[track]:
            self._notes.remove(old)
        self._by_track[track] = SortedKeyList((n for n in notes if n.track == track), key=_onset)
        self._notes.update(self._by_track[track])

    def _rebuild_click(self) -> None:
        self._set_track(Track.CLICK, click_track(self._structure))

    def _warn(self, message: str, level: int = logging.WARNING) -> None:
        self._warnings.append(message)
        log.log(level, message)


def _onset(note: LoopNote) -> int:
    return note.onset


INSTRUMENTS = frozenset(i.value for i in Instrument)


def _stop(instrument: Instrument, pitch: int) -> OscOut:
    return (stop_address(instrument), (pitch, 0))


def _sounded_as(played: tuple[str, int], voices: list[Voice], note: int,
                velocity: int) -> bool:
    """Whether the bridge's keys thru played what the key sounds here: the key's own
    pitch on the same instrument, the velocity to within rounding (sclang rounds
    halves up)."""
    if played[0] not in INSTRUMENTS or abs(velocity - played[1]) > 1:
        return False
    return voices == [(Instrument(played[0]), note)]
