"""Metagraph: the one hyperparameter a checkpoint's shapes do not tell, the attention length.

Magenta restores a bundle's own metagraph, so a bundle trained with a changed
``attn_length`` generates with it. The length shows in the graph's zero state: the
attention states are zeros of shape (batch, attention size x length), built from
``Const`` nodes under ``.../AttentionCellWrapperZeroState/``; the largest of those
constants is size x length.
"""

from __future__ import annotations

import numpy as np

from psc_looper.inference import wire
from psc_looper.inference.errors import CheckpointError, UnsupportedBundle

ZERO_STATE_SCOPE = "AttentionCellWrapperZeroState/"
GRAPH_DEF, NODE, NODE_NAME, NODE_OP, NODE_ATTR = 2, 1, 1, 2, 5
ATTR_TENSOR, TENSOR_CONTENT, TENSOR_INT_VAL = 8, 4, 7


def _ints(tensor: bytes) -> list[int]:
    proto = wire.message(tensor)
    content = wire.first_bytes(proto, TENSOR_CONTENT)
    if content:
        return [int(v) for v in np.frombuffer(content, "<i4")]
    values: list[int] = []
    for value in proto.get(TENSOR_INT_VAL, []):
        if isinstance(value, bytes):  # packed varints
            pos = 0
            while pos < len(value):
                number, pos = wire.varint(value, pos)
                values.append(number)
        else:
            values.append(value)
    return values


def _zero_state_constants(metagraph: bytes) -> list[int]:
    graph = wire.first_bytes(wire.message(metagraph), GRAPH_DEF)
    constants = []
    for node in wire.repeated_bytes(wire.message(graph), NODE):
        fields = wire.message(node)
        name = wire.first_bytes(fields, NODE_NAME).decode(errors="replace")
        if ZERO_STATE_SCOPE not in name or wire.first(fields, NODE_OP) != b"Const":
            continue
        for entry in wire.repeated_bytes(fields, NODE_ATTR):
            attr = wire.message(entry)
            if wire.first(attr, 1) == b"value":
                tensor = wire.first_bytes(wire.message(wire.first_bytes(attr, 2)), ATTR_TENSOR)
                constants += _ints(tensor)
    return constants


def attention_length(metagraph: bytes, attention_size: int) -> int:
    """The attention length of the graph whose attention vectors have ``attention_size``."""
    try:
        constants = _zero_state_constants(metagraph)
    except CheckpointError as e:
        raise CheckpointError(f"corrupt metagraph: {e}") from e
    largest = max(constants, default=0)
    if largest < attention_size or largest % attention_size:
        raise UnsupportedBundle(
            f"cannot tell the attention length from the metagraph (largest zero-state "
            f"size {largest}, attention size {attention_size})"
        )
    return largest // attention_size
