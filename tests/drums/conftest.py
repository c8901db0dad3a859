"""Drums fixtures: the models' session bundles (reused from tests/models), rigs with them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from psc_looper.app import BackendConfig
from psc_looper.rig import VirtualRig
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
