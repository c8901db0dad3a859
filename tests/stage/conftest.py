"""The stage tests' fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from psc_looper.rig import VirtualRig


@pytest.fixture
def rig() -> Iterator[VirtualRig]:
    """A backend on a virtual clock, closed afterwards."""
    made = VirtualRig()
    yield made
    made.backend.close()
