"""Files the user names or the instrument writes, handled safely.

Reading: only a regular file, at most a stated size (``read_regular``). The file is
opened without blocking and checked with ``fstat`` before a byte is read, so a FIFO, a
device (``/dev/zero``) or a folder is refused at once instead of hanging or filling
memory; ``FileRefused`` says what the path is instead. Writing: a crash never leaves
half a file (``write_atomically``, used by the session recorder and the song files).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"),
         (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


class FileRefused(ValueError):
    """A path that is not a regular file, or a file over its size limit (the message
    says which, without the path)."""


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``): ``FileRefused``,
    or ``OSError`` (``FileNotFoundError`` when there is nothing there)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in KINDS if test(mode)), "a special file")
            raise FileRefused(f"{kind}, not a regular file")
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise FileRefused(f"larger than {limit:,} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: temporary file, fsync, rename, fsync the folder."""
    temporary = path.with_name(path.name + ".part")
    write_synced(temporary, data)
    replace_synced(temporary, path)


def write_synced(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` and fsync it (not yet its name: see ``replace_synced``)."""
    with open(path, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def replace_synced(source: Path, path: Path) -> None:
    """Rename ``source`` onto ``path`` and fsync the folder, so the new name survives."""
    os.replace(source, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
