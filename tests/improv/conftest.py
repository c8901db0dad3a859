"""Improv fixtures: rigs with the improv feature on a scripted or a real (tiny) melody model."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from psc_looper.app import BackendConfig
from psc_looper.bundles import DEFAULT_IMPROV_BUNDLE, DEFAULT_MELODY_BUNDLE
from psc_looper.improv import ImprovFeature, ImprovOptions
from psc_looper.looper.engine import Origin
from psc_looper.models import ImprovModel, MelodyModel, Note
from psc_looper.osc.ports import OscOut, Sent
from psc_looper.rig import VirtualRig
from tests.models.conftest import make_bundle, melody_bundle  # noqa: F401

IMPROV_REC, IMPROV_HOLD, IMPROV_CALL, MELODY_KNOB, PLAY = 68, 53, 69, 20, 41
HOLD_PEDAL = 67  # keyboard.toml: the second pedal holds the machine back
KEYS = "wurly"


class ScriptedMelody:
    """A stand-in MelodyModel: answers ``pitches`` as 16ths and records each call."""

    def __init__(self, pitches: Iterable[int] = range(60, 80)) -> None:
        self.pitches = list(pitches)
        self.calls: list[tuple[list[Note], int, dict[str, object]]] = []

    def generate(self, primer: Sequence[Note], num_steps: int, **options: object) -> list[Note]:
        self.calls.append((list(primer), num_steps, options))
        start = int(options["primer_steps"])  # type: ignore[call-overload]
        return [Note(start + i, start + i + 1, p) for i, p in enumerate(self.pitches)]


class RecordingModel:
    """A real model that remembers what it answered."""

    def __init__(self, model: MelodyModel) -> None:
        self.model = model
        self.answers: list[list[Note]] = []

    def generate(self, primer: Sequence[Note], num_steps: int, **options: object) -> list[Note]:
        notes = self.model.generate(primer, num_steps, **options)  # type: ignore[arg-type]
        self.answers.append(notes)
        return notes


@dataclass
class ImprovRig:
    rig: VirtualRig
    feature: ImprovFeature
    keys: list[tuple[int, int, Origin]] = field(default_factory=list)  # live notes sounded

    def machine(self) -> list[int]:
        return [p for p, _, o in self.keys if o is Origin.MACHINE]

    def pianist(self) -> list[int]:
        return [p for p, _, o in self.keys if o is Origin.PIANIST]

    def live(self) -> list[Sent]:
        """The live (untimed) key messages, to audit that every note-on has its note-off."""
        return [s for s in self.rig.sent if s.at is None and s.address.endswith(KEYS)]

    def start(self) -> None:
        """Play the loop and switch to improv mode (nanoKONTROL2)."""
        self.rig.press(PLAY)
        self.rig.press(IMPROV_REC)

    def play(self, notes: Iterable[tuple[float, int, float]], velocity: int = 90) -> None:
        """Play (onset step, pitch, duration steps) notes, onsets relative to step 0."""
        events = []
        for onset, pitch, duration in notes:
            events += [(onset, 1, pitch), (onset + duration, 0, pitch)]
        for when, on, pitch in sorted(events):
            self.rig.advance_to_step(when)
            self.rig.note_on(pitch, velocity) if on else self.rig.note_off(pitch)


MakeRig = Callable[..., ImprovRig]


def _record_keys(improv: ImprovRig) -> Callable[[Sequence[OscOut], float | None, Origin], None]:
    def listen(messages: Sequence[OscOut], at: float | None, origin: Origin) -> None:
        if origin in (Origin.MACHINE, Origin.PIANIST):
            improv.keys += [
                (int(args[0]), int(args[1]), origin)
                for address, args in messages
                if address.startswith("/play")
            ]

    return listen


@pytest.fixture
def improv_rig() -> Iterator[MakeRig]:
    """Make rigs (seed 7, inline generation unless told) with the improv feature on a model
    (default: a ``ScriptedMelody``), an optional chord model, and the given ``ImprovOptions``."""
    rigs: list[VirtualRig] = []

    def make(model: object | None = None, inline: bool = True, chord_model: object | None = None,
             **options: object) -> ImprovRig:
        improv_options = ImprovOptions(**options)  # type: ignore[arg-type]
        config = BackendConfig(inline_generation=inline, seed=7, improv=improv_options)
        rig = VirtualRig(config)
        rigs.append(rig)
        feature = rig.backend.attach(ImprovFeature(
            model or ScriptedMelody(), improv_options,  # type: ignore[arg-type]
            chord_model=chord_model, seed=7, inline=inline))  # type: ignore[arg-type]
        improv = ImprovRig(rig, feature)
        rig.looper.add_output_listener(_record_keys(improv))
        return improv

    yield make
    for rig in rigs:
        rig.backend.close()


@pytest.fixture
def real_model(melody_bundle: Path) -> Iterator[RecordingModel]:  # noqa: F811
    model = MelodyModel.load(melody_bundle)
    yield RecordingModel(model)
    model.close()


Script = list[tuple[float, int, float]]


def run_of(count: int, start: float = 0, every: float = 2, low: int = 60) -> Script:
    """``count`` notes every ``every`` steps from ``start``, one step long, up a major scale
    over two octaves (then again)."""
    scale = (0, 2, 4, 5, 7, 9, 11)
    return [
        (start + i * every, low + scale[i % 7] + 12 * (i // 7 % 2), 1) for i in range(count)
    ]


@pytest.fixture(scope="module")
def models() -> Iterator[tuple[MelodyModel, ImprovModel]]:
    """The shipped MelodyRNN and ImprovRNN, loaded in this process (the NumPy engine)."""
    melody = MelodyModel.load(DEFAULT_MELODY_BUNDLE)
    improv = ImprovModel.load(DEFAULT_IMPROV_BUNDLE)
    yield melody, improv
    melody.close()
    improv.close()
