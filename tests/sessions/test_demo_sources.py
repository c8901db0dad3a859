"""The shipped demos are what ``demos/make_demos.py`` makes, byte for byte (as
``material/`` is checked against its generator): a changed performance, recorder or
feature shows here, and the demos are then re-made (see demos/README.md)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

DEMOS = Path(__file__).resolve().parents[2] / "demos"


def _make_demos() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_demos", DEMOS / "make_demos.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKE_DEMOS = _make_demos()


@pytest.mark.parametrize("maker, folder", [("make_gig_songs", "GIG"),
                                           ("make_trio_songs", "TRIO")])
def test_the_songs_and_set_list_come_from_the_script(tmp_path: Path, maker: str,
                                                     folder: str) -> None:
    getattr(MAKE_DEMOS, maker)(tmp_path)
    songs = getattr(MAKE_DEMOS, folder)
    shipped = sorted(p.name for p in songs.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == shipped
    for name in shipped:
        assert (tmp_path / name).read_bytes() == (songs / name).read_bytes(), name


def test_every_shipped_demo_has_its_performance() -> None:
    assert sorted(p.stem for p in DEMOS.glob("*.mid")) == sorted(MAKE_DEMOS.DEMOS)


@pytest.mark.parametrize("name", sorted(MAKE_DEMOS.DEMOS))
def test_the_demo_comes_from_the_script(name: str, tmp_path: Path) -> None:
    made = MAKE_DEMOS.make(name, tmp_path)
    assert made.read_bytes() == (DEMOS / f"{name}.mid").read_bytes()
