"""Saving a song's two files (``NAME.toml`` naming ``NAME.mid``) as one: at every instant
the TOML on disk names a complete notes file written with it, so a crash at any point
leaves the old song or the new one, loadable.

The TOML is the commit: it is only ever replaced whole (write ``.part``, fsync, rename,
fsync the folder), and a notes file is only replaced while no TOML names it. Saving over
a song whose TOML names ``NAME.mid``: the new notes go to ``NAME.next.mid``, the TOML is
committed naming it, ``NAME.mid`` is rewritten, the TOML committed naming it again, and
``NAME.next.mid`` removed. Otherwise (a new song, or one a crash left naming
``NAME.next.mid``) the notes go straight to ``NAME.mid``. A failed save removes its
``.part`` files and an unnamed ``NAME.next.mid``; the next save sweeps what a crash left.
Every file operation goes through ``step`` (tests inject crashes there).
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Callable
from pathlib import Path

from psc_looper.files import read_regular, replace_synced, write_synced

STAGED = ".next.mid"


def step(kind: str, path: Path, data: bytes | Path | None = None) -> None:
    """One file operation: ``write`` bytes to a new file (fsynced), ``replace`` ``data``
    (a path) onto ``path`` and fsync the folder, or ``unlink``."""
    if kind == "write":
        assert isinstance(data, bytes)
        write_synced(path, data)
    elif kind == "replace":
        assert isinstance(data, Path)
        replace_synced(data, path)
    else:
        path.unlink()


def commit_pair(path: Path, toml: Callable[[str], bytes], midi: bytes) -> None:
    """Write the song ``path`` (.toml) and its notes ``midi`` as one; ``toml(name)`` is the
    TOML's bytes naming the notes file ``name`` (beside it). OSError if it fails."""
    final, staged = path.with_suffix(".mid"), path.with_suffix(STAGED)
    _sweep(path, final, staged)
    commits = [final] if named_notes(path) != final.name else [staged, final]
    try:
        for notes in commits:
            _replace(notes, midi)
            _replace(path, toml(notes.name))
        if staged.exists():
            step("unlink", staged)
    except Exception:
        for part in (path, final, staged):
            with contextlib.suppress(OSError):
                part.with_name(part.name + ".part").unlink()
        if named_notes(path) != staged.name:
            with contextlib.suppress(OSError):
                staged.unlink()
        raise


def named_notes(path: Path) -> str | None:
    """The notes file the song ``path`` names now (None: no readable song there)."""
    try:
        notes = tomllib.loads(read_regular(path, 1 << 20).decode()).get("notes")
    except (OSError, ValueError, RecursionError):
        return None
    return notes if isinstance(notes, str) else None


def _replace(path: Path, data: bytes) -> None:
    part = path.with_name(path.name + ".part")
    step("write", part, data)
    step("replace", path, part)


def _sweep(path: Path, final: Path, staged: Path) -> None:
    """Remove what an interrupted save left: ``.part`` files, an unnamed staged file."""
    for name in (path, final, staged):
        part = name.with_name(name.name + ".part")
        if part.exists():
            step("unlink", part)
    if staged.exists() and named_notes(path) != staged.name:
        step("unlink", staged)
