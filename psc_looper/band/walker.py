"""Walker: a rule-based walking bass over a chord per beat.

What a bassist does, as rules: the root where the chord changes; a chord tone on the
strong beats (1, and 3 in 4/4); on the beat before a target a chromatic (half step) or
scale (whole step) approach into it, or a chord tone; now and then an octave skip. In
the two-feel, half notes on 1 and 3 (root, then fifth or an approach). Every note is in
the bass register E1..G3, in the octave nearest a point 0.4 of the way from the last
note to F#2 (the WJazzD lines' median), so the line does not drift to an edge; one out
of G1..B2 for a bar is pulled back: nearest F#2, no skips, an octave in if a rule puts
it out. Pure: the same chords and seed give the same line.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from psc_looper.harmony.chords import Chord

LOW, HIGH = 28, 55  # E1..G3
REGISTER = (31, 47)  # G1..B2: where a line may stay; out of it for a bar, it is pulled back
CENTRE = 42  # F#2 (the WJazzD lines' median): where a line is pulled toward
PULL = 0.4  # each note placed near the last one moved this much toward CENTRE
_CORE = {1: 0, 3: 4, 5: 7, 6: 9, 7: 11}  # semitones of the chord's core degrees
_FILL = (2, 5, 9)  # scale steps a passing note may use besides the chord tones


@dataclass(frozen=True)
class BassNote:
    beat: int  # from the start of the chords given
    pitch: int
    beats: int = 1  # length in beats


def chord_tones(chord: Chord) -> list[int]:
    """The chord's root, fifth, third, seventh (sixth) as pitch classes, root first."""
    degrees = dict(chord.degrees)
    order = [d for d in (1, 5, 3, 7, 6) if d in degrees]
    return [(chord.root + _CORE[d] + degrees[d]) % 12 for d in order]


def scale_of(chord: Chord) -> set[int]:
    """Pitch classes a passing note may use: the chord's, plus its 2nd, 4th and 6th."""
    tones = set(chord.pitch_classes)
    return tones | {(chord.root + s) % 12 for s in _FILL if (chord.root + s - 1) % 12 not in tones
                    and (chord.root + s + 1) % 12 not in tones}


def place(pitch_class: int, near: int) -> int:
    """``pitch_class`` in the bass register, nearest to ``near``."""
    best = min(range(LOW, HIGH + 1), key=lambda p: (p % 12 != pitch_class, abs(p - near)))
    return best


