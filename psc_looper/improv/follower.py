"""Follower: while the machine leads, its next pitch chosen step by step over the chord
sounding at the step the pianist's key lands on.

The model side (``start``, ``observe``: the feature's worker, or a replay inline) runs
a :class:`~psc_looper.inference.stepper.Stepper` with the transport. At the takeover its
state holds the pianist's phrase as played (pitches, rhythm, the chords under it), so
the line continues from the pianist's register and harmony. Each step it is told what
happened at the step just completed (the machine's pitch sounded at a key, a held note,
NOTE_OFF after a release, a rest) and prepares the pitches the next keys will need: the
one for the step now (whether or not a key fell on the step before) and both branches
of the step after (a key lands there half a step early, before the next ``observe``).
Each pitch is drawn among note-ons, chord tones weighted by ``chord_weight`` at the
chord of its own step (or snapped to the chord with ``snap``).

The note path (:meth:`Follower.take`) only looks a prepared pitch up: no model work,
no waiting, no lock (the table is swapped whole; dict reads are atomic). A key with no
pitch prepared for its step (the model late) gets a fallback, counted.

Guards, counted each time they fire (they are guards, not the mechanism): the register
guard moves a pitch further than ``register_span`` from the pianist's register back by
octaves; the leap guard moves a leap wider than ``max_leap`` (from the previous machine
pitch, or the pianist's last note at the turn's first) by octaves; pitches are folded
onto the keyboard; on the note path, the key guard moves a pitch further than
``register_span`` from the key that sounds it by octaves toward the key.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from psc_looper.harmony.chords import Chord
from psc_looper.improv import voicing
from psc_looper.inference.stepper import NO_EVENT, NOTE_OFF, Stepper
from psc_looper.looper.recording import quantize

ChordAt = Callable[[int], Chord | None]  # absolute step -> the chord sounding there
REGISTER_NOTES = 8  # the pianist's last notes that say where the line continues
REGISTER_SPAN = 12  # semitones from the pianist's register before the guard moves a pitch
LATE = "late"  # fallback reason: nothing prepared for the key's step


@dataclass(frozen=True)
class FollowOptions:
    chord_weight: float = 2.25  # note-ons of the step's chord tones weigh this much more (measured)
    snap: bool = False  # snap each pitch to the nearest chord tone instead
    max_leap: int = 7
    register_span: int = REGISTER_SPAN
    follow_keys: bool = True  # a pitch further than register_span from its key moves to it


@dataclass
class FollowStats:
    """What the follower did: guards fired, fallbacks by reason, model time per step."""

    guards: Counter[str] = field(default_factory=Counter)  # model side
    key_guards: int = 0  # note path: pitches moved by octaves toward their key
    fallbacks: Counter[str] = field(default_factory=Counter)
    prepared: int = 0  # pitches prepared
    taken: int = 0  # keys answered from a prepared pitch
    crowded: int = 0  # of them, second keys on a step (moved on to the next free step)
    step_seconds: list[float] = field(default_factory=list)  # model time of each observe
    start_seconds: list[float] = field(default_factory=list)  # priming with the phrase

    def percentile(self, q: float) -> float:
        if not self.step_seconds:
            return float("nan")
        return float(np.percentile(self.step_seconds, q))


def primer_events(notes: Sequence[tuple[float, float, int]], first: int,
                  last: int) -> list[int]:
    """Melody events for absolute steps ``first..last`` (inclusive) from (onset, end, pitch)
    in fractional steps: the highest note on a step, NOTE_OFF after each end (before the
    next onset), NO_EVENT elsewhere."""
    events = [NO_EVENT] * (last - first + 1)
    ends: dict[int, int] = {}
    for onset, end, pitch in sorted(notes):
        step = quantize(onset) - first
        if 0 <= step < len(events) and (events[step] < 0 or pitch > events[step]):
            events[step] = pitch
            ends[step] = max(step + 1, quantize(end) - first)
    starts = sorted(ends)
    for i, step in enumerate(starts):
        off = ends[step]
        following = starts[i + 1] if i + 1 < len(starts) else len(events)
        if off < following and off < len(events):
            events[off] = NOTE_OFF
    return events


class Follower:
    """One turn of the machine, stepped with the transport (see the module docstring)."""

    def __init__(self, stepper: Stepper, options: FollowOptions | None = None,
                 seed: int | None = None) -> None:
        self.stepper = stepper
        self.options = options or FollowOptions()
        self.rng = np.random.default_rng(seed)
        self.stats = FollowStats()
        self._chord_at: ChordAt = lambda _step: None
        self._reference: int | None = None
        self._step = 0  # the next step to observe (``next_step`` below)
        self._last_pitch: int | None = None  # the last pitch sounded (pianist's, then machine's)
        # --- shared with the note path: swapped whole (ready) or single-key writes (taken)
        self.ready: dict[tuple[int, bool], int] = {}  # (step, key on the step before) -> pitch
        self.taken: dict[int, int] = {}  # step -> machine pitch sounded there
        self.released: float | None = None  # step position of the last machine release

    # ------------------------------------------------------------------ model side
    def start(self, events: Sequence[int], chords: Sequence[Chord | None], next_step: int,
              chord_at: ChordAt, last_pitch: int | None = None) -> None:
        """Take over after the primer ``events`` (one per step up to ``next_step - 1``, with
        their ``chords``); prepare the pitches of ``next_step`` and the step after."""
        started = time.perf_counter()
        self._chord_at = chord_at
        played = [e for e in events if e >= 0]
        self._reference = voicing.reference_pitch(played[-REGISTER_NOTES:])
        self._last_pitch = last_pitch if last_pitch is not None else (
            played[-1] if played else None)
        self.stepper.start(events, list(chords) if self.stepper.takes_chords else None)
        self._step = next_step
        self.taken, self.released = {}, None
        first = self._draw(self.stepper, next_step, self._last_pitch)
        self.ready = {(next_step, False): first, (next_step, True): first}
        self._branch(next_step, first)
        self.stats.start_seconds.append(time.perf_counter() - started)

    def observe(self, step: int, event: int | None = None) -> None:
        """Step ``step`` is over: advance the model with what happened there (``event``: the
        pianist's, before the takeover; None: what the note path recorded), then prepare the
        pitches of the next two steps."""
        started = time.perf_counter()
        played = event is not None
        if event is None:
            event = self.event_at(step)
        self.stepper.advance(event, self._chord_at(step))
        if event >= 0:
            self._last_pitch = event
        self._step = after = step + 1
        pitch = None if played else self.ready.get((after, step in self.taken))
        if pitch is None:  # the branches assumed the machine: draw over what was played
            pitch = self._draw(self.stepper, after, self._last_pitch)
        self.ready = {(after, False): pitch, (after, True): pitch,
                      **{k: v for k, v in self.ready.items() if k[0] > after}}
        self._branch(after, self.taken.get(after, pitch))
        self.stats.step_seconds.append(time.perf_counter() - started)

    def observe_all(self, batch: Sequence[tuple[int, int | None]]) -> None:
        """:meth:`observe` each (step, event) of ``batch`` in order."""
        for step, event in batch:
            self.observe(step, event)

    def event_at(self, step: int) -> int:
        """What happened at ``step`` from the note path's records."""
        if step in self.taken:
            return self.taken[step]
        released = self.released
        if released is not None and quantize(released) <= step and self._note_sounding(step):
            return NOTE_OFF
        return NO_EVENT

    def _note_sounding(self, step: int) -> bool:
        """Whether the model last heard a note-on (not yet ended by NOTE_OFF)."""
        for event in reversed(self.stepper.model_events):
            if event != NO_EVENT:
                return event >= 0
        return False

    def _branch(self, step: int, pitch: int) -> None:
        """Prepare step + 1 in both branches: a key on ``step`` (sounding ``pitch``) or none."""
        following = step + 1
        table = dict(self.ready)
        for onset in (True, False):
            twin = self.stepper.copy()
            twin.advance(pitch if onset else NO_EVENT, self._chord_at(step))
            previous = pitch if onset else self._last_pitch
            table[(following, onset)] = self._draw(twin, following, previous)
        self.ready = table

    def _draw(self, stepper: Stepper, step: int, previous: int | None) -> int:
        """A note-on for ``step`` over its chord, then the guards."""
        chord = self._chord_at(step)
        opts = self.options
        p = stepper.weighted(chord, 1.0 if opts.snap else opts.chord_weight)
        events = stepper.events()
        onsets = np.array([e >= 0 for e in events])
        p = np.where(onsets, p, 0.0)
        if p.sum() <= 0:
            p = onsets.astype(float)
        pitch = int(events[int(self.rng.choice(len(p), p=p / p.sum()))])
        if opts.snap and chord is not None:
            snapped = voicing.nearest_in(pitch, chord.pitch_classes)
            self.stats.guards["snap"] += snapped != pitch
            pitch = snapped
        self.stats.prepared += 1
        return self._guard(pitch, previous)

    def _guard(self, pitch: int, previous: int | None) -> int:
        opts, reference = self.options, self._reference
        if reference is not None and abs(pitch - reference) > opts.register_span:
            self.stats.guards["register"] += 1
            pitch -= 12 * round((pitch - reference) / 12)
        leaped = voicing.within_leap(pitch, previous, opts.max_leap)
        if leaped != pitch:
            self.stats.guards["leap"] += 1
        folded = voicing.fold_into_range(leaped)
        self.stats.guards["range"] += folded != leaped
        return folded

    @property
    def next_step(self) -> int:
        """The first step not observed yet."""
        return self._step

    # ------------------------------------------------------------------ note path
    def take(self, position: float, key: int | None = None) -> int:
        """The pitch for ``key`` at ``position`` (fractional steps): a lookup, or a fallback;
        moved by octaves toward the key when further than ``register_span`` from it.

        A second key on a step (an ornament faster than 16ths) takes the pitch prepared for
        a key on the next free step after it, and the model hears it there (``crowded``)."""
        step = quantize(position)
        ready, taken = self.ready, self.taken
        while step in taken:
            step += 1
        pitch = ready.get((step, step - 1 in taken))
        if pitch is None:
            self.stats.fallbacks[LATE] += 1
            pitch = self._fallback_pitch()
        else:
            self.stats.taken += 1
            if step != quantize(position):
                self.stats.crowded += 1
                taken[step] = pitch
        span = self.options.register_span
        if key is not None and self.options.follow_keys and abs(pitch - key) > span:
            self.stats.key_guards += 1
            pitch = voicing.fold_into_range(pitch - 12 * round((pitch - key) / 12))
        return pitch

    def sounded(self, position: float, pitch: int) -> None:
        """The note path sounded ``pitch`` (after its own rules) for the key at ``position``."""
        self.taken.setdefault(quantize(position), pitch)

    def release(self, position: float) -> None:
        """The key sounding the machine's last pitch was released at ``position``."""
        self.released = position

    def _fallback_pitch(self) -> int:
        last = self._last_pitch
        return last if last is not None else (self._reference or 72)
