"""Grooves: drum tracks rendered from the MMA groove library (Debian ``mma``), cached.

Every ``DefGroove`` of every library file is rendered for ``BARS`` bars with a fixed
random seed (MMA humanises timing and velocity), and its MIDI channel 10 is read back
as a piece of drum hits. The GPL groove data never enters the repository: it is read
from the installed package at training time.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from psc_looper.training.pieces import Event, Piece, cache_root, read_pieces, write_pieces

log = logging.getLogger(__name__)

MMA_LIBRARY = Path("/usr/share/mma/lib")
BARS = 8
DRUM_CHANNEL = 9  # MIDI channel 10
HIT_QUARTERS = 0.25  # a hit lasts one 16th note
_DEFGROOVE = re.compile(r"^\s*defgroove\s+(\S+)", re.IGNORECASE | re.MULTILINE)


def mma_command() -> str:
    """The ``mma`` executable; FileNotFoundError says how to install it."""
    path = shutil.which("mma")
    if path is None:
        raise FileNotFoundError("the drum grooves need MMA: apt-get install -y mma")
    return path


def groove_names(library_file: Path) -> list[str]:
    """The grooves a library file defines, in order, without duplicates."""
    names = _DEFGROOVE.findall(library_file.read_text(errors="replace"))
    return list(dict.fromkeys(names))


def library_files(library: Path = MMA_LIBRARY) -> list[Path]:
    """Every groove library file, sorted for determinism."""
    return sorted(library.glob("*/*.mma"))


def groove_script(library_file: Path, groove: str, bars: int = BARS, seed: int = 1) -> str:
    """An MMA script playing ``groove`` of ``library_file`` for ``bars`` bars of C."""
    lines = [f"RndSeed {seed}", "Tempo 120", f"Use {library_file.with_suffix('')}",
             f"Groove {groove}"]
    lines += [f"{bar} C" for bar in range(1, bars + 1)]
    return "\n".join(lines) + "\n"


def read_drum_midi(path: Path, piece_id: str, group: str, bars: int = BARS) -> Piece | None:
    """The channel-10 hits of the first ``bars`` bars of a MIDI file as a piece."""
    import mido

    midi = mido.MidiFile(str(path))
    numerator, denominator = 4, 4
    hits = []
    for track in midi.tracks:
        ticks = 0
        for message in track:
            ticks += message.time
            if message.type == "time_signature" and ticks == 0:
                numerator, denominator = message.numerator, message.denominator
            elif (message.type == "note_on" and message.velocity > 0
                  and message.channel == DRUM_CHANNEL):
                hits.append((ticks / midi.ticks_per_beat, message.note))
    end = bars * numerator * 4 / denominator
    events = sorted({Event(p, q, q + HIT_QUARTERS) for q, p in hits if q < end},
                    key=lambda e: (e.start, e.pitch))
    if not events:
        return None
    return Piece(piece_id, group, numerator, denominator, tuple(events))


def render_groove(library_file: Path, groove: str, library: Path = MMA_LIBRARY) -> Piece | None:
    """Render one groove with mma; None (logged) if mma fails or it has no drums."""
    group = str(library_file.relative_to(library).with_suffix(""))
    piece_id = f"{group}:{groove}"
    with tempfile.TemporaryDirectory(prefix="psc-mma-") as tmp:
        script, midi = Path(tmp) / "groove.mma", Path(tmp) / "groove.mid"
        script.write_text(groove_script(library_file, groove))
        result = subprocess.run([mma_command(), str(script), "-f", str(midi)],
                                capture_output=True, text=True, timeout=60, check=False)
        if result.returncode != 0 or not midi.exists():
            log.warning("%s: mma failed: %s", piece_id, result.stdout[-300:] + result.stderr[-300:])
            return None
        return read_drum_midi(midi, piece_id, group)


def _cached_library_file(library_file: Path, library: Path, cache: Path) -> list[Piece]:
    target = cache / library_file.relative_to(library).with_suffix(".json")
    pieces = read_pieces(target)
    if pieces is None:
        rendered = (render_groove(library_file, g, library) for g in groove_names(library_file))
        pieces = [p for p in rendered if p is not None]
        write_pieces(target, pieces)
    return pieces


def drum_pieces(
    library: Path = MMA_LIBRARY,
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
    files: Iterable[Path] | None = None,
) -> list[Piece]:
    """Every groove's drum piece, rendering only library files not yet cached."""
    files = library_files(library) if files is None else list(files)
    cache = cache_root() / "drums"
    pieces = []
    with ThreadPoolExecutor(max_workers=workers) as pool:  # the work is in mma processes
        futures = [pool.submit(_cached_library_file, f, library, cache) for f in files]
        for done, future in enumerate(futures, 1):
            pieces.extend(future.result())
            if progress is not None:
                progress(done, len(files))
    return pieces
