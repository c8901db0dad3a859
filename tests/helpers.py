"""Shared test helpers: reading what the backend sent; a bundle labelled ImprovRNN."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from psc_looper.osc.ports import Sent


def plays(sent: Iterable[Sent], name: str | None = None) -> list[Sent]:
    """The ``/play...`` messages, optionally of one instrument address suffix."""
    return [s for s in sent if s.address.startswith("/play") and (
        name is None or s.address == f"/play{name}")]


def unmatched_notes(sent: Iterable[Sent]) -> Counter[tuple[str, int]]:
    """Voices started and never stopped by their own stop: (instrument suffix, pitch) -> count."""
    sounding: Counter[tuple[str, int]] = Counter()
    for s in sent:
        if s.address.startswith("/play"):
            sounding[(s.address[5:], int(s.args[0]))] += 1
        elif s.address.startswith("/stop"):
            voice = (s.address[5:], int(s.args[0]))
            assert sounding[voice] > 0, f"stop without a sounding voice: {s}"
            sounding[voice] -= 1
    return +sounding


def improv_labelled_bundle(path: Path) -> Path:
    """A copy of the shipped melody bundle whose config id says chord_pitches_improv: it
    reads as an ImprovRNN bundle (``melody_model_class``), it does not load as one."""
    from psc_looper.bundles import DEFAULT_MELODY_BUNDLE
    from psc_looper.models.noteseq import import_note_seq

    import_note_seq()  # note_seq without its audio dependencies
    from note_seq.protobuf import generator_pb2

    bundle = generator_pb2.GeneratorBundle()
    bundle.ParseFromString(DEFAULT_MELODY_BUNDLE.read_bytes())
    bundle.generator_details.id = "chord_pitches_improv"
    path.write_bytes(bundle.SerializeToString())
    return path


def fake_shipped_improv(tmp_path, monkeypatch, module):
    """Make ``module``'s shipped improv bundle a file in ``tmp_path``; return its path."""
    path = tmp_path / "improv.mag"
    path.write_bytes(b"stands for the shipped ImprovRNN")
    monkeypatch.setattr(module, "DEFAULT_IMPROV_BUNDLE", path)
    return path
