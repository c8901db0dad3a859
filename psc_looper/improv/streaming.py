"""Streaming: the follower driven by the improv feature (``[improv] follower = true``).

Instead of a whole line generated at the threshold, the answering model is primed with
the pianist's phrase as played and then stepped with the transport: before the takeover
it hears the pianist's melody step by step, from the takeover on the machine's pitches
as the note path sounded them (``improv/follower.py``). The feature calls in at a few
points: ``request`` when the primer is full, ``sync`` from the step listener as a worker
job (it primes if asked and observes every step not yet observed, so a job replaced in
the worker's one-slot queue loses nothing), ``heard``/``heard_release`` for the pianist's
keys, ``begin``/``take``/``sounded``/``released``/``end`` around the machine's turn.

The stepper runs the NumPy engine on its own copy of the model's bundle (loaded once
per bundle): in the models' child process (``follower_process.py``, the default live;
the feature owns it and shares it with the trader), or in this process on the worker
(``process=None``: replays and tests, inline and deterministic).
A model the engine cannot step (no bundle, or a config the engine does not run) leaves
the feature on the whole line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from psc_looper.harmony.chords import Chord
from psc_looper.improv.changes import Changes
from psc_looper.improv.follower import Follower, FollowOptions, primer_events
from psc_looper.improv.follower_process import FollowerProcess, RemoteFollower, load_stepper
from psc_looper.improv.primer import PlayedNote
from psc_looper.inference import UnsupportedBundle
from psc_looper.inference.configs import IMPROV_RNN, MELODY_RNN
from psc_looper.inference.stepper import NO_EVENT, NOTE_OFF
from psc_looper.looper.recording import quantize
from psc_looper.models.errors import BundleError
from psc_looper.models.improv import takes_chords
from psc_looper.models.notes import STEPS_PER_BAR

MAX_PRIMER_STEPS = 128


def family_of(model: Any) -> str:
    return IMPROV_RNN if takes_chords(model) else MELODY_RNN


def can_step(model: Any) -> bool:
    """Whether ``model`` names a bundle the stepper may load (scripted test models do not)."""
    return isinstance(getattr(model, "path", None), (str, Path))


def model_process(models: Sequence[Any]) -> FollowerProcess:
    """The stepped models' child process, told to load ``models``' steppers at once."""
    return FollowerProcess([(str(m.path), family_of(m)) for m in models if can_step(m)])


class Streaming:
    """One follower per turn and what the pianist played before it (see the module doc).

    ``request``, ``heard*``, ``begin``, ``take``, ``sounded``, ``released`` and ``end`` are
    called under the feature's lock; ``sync`` on its worker, alone. They share single
    dict and attribute writes only (atomic), never a lock.
    """

    def __init__(self, options: FollowOptions, harmony: Callable[[], Changes],
                 seed: int | None, process: FollowerProcess | None = None) -> None:
        self.options = options
        self.harmony = harmony  # the feature's harmony now (an immutable snapshot)
        self.seed = seed
        self.process = process  # its owner's (the feature's): not closed here
        self.follower: Follower | None = None
        self._past: Counter[str] = Counter()  # fallbacks of the turns that ended
        self.turns = 0
        self.error = ""  # why the last priming failed ("" none)
        self._prime: tuple[Any, list[PlayedNote], int] | None = None
        self._heard: dict[int, int] = {}  # step -> the pianist's event, before the takeover
        self._takeover: int | None = None

    # ------------------------------------------------------------------ feature (its lock)
    def request(self, model: Any, played: Sequence[PlayedNote], step: int) -> None:
        """Prime ``model`` with ``played`` up to ``step`` at the next ``sync``."""
        self._prime = (model, list(played), step)
        self._heard, self._takeover = {}, None

    def heard(self, position: float, pitch: int) -> None:
        if self._takeover is None:
            step = quantize(position)
            self._heard[step] = max(pitch, self._heard.get(step, NO_EVENT))

    def heard_release(self, position: float) -> None:
        if self._takeover is None:
            self._heard.setdefault(quantize(position), NOTE_OFF)

    def begin(self, step: int) -> None:
        """The machine leads from ``step`` on."""
        self._takeover = step
        self.turns += 1

    def take(self, position: float, key: int) -> int | None:
        """The pitch for ``key`` (None: nothing primed yet; the caller falls back)."""
        follower = self.follower
        if follower is None:
            self._past["unprimed"] += 1
            return None
        return follower.take(position, key)

    @property
    def fallbacks(self) -> Counter[str]:
        """Keys that found no prepared pitch, by reason, over every turn so far."""
        total = Counter(self._past)
        if self.follower is not None:
            total.update(self.follower.stats.fallbacks)
        return total

    def sounded(self, position: float, pitch: int) -> None:
        if self.follower is not None:
            self.follower.sounded(position, pitch)

    def released(self, position: float) -> None:
        if self.follower is not None:
            self.follower.release(position)

    def end(self) -> None:
        """The machine's turn is over: the next one primes afresh."""
        if self.follower is not None:
            self._past.update(self.follower.stats.fallbacks)
        self.follower, self._prime, self._takeover = None, None, None
        self._heard = {}

    # ------------------------------------------------------------------ worker
    def sync(self, step: int) -> None:
        """Prime if asked, then observe every step before ``step`` not observed yet."""
        prime = self._prime
        if prime is not None:
            self._prime = None
            self.follower = self._start(*prime)
        follower = self.follower
        if follower is None:
            return
        takeover = self._takeover
        batch = [(s, self._heard.pop(s, NO_EVENT) if takeover is None or s < takeover else None)
                 for s in range(follower.next_step, step)]
        if isinstance(follower, RemoteFollower):
            follower.observe_all(batch, self.harmony())
        elif batch:
            follower.observe_all(batch)

    def chord_at(self, step: int) -> Chord | None:
        return self.harmony().at(step)

    def _start(self, model: Any, played: list[PlayedNote], step: int) -> Follower | None:
        family = family_of(model)
        bundle = str(getattr(model, "path", ""))
        if not played:
            return None
        first = quantize(min(n.onset for n in played)) // STEPS_PER_BAR * STEPS_PER_BAR
        first = max(first, step - MAX_PRIMER_STEPS)
        notes = [(n.onset, n.end if n.end is not None else float(step), n.pitch) for n in played]
        events = primer_events(notes, first, step - 1)
        chords = [self.chord_at(s) for s in range(first, step)]
        seed = None if self.seed is None else self.seed * 1000 + self.turns
        if self.process is not None:
            remote = RemoteFollower(self.process, bundle, family, self.options, seed)
            remote.start_remote(events, chords, step, self.harmony(), played[-1].pitch)
            return remote
        try:
            stepper = load_stepper(bundle, family)
        except (UnsupportedBundle, BundleError, OSError) as exc:
            self.error = f"the follower cannot step {bundle}: {exc}"
            return None
        follower = Follower(stepper, self.options, seed=seed)
        follower.start(events, chords, step, self.chord_at, played[-1].pitch)
        return follower
