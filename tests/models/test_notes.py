"""The drum_kit class map agrees with note_seq's, and the note data model."""

from __future__ import annotations

import dataclasses

import pytest

from psc_looper.models import (
    DRUM_KIT_CLASS_NAMES,
    DRUM_KIT_CLASSES,
    Note,
    drum_kit_class,
    drum_kit_pitch,
    ensure_magenta,
)


@pytest.mark.slow
def test_drum_kit_classes_match_note_seq() -> None:
    ensure_magenta()
    from note_seq import drums_encoder_decoder

    expected = drums_encoder_decoder.DEFAULT_DRUM_TYPE_PITCHES
    assert [list(pitches) for _, pitches in DRUM_KIT_CLASSES] == expected


def test_nine_distinct_classes_with_disjoint_pitches() -> None:
    assert DRUM_KIT_CLASS_NAMES == (
        "kick", "snare", "closed_hat", "open_hat",
        "low_tom", "mid_tom", "high_tom", "crash", "ride",
    )  # fmt: skip
    pitches = [p for _, group in DRUM_KIT_CLASSES for p in group]
    assert len(pitches) == len(set(pitches))


def test_class_lookups() -> None:
    assert drum_kit_class(36) == drum_kit_class(35) == "kick"
    assert drum_kit_class(51) == "ride"
    assert drum_kit_class(100) is None
    assert [drum_kit_pitch(n) for n in DRUM_KIT_CLASS_NAMES] == [36, 38, 42, 46, 45, 48, 50, 49, 51]
    with pytest.raises(KeyError):
        drum_kit_pitch("cowbell")


def test_notes_are_frozen_and_ordered() -> None:
    note = Note(0, 2, 60)
    with pytest.raises(dataclasses.FrozenInstanceError):
        note.pitch = 61  # type: ignore[misc]
    assert sorted([Note(4, 5, 60), Note(0, 2, 62)])[0] == Note(0, 2, 62)
