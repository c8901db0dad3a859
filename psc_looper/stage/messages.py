"""What a stage page may send: ``{"action": NAME}``, NAME one of the computer keys'
actions (``ui.keys``, e.g. ``"record:bass"``), parsed strictly: anything else is a
``BadMessage`` naming what was wrong in one line (the server logs it and ignores it)."""

from __future__ import annotations

import json

from psc_looper.ui.keys import KEYS

MAX_MESSAGE_CHARS = 200  # a message is one short action name
ACTIONS = frozenset(key.action for key in KEYS)
SHOWN_CHARS = 40  # of an offending value in the error


class BadMessage(ValueError):
    """A page's message that is not one known action."""


def parse_message(message: str | bytes) -> str:
    """The action ``message`` asks for; ``BadMessage`` for anything else."""
    if isinstance(message, bytes):
        raise BadMessage("a binary frame (want JSON text)")
    if len(message) > MAX_MESSAGE_CHARS:
        raise BadMessage(f"{len(message)} characters (at most {MAX_MESSAGE_CHARS})")
    try:
        data = json.loads(message, object_pairs_hook=_unique)
    except json.JSONDecodeError as exc:
        raise BadMessage(f"not JSON ({exc.msg}): {_shown(message)}") from None
    if not isinstance(data, dict) or set(data) != {"action"}:
        raise BadMessage(f'want {{"action": NAME}}, not {_shown(message)}')
    action = data["action"]
    if not isinstance(action, str) or action not in ACTIONS:
        raise BadMessage(f"unknown action {_shown(json.dumps(action))}")
    return action


def _unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """An object with no key twice (which one would count is a guess)."""
    data = dict(pairs)
    if len(data) != len(pairs):
        raise BadMessage(f"a key given twice: {_shown(json.dumps([k for k, _ in pairs]))}")
    return data


def _shown(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "..."
