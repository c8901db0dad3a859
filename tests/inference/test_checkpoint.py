"""The checkpoint reader: the shipped bundles' weights exactly as TensorFlow reads them;
damage of any kind is a CheckpointError, never a wrong weight."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from psc_looper.inference import table, wire
from psc_looper.inference.checkpoint import read_checkpoint
from psc_looper.inference.errors import CheckpointError
from psc_looper.models.bundles import parse_bundle

BUNDLES = Path(__file__).resolve().parents[2] / "psc_looper" / "bundles"
SHIPPED = ("melody.mag", "drums.mag")


def _checkpoint_bytes(name: str) -> bytes:
    return parse_bundle(BUNDLES / name).checkpoint_file[0]


@pytest.mark.slow
@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_weights_equal_tensorflows_reading(name: str, tmp_path: Path) -> None:
    from psc_looper.models import ensure_magenta

    ensure_magenta()
    import tensorflow.compat.v1 as tf

    data = _checkpoint_bytes(name)
    (tmp_path / "model.ckpt").write_bytes(data)
    reference = tf.train.NewCheckpointReader(str(tmp_path / "model.ckpt"))
    expected = reference.get_variable_to_shape_map()
    ours = read_checkpoint(data)
    assert set(ours.tensors) | ours.others == set(expected)
    assert len(ours.tensors) >= 9  # the LSTM layers, attention and output layer
    for variable, array in ours.tensors.items():
        np.testing.assert_array_equal(array, reference.get_tensor(variable))


def test_every_float_tensor_has_its_declared_shape() -> None:
    tensors = read_checkpoint(_checkpoint_bytes("melody.mag")).tensors
    output = tensors["fully_connected/weights"]
    assert output.dtype == np.float32 and output.ndim == 2
    assert tensors["fully_connected/biases"].shape == (output.shape[1],)


def _flip(data: bytes, at: int) -> bytes:
    damaged = bytearray(data)
    damaged[at] ^= 0x01
    return bytes(damaged)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_one_flipped_bit_in_the_weights_is_a_checksum_error(fraction: float) -> None:
    data = _checkpoint_bytes("melody.mag")
    with pytest.raises(CheckpointError, match="checksum mismatch"):
        read_checkpoint(_flip(data, int(len(data) * fraction)))


def test_truncated_checkpoint_is_an_error() -> None:
    data = _checkpoint_bytes("drums.mag")
    with pytest.raises(CheckpointError, match="not a TF checkpoint"):
        read_checkpoint(data[: len(data) // 2])


@pytest.mark.parametrize("data", [b"", b"\x00" * 47, bytes(range(256)) * 4])
def test_garbage_is_an_error(data: bytes) -> None:
    with pytest.raises(CheckpointError):
        read_checkpoint(data)


def test_a_damaged_footer_is_an_error() -> None:
    data = _checkpoint_bytes("melody.mag")
    footer_start = len(data) - table.FOOTER_SIZE
    damaged = data[:footer_start] + b"\xff" * 10 + data[footer_start + 10 :]
    with pytest.raises(CheckpointError):
        read_checkpoint(damaged)


def test_wire_fields_and_bounds() -> None:
    # field 1 varint 300, field 2 bytes b"ab", field 3 fixed32 7
    data = bytes([0x08, 0xAC, 0x02, 0x12, 0x02]) + b"ab" + bytes([0x1D, 7, 0, 0, 0])
    assert list(wire.fields(data)) == [(1, 0, 300), (2, 2, b"ab"), (3, 5, 7)]
    with pytest.raises(CheckpointError, match="runs past the end"):
        list(wire.fields(bytes([0x12, 0x05]) + b"ab"))
    with pytest.raises(CheckpointError, match="truncated varint"):
        wire.varint(bytes([0x80, 0x80]), 0)