class Walker:
    """Walks through a chord per beat; ``two_feel`` plays half notes on 1 and 3."""

    def __init__(self, beats_per_bar: int = 4, two_feel: bool = False, seed: int = 0,
                 skips: float = 0.08) -> None:
        self.beats_per_bar = beats_per_bar
        self.two_feel = two_feel
        self.skips = skips
        self.rng = random.Random(seed)
        self.last = 36  # C2: where the first line starts from
        self._aim: int | None = None  # the strong beat's note an approach leads into
        self._outside: int | None = None  # beats out of REGISTER in a row (None: unknown)

    def walk(self, chords: Sequence[Chord | None], following: Chord | None = None,
             before: Chord | None = None) -> list[BassNote]:
        """Notes for ``chords`` (one per beat from a bar line); ``following`` is the chord
        after them (for the last approach), ``before`` the one before (None: the first
        beat is a change). No note where the chord is None (N.C.)."""
        notes: list[BassNote] = []
        for beat, chord in enumerate(chords):
            if chord is None:
                continue
            previous = chords[beat - 1] if beat else before
            upcoming = chords[beat + 1] if beat + 1 < len(chords) else following
            changes_next = upcoming is not None and upcoming != chord
            in_bar = beat % self.beats_per_bar
            if self.two_feel and not self._two_feel_beat(in_bar, chord != previous):
                continue
            pitch = self._pitch(chord, upcoming, chord != previous, in_bar, changes_next)
            self.last = pitch
            notes.append(BassNote(beat, pitch, self._length(beat, chords)))
            inside = REGISTER[0] <= pitch <= REGISTER[1]
            self._outside = 0 if inside else (self._outside or 0) + notes[-1].beats
        return notes

    @property
    def pulled(self) -> bool:
        """Out of ``REGISTER`` for a bar (or from before this walker: ``last`` set)."""
        if self._outside is None:
            return not REGISTER[0] <= self.last <= REGISTER[1]
        return self._outside >= self.beats_per_bar

    def _near(self) -> int:
        """Where the next note is placed near: the last note, or pulled, the centre."""
        return CENTRE if self.pulled else round(self.last + PULL * (CENTRE - self.last))

    def _two_feel_beat(self, in_bar: int, change: bool) -> bool:
        return change or in_bar in (0, 2) or (in_bar == 3 and self.beats_per_bar == 3)

    def _length(self, beat: int, chords: Sequence[Chord | None]) -> int:
        if not self.two_feel:
            return 1
        length = 1
        while (beat + length < len(chords) and length < 2
               and (beat + length) % self.beats_per_bar not in (0, 2)
               and chords[beat + length] == chords[beat]):
            length += 1
        return length

    def _pitch(self, chord: Chord, upcoming: Chord | None, change: bool, in_bar: int,
               changes_next: bool) -> int:
        pitch = self._ruled(chord, upcoming, change, in_bar, changes_next)
        if self.pulled and not REGISTER[0] <= pitch <= REGISTER[1]:
            pitch += 12 if pitch < CENTRE else -12  # pulled: back in, whatever the rule
        return pitch

    def _ruled(self, chord: Chord, upcoming: Chord | None, change: bool, in_bar: int,
               changes_next: bool) -> int:
        tones = chord_tones(chord)
        aim, self._aim = self._aim, None
        if change:
            return place(tones[0], self._near())
        strong = in_bar == 0 or (self.beats_per_bar == 4 and in_bar == 2)
        if aim is not None and strong:
            return aim  # the chord tone the last note approached
        next_strong = (in_bar + 1) % self.beats_per_bar in (0, 2 if self.beats_per_bar == 4
                                                            else 0)
        if upcoming is not None and changes_next:
            return self._approach(place(upcoming.root, self._near()), chord, fifth_of=upcoming)
        if upcoming is not None and next_strong and not strong and self.rng.random() < 0.55:
            self._aim = self._chord_tone(tones, prefer_root=(in_bar + 1) % self.beats_per_bar == 0)
            return self._approach(self._aim, chord)
        return self._chord_tone(tones, prefer_root=in_bar == 0)

    def _chord_tone(self, tones: list[int], prefer_root: bool) -> int:
        """A chord tone near the last note (not the same pitch); sometimes an octave skip."""
        candidates = [tones[0]] if prefer_root and self.rng.random() < 0.5 else tones[:4]
        options = sorted({place(pc, self._near()) for pc in candidates} - {self.last}
                         or {self.last + (12 if self.last + 12 <= HIGH else -12)})
        pitch = self.rng.choice(options)
        if self.rng.random() < self.skips and not self.pulled:
            skipped = pitch + (12 if pitch + 12 <= HIGH and pitch < self.last else -12)
            pitch = skipped if LOW <= skipped <= HIGH else pitch
        return pitch

    def _approach(self, root: int, current: Chord, fifth_of: Chord | None = None) -> int:
        """Into ``root`` (a pitch): a half step or a scale step from the side we come
        from, or (into a chord change, ``fifth_of``) its fifth: a dominant approach."""
        roll = self.rng.random()
        side = -1 if self.last < root else 1
        if roll < 0.55 or (fifth_of is None and roll >= 0.85):
            pitch = root + side
        elif roll < 0.85 or fifth_of is None:
            step = next((s for s in (2, 1) if (root + side * s) % 12 in scale_of(current)), 2)
            pitch = root + side * step
        else:
            pitch = place((fifth_of.root + 7) % 12, self._near())
        if pitch == self.last or not LOW <= pitch <= HIGH:
            pitch = root - side if LOW <= root - side <= HIGH else root + side
        return pitch
