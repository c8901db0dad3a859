"""Notes: the plain data the generators take and return, and the drum_kit class map.

Everything is on the 16th-note grid (``STEPS_PER_QUARTER`` steps per quarter note).
"""

from __future__ import annotations

from dataclasses import dataclass

STEPS_PER_QUARTER = 4
STEPS_PER_BAR = 4 * STEPS_PER_QUARTER  # 4/4, the only meter magenta's models are fed


@dataclass(frozen=True, order=True)
class Note:
    """A melody note from ``start_step`` (inclusive) to ``end_step`` (exclusive)."""

    start_step: int
    end_step: int
    pitch: int


@dataclass(frozen=True, order=True)
class DrumHit:
    """A drum hit at ``step``; ``pitch`` is a General MIDI drum pitch."""

    step: int
    pitch: int


# Magenta's drum_kit model folds GM drum pitches into nine classes (one bit each); it
# generates the first pitch of a class. Same data as note_seq's
# ``drums_encoder_decoder.DEFAULT_DRUM_TYPE_PITCHES`` (a test checks they agree).
DRUM_KIT_CLASSES: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("kick", (36, 35)),
    ("snare", (38, 27, 28, 31, 32, 33, 34, 37, 39, 40, 56, 65, 66, 75, 85)),
    ("closed_hat", (42, 44, 54, 68, 69, 70, 71, 73, 78, 80, 22)),
    ("open_hat", (46, 67, 72, 74, 79, 81, 26)),
    ("low_tom", (45, 29, 41, 43, 61, 64, 84)),
    ("mid_tom", (48, 47, 60, 63, 77, 86, 87)),
    ("high_tom", (50, 30, 62, 76, 83)),
    ("crash", (49, 52, 55, 57, 58)),
    ("ride", (51, 53, 59, 82)),
)
DRUM_KIT_CLASS_NAMES: tuple[str, ...] = tuple(name for name, _ in DRUM_KIT_CLASSES)
_CLASS_OF_PITCH = {p: i for i, (_, pitches) in enumerate(DRUM_KIT_CLASSES) for p in pitches}


def drum_kit_class(pitch: int) -> str | None:
    """The drum_kit class name of a GM drum pitch, or None if drum_kit ignores it."""
    index = _CLASS_OF_PITCH.get(pitch)
    return None if index is None else DRUM_KIT_CLASSES[index][0]


def drum_kit_pitch(name: str) -> int:
    """The GM pitch drum_kit generates for class ``name`` (the first of its pitches)."""
    for class_name, pitches in DRUM_KIT_CLASSES:
        if class_name == name:
            return pitches[0]
    raise KeyError(name)
