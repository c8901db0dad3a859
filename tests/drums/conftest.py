"""Drums fixtures: the models' session bundles (reused from tests/models), rigs with them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from psc_looper.app import BackendConfig
from psc_looper.drums.feature import DrumsFeature
from psc_looper.looper.notes import LoopNote
from psc_looper.models import DrumHit
from psc_looper.osc.protocol import DRUMS
from psc_looper.rig import VirtualRig
from tests.helpers import plays
from tests.models.conftest import drums_bundle, drums_model, make_bundle  # noqa: F401

DrumsRig = Callable[..., VirtualRig]


@pytest.fixture
def drums_rig(drums_bundle: Path) -> Iterator[DrumsRig]:  # noqa: F811
    """Make VirtualRigs with the drums bundle loaded, generating inline; closed after."""
    rigs: list[VirtualRig] = []

    def make(**config: object) -> VirtualRig:
        options: dict[str, object] = {"inline_generation": True, "seed": 7}
        options.update(config)
        rig = VirtualRig(BackendConfig(drums_bundle=drums_bundle, **options))  # type: ignore[arg-type]
        rigs.append(rig)
        return rig

    yield make
    for rig in rigs:
        rig.backend.close()


DRUM_NAMES = {i.value for i in DRUMS}


def drums_of(rig: VirtualRig) -> DrumsFeature:
    return rig.backend.drums


def drum_hits(rig: VirtualRig, first: int, last: int) -> list[tuple[int, str, int]]:
    """(step - first, sound, velocity) of the drum hits the loop played in steps first..last-1."""
    start, step = rig.step_time(first), rig.looper.schedule.step_seconds
    hits = []
    for s in plays(rig.sent):
        if s.at is None or s.address[5:] not in DRUM_NAMES:
            continue
        k = round((s.at - start) / step)
        if 0 <= k < last - first:
            hits.append((k, s.address[5:], int(s.args[1])))
    return sorted(hits)


def part_hits(notes: Iterable[LoopNote]) -> list[tuple[int, str, int]]:
    """What ``drum_hits`` shows for one loop of ``notes`` at full volume."""
    return sorted((n.onset, n.instrument.value, n.velocity) for n in notes)


class ScriptedModel:
    """A stand-in DrumsModel: returns ``hits`` and records each call's arguments."""

    def __init__(self, hits: Iterable[DrumHit] = (DrumHit(4, 38),)) -> None:
        self.hits = list(hits)
        self.calls: list[tuple[list[DrumHit], int, int, dict[str, object]]] = []

    def generate(
        self, primer: Iterable[DrumHit], num_steps: int, *, primer_steps: int, **options: object
    ) -> list[DrumHit]:
        self.calls.append((list(primer), primer_steps, num_steps, options))
        return self.hits
