"""Unusable bundles fail at load with a BundleError that names the file and the fault."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from psc_looper.models import BundleError, DrumsModel, MelodyModel, ensure_magenta

pytestmark = pytest.mark.slow


def _bundle_proto(path: Path):
    ensure_magenta()
    from note_seq.protobuf import generator_pb2

    bundle = generator_pb2.GeneratorBundle()
    bundle.ParseFromString(path.read_bytes())
    return bundle


def _rewrite(source: Path, target: Path, change: Callable) -> Path:
    bundle = _bundle_proto(source)
    change(bundle)
    target.write_bytes(bundle.SerializeToString())
    return target


def _damage_checkpoint(bundle) -> None:
    data = bytearray(bundle.checkpoint_file[0])
    start = len(data) // 4
    data[start : start + 64] = bytes(b ^ 0xFF for b in data[start : start + 64])
    bundle.checkpoint_file[0] = bytes(data)


def _expect(model: type, path: Path, fault: str) -> None:
    with pytest.raises(BundleError) as caught:
        model.load(path)
    assert str(path) in str(caught.value)
    assert fault in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    _expect(MelodyModel, tmp_path / "nowhere.mag", "no such bundle file")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.mag"
    path.write_bytes(b"")
    _expect(MelodyModel, path, "empty file")


def test_garbage_file(tmp_path: Path) -> None:
    path = tmp_path / "garbage.mag"
    path.write_bytes(bytes(range(256)) * 8)
    _expect(DrumsModel, path, "not a magenta bundle")


def test_truncated_bundle(melody_bundle: Path, tmp_path: Path) -> None:
    data = melody_bundle.read_bytes()
    path = tmp_path / "truncated.mag"
    path.write_bytes(data[: len(data) // 2])
    _expect(MelodyModel, path, "corrupt or truncated")


def test_damaged_checkpoint(melody_bundle: Path, tmp_path: Path) -> None:
    path = _rewrite(melody_bundle, tmp_path / "damaged.mag", _damage_checkpoint)
    _expect(MelodyModel, path, "cannot restore the model")


def test_missing_metagraph(drums_bundle: Path, tmp_path: Path) -> None:
    path = _rewrite(drums_bundle, tmp_path / "nometa.mag", lambda b: b.ClearField("metagraph_file"))
    _expect(DrumsModel, path, "no checkpoint or no metagraph")


def test_drums_bundle_given_as_melody(drums_bundle: Path) -> None:
    _expect(MelodyModel, drums_bundle, "'drum_kit' is a drums_rnn bundle, not melody_rnn")


def test_melody_bundle_given_as_drums(melody_bundle: Path) -> None:
    _expect(DrumsModel, melody_bundle, "'attention_rnn' is a melody_rnn bundle, not drums_rnn")


def test_unknown_config_id(melody_bundle: Path, tmp_path: Path) -> None:
    def rename(bundle) -> None:
        bundle.generator_details.id = "performance_with_dynamics"

    path = _rewrite(melody_bundle, tmp_path / "unknown.mag", rename)
    _expect(MelodyModel, path, "'performance_with_dynamics' is an unknown config")


def test_a_valid_bundle_loads(melody_bundle: Path) -> None:
    model = MelodyModel.load(melody_bundle)
    try:
        assert model.config_id == "attention_rnn"
        assert model.path == melody_bundle
    finally:
        model.close()
