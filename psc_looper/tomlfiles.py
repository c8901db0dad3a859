"""The one way a user's TOML file is read (songs, set lists, controller maps, performer
configs): a regular file of bounded size, UTF-8, nested at most ``MAX_DEPTH`` deep
(checked before parsing, so no input reaches the parser's recursion limit), and every
error one short line naming the file once; ``quote`` cuts what an error line quotes.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from psc_looper.files import FileRefused, read_regular

MAX_BYTES = 1 << 20  # a song's TOML is a few KB; its notes are in the MIDI file
MAX_DEPTH = 16  # tables and arrays inside each other
QUOTE_CHARS = 60  # of a value quoted in an error line
LINE_CHARS = 300  # of an error line

# What can hide a bracket from the nesting count: strings and comments (else a bracket).
_TOKEN = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'[^\'\n]*\'|'
                    r'#[^\n]*|[\[\]{}]')


def load_toml(path: Path, what: str, error: type[Exception]) -> dict[str, Any]:
    """The tables of the TOML file ``path`` (a ``what``: "song", "controller map"), or
    ``error`` with one line naming the file and the problem."""
    try:
        data = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        raise error(f"{path}: no such {what} file") from None
    except FileRefused as exc:
        raise error(f"{path}: not a {what} file: {exc}") from None
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} file ({exc.strerror or exc})") from None
    try:
        text = data.decode()
    except UnicodeDecodeError:
        raise error(f"{path}: not a {what} (TOML text), it is not UTF-8 text") from None
    if nesting(text) > MAX_DEPTH:
        raise error(f"{path}: nested deeper than {MAX_DEPTH} levels: not a {what} file")
    try:
        tables = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise error(line(f"{path}: not a readable {what} file ({exc})")) from None
    if depth(tables) > MAX_DEPTH:  # dotted keys nest without brackets
        raise error(f"{path}: nested deeper than {MAX_DEPTH} levels: not a {what} file")
    return tables


def nesting(text: str) -> int:
    """How deep ``[`` and ``{`` nest in TOML ``text`` (outside strings and comments)."""
    level = deepest = 0
    for token in _TOKEN.finditer(text):
        mark = token.group()
        if mark in "[{":
            level += 1
            deepest = max(deepest, level)
        elif mark in "]}":
            level = max(0, level - 1)
    return deepest


def depth(value: Any) -> int:
    """How deep tables and lists nest in ``value`` (without recursion)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def quote(value: Any) -> str:
    """``repr(value)``, cut to ``QUOTE_CHARS`` (a 100,000-character chord stays short)."""
    return cut(repr(value))


def cut(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text`` if it is at most ``limit`` characters, else its start and ``...``."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def line(message: str) -> str:
    """``message`` as one line of at most ``LINE_CHARS``."""
    return cut(" ".join(message.splitlines()), LINE_CHARS)
