"""Stepper: a melody model stepped 16th by 16th, the step-synchronous model API.

ImprovRNN (over the chord sounding at each step) or MelodyRNN on the NumPy engine,
one network step per 16th: :meth:`Stepper.start` takes a primer (one magenta melody
event per step: a MIDI pitch is a note-on, ``NOTE_OFF`` ends the note, ``NO_EVENT``
holds it or continues a rest) and, for ImprovRNN, the chord under each primer step;
:meth:`Stepper.distribution` gives the next step's event probabilities over the chord
sounding there; :meth:`Stepper.advance` tells what happened at that step. Same
encodings and network as the engine's full-sequence pass, so the same logits.

Register: pitches in and out are the caller's. The primer is moved into the model's
range as magenta does for a config with a key (MelodyRNN attention: key and octave),
and by whole octaves around the range's centre otherwise (ImprovRNN folds notes into
its range without moving the line); outputs move back, so the line continues in the
primer's register.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import numpy as np

from psc_looper.harmony.chords import Chord
from psc_looper.inference.configs import DRUMS_RNN, IMPROV_RNN
from psc_looper.inference.generator import EngineGenerator
from psc_looper.inference.network import State
from psc_looper.inference.search import softmax
from psc_looper.models.noteseq import import_note_seq

NOTE_OFF, NO_EVENT = -1, -2  # magenta's melody events
NO_CHORD = "N.C."
OCTAVE = 12


def _figure(chord: Chord | None) -> str:
    return NO_CHORD if chord is None else chord.figure()


def octave_shift(pitches: Sequence[int], low: int, high: int) -> int:
    """Whole octaves moving the middle of ``pitches`` nearest the middle of ``low..high``."""
    if not pitches:
        return 0
    middle = (min(pitches) + max(pitches)) / 2
    return OCTAVE * round(((low + high - 1) / 2 - middle) / OCTAVE)


class Stepper:
    """One line of a MelodyRNN or ImprovRNN engine generator, stepped by the caller.

    Not thread-safe: one owner (the follower) calls it.
    """

    def __init__(self, generator: EngineGenerator, temperature: float = 1.0) -> None:
        if generator.config.family == DRUMS_RNN:
            raise ValueError("the stepper runs melody models (MelodyRNN, ImprovRNN)")
        self.generator = generator
        self.config = generator.config
        self.network = generator.search.network
        self.encoder = generator.search.encoder
        self.temperature = temperature
        self.takes_chords = self.config.family == IMPROV_RNN
        self.shift = 0
        self._ns = import_note_seq()
        self._melody: Any = None
        self._chords: Any = None
        self._state: State = []
        self._pending: dict[str, tuple[np.ndarray, State]] = {}
        self._controls: dict[str, list[float]] = {}
        self._events: list[int] | None = None  # class index -> event (caller's pitches)

    # ------------------------------------------------------------------ priming
    def start(self, events: Sequence[int], chords: Sequence[Chord | None] | None = None) -> None:
        """Prime with ``events`` (one per step, at least one) over ``chords`` (one per
        primer step; ImprovRNN only, None: no chord)."""
        if not events:
            raise ValueError("the primer needs at least one step")
        if self.takes_chords and (chords is None or len(chords) != len(events)):
            raise ValueError(f"ImprovRNN needs one chord per primer step ({len(events)})")
        ns = self._ns
        melody = ns.Melody(list(events), steps_per_quarter=4, steps_per_bar=16)
        low, high = self.config.min_note, self.config.max_note
        if self.config.transpose_to_key is not None:
            self.shift = int(melody.squash(low, high, self.config.transpose_to_key))  # numpy's
        else:
            self.shift = octave_shift([e for e in events if e >= 0], low, high)
            melody.transpose(self.shift, low, high)
        self._melody = melody
        self._state = self.network.zero_state(1)
        self._pending.clear()
        self._events = None
        if self.takes_chords:
            self._chords = ns.ChordProgression([_figure(c) for c in chords or ()],
                                               steps_per_quarter=4, steps_per_bar=16)
        if len(melody) > 1:  # every primer input but the last: its chord is the next step's
            inputs = [self._input(i, self._chords[i + 1] if self.takes_chords else None)
                      for i in range(len(melody) - 1)]
            _, self._state = self.network.run(np.asarray([inputs], np.float32), self._state)

    def _input(self, position: int, figure: str | None) -> list[float]:
        """The network input for the event at ``position`` (the chord of the step after it)."""
        melody_input = self.encoder_target().events_to_input(self._melody, position)
        if figure is None:
            return list(melody_input)
        control = self._controls.get(figure)
        if control is None:
            control = self._controls[figure] = list(
                self.encoder._control_encoder_decoder.events_to_input([figure], 0))
        return control + list(melody_input)

    def encoder_target(self) -> Any:
        """The melody encoder-decoder (ImprovRNN's target encoder)."""
        if self.takes_chords:
            return self.encoder._target_encoder_decoder
        return self.encoder

    # ------------------------------------------------------------------ stepping
    def logits(self, chord: Chord | None = None) -> np.ndarray:
        """The next step's logits, ``chord`` sounding there (ignored by MelodyRNN)."""
        key = _figure(chord) if self.takes_chords else ""
        if key not in self._pending:
            x = self._input(len(self._melody) - 1, key if self.takes_chords else None)
            logits, state = self.network.step(np.asarray([x], np.float32), self._state)
            self._pending[key] = (logits[0], state)
        return self._pending[key][0]

    def distribution(self, chord: Chord | None = None) -> np.ndarray:
        """Probabilities of the next step's event classes (softmax at the temperature)."""
        return softmax(self.logits(chord), self.temperature).astype(np.float64)

    def events(self) -> list[int]:
        """The event each class stands for at the next step (caller's pitches)."""
        if self._events is None:
            target = self.encoder_target()
            self._events = []
            for index in range(self.encoder.num_classes):
                event = target.class_index_to_event(index, self._melody)
                self._events.append(int(event) - self.shift if event >= 0 else int(event))
        return self._events

    def sample(self, rng: np.random.Generator, chord: Chord | None = None,
               chord_weight: float = 1.0) -> int:
        """The next step's event drawn from :meth:`distribution`, note-ons of ``chord``'s
        pitch classes weighted by ``chord_weight`` (then renormalised)."""
        p = self.weighted(chord, chord_weight)
        return self.events()[int(rng.choice(len(p), p=p))]

    def weighted(self, chord: Chord | None, chord_weight: float) -> np.ndarray:
        """:meth:`distribution` with the chord's note-ons weighted, renormalised."""
        p = self.distribution(chord)
        if chord is not None and chord_weight != 1.0:
            tones = chord.pitch_classes
            weights = np.array([chord_weight if e >= 0 and e % 12 in tones else 1.0
                                for e in self.events()])
            p = p * weights
        normalised: np.ndarray = p / p.sum()
        return normalised

    def advance(self, event: int, chord: Chord | None = None) -> None:
        """What happened at the next step: ``event`` (a pitch moved by octaves into the
        model's range, NOTE_OFF or NO_EVENT) with ``chord`` sounding there."""
        self.logits(chord)
        key = _figure(chord) if self.takes_chords else ""
        _, self._state = self._pending[key]
        if event >= 0:
            low, high = self.config.min_note, self.config.max_note
            event += self.shift
            while event < low:
                event += OCTAVE
            while event >= high:
                event -= OCTAVE
        self._melody.append(event)
        if self.takes_chords:
            self._chords.append(key)
        self._pending.clear()
        self._events = None

    # ------------------------------------------------------------------ views
    @property
    def model_events(self) -> list[int]:
        """The events so far in the model's range (primer and advances)."""
        return list(self._melody)

    @property
    def model_chords(self) -> list[str]:
        """The chord figures so far, one per step (ImprovRNN)."""
        return list(self._chords) if self.takes_chords else []

    def copy(self) -> Stepper:
        """An independent stepper in the same state (to look ahead without committing)."""
        twin = copy.copy(self)
        twin._melody = copy.deepcopy(self._melody)
        twin._chords = copy.deepcopy(self._chords)
        twin._pending = dict(self._pending)
        return twin
