"""The shipped demos: where they are, the models they use, replaying one end to end.

Demos are session files in the repository's ``demos/`` folder (made by
``demos/make_demos.py``). A demo replays on the virtual clock with ``DEMO_SEED``
and the bundles shipped in ``psc_looper/bundles/`` (``DEFAULT_MELODY_BUNDLE``,
``DEFAULT_DRUMS_BUNDLE``, and ``DEFAULT_IMPROV_BUNDLE`` when it is there); without them
the machine's parts stay silent and the output says so. A demo with a folder of its own
name starts from the set list in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psc_looper
from psc_looper.bundles import (
    BUNDLE_DIR,
    DEFAULT_DRUMS_BUNDLE,
    DEFAULT_IMPROV_BUNDLE,
    DEFAULT_MELODY_BUNDLE,
)
from psc_looper.rig.replay import (
    ReplayOptions,
    ReplayResult,
    replay_config,
    replay_inputs,
    replay_virtual,
)
from psc_looper.sessions.golden import golden_text
from psc_looper.sessions.pianoroll import draw_piano_roll
from psc_looper.sessions.reader import SessionFile, read_session

PACKAGE = Path(psc_looper.__file__).resolve().parent
DEMOS_DIR = PACKAGE.parent / "demos"
DEMO_SEED = 7


@dataclass(frozen=True)
class Bundles:
    melody: Path | None
    drums: Path | None
    improv: Path | None = None  # the ImprovRNN, played while the harmony is known

    def short(self) -> str:
        """The models by kind; the improv model only when there is one."""
        if self.melody is None and self.drums is None and self.improv is None:
            return "no models"
        kinds = [("melody", self.melody), ("drums", self.drums)]
        if self.improv is not None:
            kinds.append(("improv", self.improv))
        return ", ".join(f"{kind} {path.name if path else 'none'}" for kind, path in kinds)

    def describe(self) -> str:
        if self.melody is None and self.drums is None and self.improv is None:
            return (f"models: none shipped yet ({BUNDLE_DIR.name}/ has no .mag): "
                    "the machine's grooves and improvisation are not played")
        return f"models: {self.short()}"


def shipped_bundles() -> Bundles:
    """The shipped default bundles, each None while it is not there."""
    return Bundles(*(p if p.is_file() else None
                     for p in (DEFAULT_MELODY_BUNDLE, DEFAULT_DRUMS_BUNDLE,
                               DEFAULT_IMPROV_BUNDLE)))


def demo_names(folder: Path = DEMOS_DIR) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.mid"))


@dataclass
class DemoRun:
    name: str
    bundles: Bundles
    result: ReplayResult
    output: SessionFile


def demo_options(seed: int, bundles: Bundles, name: str = "") -> ReplayOptions:
    """How a demo is replayed: its seed, models and set list (if it has one)."""
    return ReplayOptions(seed=seed, melody_bundle=bundles.melody, drums_bundle=bundles.drums,
                         improv_bundle=bundles.improv, setlist=setlist_of(name) if name else None)


def run_demo(name: str, out_dir: Path, seed: int = DEMO_SEED,
             bundles: Bundles | None = None) -> DemoRun:
    """Replay demo ``name``; its output session goes to ``out_dir/<name>.mid``."""
    bundles = bundles or shipped_bundles()
    session = read_session(DEMOS_DIR / f"{name}.mid")
    options = demo_options(seed, bundles, name)
    config = replay_config(session, options)
    out = out_dir / f"{name}.mid"
    result = replay_virtual(replay_inputs(session, options, config), config, out, options.tail)
    return DemoRun(name, bundles, result, read_session(out))


def setlist_of(name: str, folder: Path = DEMOS_DIR) -> Path | None:
    """A demo played from a set list keeps it in ``demos/<name>/setlist.toml``."""
    path = folder / name / "setlist.toml"
    return path if path.is_file() else None


def draw_demo(run: DemoRun, path: Path) -> Path:
    title = f"psc-looper demo: {run.name} ({run.bundles.short()})"
    return draw_piano_roll(run.output, path, title)


def demo_golden(run: DemoRun, seed: int = DEMO_SEED) -> str:
    """The golden text of a demo run: a header naming what it depends on, then the notes."""
    header = [f"demo {run.name}, seed {seed}", run.bundles.describe()]
    return golden_text(run.output, header)
