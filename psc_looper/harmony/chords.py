"""Chords: one chord symbol parsed into root, scale degrees and bass.

Two syntaxes are read:

- the Weimar Jazz Database's: ``C-7`` (minor), ``Cj7`` (major seventh), ``Co7``,
  ``Cm7b5``, ``C+``, ``Csus7``, stacked tensions with the accidental *after* the
  number (``C79b``, ``C7911#``, ``C79b13``), ``C7alt``, ``C69``, ``NC``;
- the usual lead-sheet one: ``Cm7``, ``Cmaj7``, ``CΔ``, ``Cdim7``, ``Cø``, ``C7b9#11``,
  ``C13``, ``Cadd9``, ``C6/9``, ``Cmi7``, ``N.C.``.

Either may end in a slash bass (``/E``). A chord is a set of scale degrees with
alterations, as note-seq models it; :meth:`Chord.figure` writes it in a form that
note-seq's chord parser takes (for magenta's chord encoders), :meth:`Chord.name` in
the usual lead-sheet spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from psc_looper.tomlfiles import quote

NO_CHORD_SYMBOLS = frozenset({"NC", "N.C.", "N.C", "NC.", "X"})
NOTE_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")
_LETTER = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_OFFSET = {1: 0, 2: 2, 3: 4, 4: 5, 5: 7, 6: 9, 7: 11, 9: 2, 11: 5, 13: 9}
_ACCIDENTAL = {"": 0, "b": -1, "#": 1}
_ROOT = re.compile(r"([A-G])([#b]?)")
# The seventh degree's alteration to a chord-kind suffix (None: no seventh).
_SEVENTHS: dict[int | None, str] = {0: "maj7", -1: "7"}
_DIMINISHED_SEVENTHS: dict[int | None, str] = {-1: "m7b5", -2: "dim7"}

# Qualities at the start of the symbol (longest first): the triad (and seventh) they make.
_MAJOR = {1: 0, 3: 0, 5: 0}
_MINOR = {1: 0, 3: -1, 5: 0}
_QUALITIES: tuple[tuple[tuple[str, ...], dict[int, int]], ...] = (
    (("m7b5", "-7b5", "mi7b5", "min7b5", "ø7", "ø", "/o7", "/o"), {1: 0, 3: -1, 5: -1, 7: -1}),
    (("dim7", "o7", "°7"), {1: 0, 3: -1, 5: -1, 7: -2}),
    (("dim", "o", "°"), {1: 0, 3: -1, 5: -1}),
    (("aug", "+"), {1: 0, 3: 0, 5: 1}),
    (("min", "mi", "-", "m"), _MINOR),
)
_MAJ_SEVENTH = ("maj", "Maj", "ma", "j", "M", "Δ", "^")
# Tensions: WJazzD puts the accidental after the number, lead sheets before it.
_WJAZZD_NUMBER = re.compile(r"(13|11|[245679])([b#]?)")
_SHEET_NUMBER = re.compile(r"([b#]?)(13|11|[245679])")
_WJAZZD_STYLE = re.compile(r"^[a-zA-Z+\-]*[67](?:9|11|13)|[b#]$|(?<!ma)j")


class ChordError(ValueError):
    """A chord symbol that is not understood; the message names it."""


@dataclass(frozen=True)
class Chord:
    """A chord: root pitch class, scale degrees {degree: alteration}, optional bass."""

    root: int
    degrees: tuple[tuple[int, int], ...]  # sorted (degree, alteration) pairs
    bass: int | None = None
    symbol: str = ""

    @property
    def pitch_classes(self) -> frozenset[int]:
        """The chord's pitch classes (0 = C), without the slash bass."""
        return frozenset((self.root + _OFFSET[d] + a) % 12 for d, a in self.degrees)

    def transpose(self, semitones: int) -> Chord:
        bass = None if self.bass is None else (self.bass + semitones) % 12
        return Chord((self.root + semitones) % 12, self.degrees, bass, self.symbol)

    def figure(self) -> str:
        """The chord as note-seq's chord parser reads it (a power chord plus additions:
        unambiguous, and transposable by note-seq)."""
        degrees = dict(self.degrees)
        mods = []
        if 5 not in degrees:
            mods.append("(no5)")
        elif degrees[5]:
            mods.append(f"({_acc(degrees[5])}5)")
        for degree in sorted(d for d in degrees if d not in (1, 5)):
            alter = degrees[degree] + (1 if degree == 7 else 0)  # note-seq's add7 is b7
            mods.append(f"(add{_acc(alter, double=True)}{degree})")
        bass = "" if self.bass is None else f"/{NOTE_NAMES[self.bass]}"
        return f"{NOTE_NAMES[self.root]}5{''.join(mods)}{bass}"

    def name(self) -> str:
        """A lead-sheet name, e.g. ``Dm7``, ``G7(b9,13)``, ``Cmaj7``, ``F#m7b5/C``."""
        d = dict(self.degrees)
        third, fifth, seventh = d.get(3), d.get(5), d.get(7)
        sixth = "6" if 6 in d else ""
        if third == -1 and fifth == -1:
            kind = _DIMINISHED_SEVENTHS.get(seventh, "dim")
        elif third == -1:
            kind = "m" + _SEVENTHS.get(seventh, sixth)
        else:
            kind = ("+" if fifth == 1 else "") + _SEVENTHS.get(seventh, sixth)
            if 3 not in d:
                kind += "sus4" if 4 in d else "sus2" if 2 in d else ""
        tensions = [f"{_acc(a)}{n}" for n, a in sorted(d.items()) if n in (9, 11, 13)]
        if d.get(2) == 1 and 3 in d:
            tensions.append("#9")
        listed = f"({','.join(tensions)})" if tensions else ""
        if listed and seventh is None and not sixth:
            listed = f"add{listed[1:-1]}" if len(tensions) == 1 else listed
        bass = "" if self.bass is None else f"/{NOTE_NAMES[self.bass]}"
        return f"{NOTE_NAMES[self.root]}{kind}{listed}{bass}"


def _acc(alter: int, double: bool = False) -> str:
    if alter < 0:
        return "b" * (-alter if double else 1)
    return "#" * alter


def _pitch_class(text: str) -> int | None:
    match = _ROOT.fullmatch(text)
    return None if match is None else _root_of(match)


def _root_of(match: re.Match[str]) -> int:
    return (_LETTER[match.group(1)] + _ACCIDENTAL[match.group(2)]) % 12


def _split_bass(body: str) -> tuple[str, str | None]:
    head, slash, tail = body.rpartition("/")
    if not slash or not tail or tail[0].isdigit() or tail[0] == "o":
        return body, None  # "6/9", "/o7": not a bass
    return head, tail


def _quality(body: str) -> tuple[dict[int, int], str]:
    for spellings, degrees in _QUALITIES:
        for spelling in spellings:
            if body.startswith(spelling) and not (
                spelling in ("m", "M") and body.startswith(("maj", "Maj", "ma"))
            ):
                return dict(degrees), body[len(spelling):]
    return dict(_MAJOR), body


def _seventh(degrees: dict[int, int]) -> int:
    """The alteration a plain ``7`` means in this chord (diminished: bb7)."""
    return -2 if degrees.get(3) == -1 and degrees.get(5) == -1 and 7 not in degrees else -1


def _apply_tensions(degrees: dict[int, int], rest: str, symbol: str) -> None:
    """Read the tensions, sevenths and suspensions in ``rest`` into ``degrees``."""
    wjazzd = bool(_WJAZZD_STYLE.search(rest))
    number = _WJAZZD_NUMBER if wjazzd else _SHEET_NUMBER
    major_seventh = False
    text = rest.replace("(", "").replace(")", "").replace(",", "").replace(" ", "")
    text = text.replace("6/9", "69")
    while text:
        if text.startswith("alt"):
            degrees.pop(5, None)  # altered dominant: b9, #9 (kept as #2), #11, b13
            degrees.update({7: -1, 9: -1, 2: 1, 11: 1, 13: -1})
            text = text[3:]
            continue
        maj = next((m for m in _MAJ_SEVENTH if text.startswith(m)), None)
        if maj is not None:
            text = text[len(maj):]
            if not text and maj in ("maj", "Maj", "ma", "M"):
                continue  # "Cmaj": the major triad
            major_seventh = True
            if text.startswith("7"):
                text = text[1:]
            degrees[7] = 0
            continue
        if text.startswith("sus"):
            text = text[3:]
            degrees.pop(3, None)
            if text.startswith(("2", "4")):
                degrees[int(text[0])] = 0
                text = text[1:]
            else:
                degrees[4] = 0
            continue
        if text.startswith(("add", "no")):
            kind = "add" if text.startswith("add") else "no"
            match = _SHEET_NUMBER.match(text, len(kind))
            if not match:
                raise ChordError(f"unknown chord symbol {quote(symbol)}")
            acc, degree = _ACCIDENTAL[match.group(1)], int(match.group(2))
            if kind == "add":
                degrees[degree] = acc
            else:
                degrees.pop(degree, None)
            text = text[match.end():]
            continue
        match = number.match(text)
        if not match:
            raise ChordError(f"unknown chord symbol {quote(symbol)}")
        acc_text, digits = (match.group(2), match.group(1)) if wjazzd else match.groups()
        degree, acc = int(digits), _ACCIDENTAL[acc_text]
        text = text[match.end():]
        if degree == 7:
            if acc:
                raise ChordError(f"unknown chord symbol {quote(symbol)} (an altered 7th)")
            degrees[7] = 0 if major_seventh else _seventh(degrees)
        elif degree == 5:
            if acc:
                degrees[5] = acc
            else:
                degrees.pop(3, None)  # "C5": a power chord
        elif degree in (9, 11, 13) and 7 not in degrees and 6 not in degrees and not wjazzd:
            degrees[7] = _seventh(degrees)  # "C9", "Cm11", "C13": the seventh is implied
            if degree in (11, 13) and not acc:
                degrees[9] = 0
            degrees[degree] = acc
        else:
            degrees[degree] = acc


def parse_chord(symbol: str) -> Chord | None:
    """The chord ``symbol`` names; None for no chord (``NC``, ``N.C.``).

    Raises ChordError naming the symbol if it is not understood.
    """
    text = symbol.strip()
    if text in NO_CHORD_SYMBOLS:
        return None
    match = _ROOT.match(text)
    if not match:
        raise ChordError(f"unknown chord symbol {quote(symbol)}")
    root = _root_of(match)
    body, bass_text = _split_bass(text[match.end():])
    bass = None
    if bass_text is not None:
        bass = _pitch_class(bass_text)
        if bass is None:
            raise ChordError(f"unknown chord symbol {quote(symbol)} (bass {quote(bass_text)})")
    degrees, rest = _quality(body)
    _apply_tensions(degrees, rest, symbol)
    return Chord(root, tuple(sorted(degrees.items())), bass, text)


_FIGURE = re.compile(r"([A-G][b#]?)5((?:\([^)]*\))*)(?:/([A-G][b#]?))?")
_FIGURE_MOD = re.compile(r"\((no5|([b#]?)5|add(b{0,2}|#{0,2})(\d+))\)")


def chord_from_figure(figure: str) -> Chord | None:
    """The chord :meth:`Chord.figure` wrote (None for ``N.C.``): its inverse.

    Raises ChordError naming the figure if it is not one of ours."""
    if figure.strip() in NO_CHORD_SYMBOLS:
        return None
    match = _FIGURE.fullmatch(figure.strip())
    mods = _FIGURE_MOD.findall(match.group(2)) if match else []
    if not match or "".join(f"({m[0]})" for m in mods) != match.group(2):
        raise ChordError(f"unknown chord figure {quote(figure)}")
    degrees = {1: 0, 5: 0}
    for whole, fifth, accidental, number in mods:
        if whole == "no5":
            del degrees[5]
        elif not number:
            degrees[5] = _ACCIDENTAL[fifth]
        else:
            alter = accidental.count("#") - accidental.count("b")
            degrees[int(number)] = alter - (1 if int(number) == 7 else 0)
    bass = None if match.group(3) is None else _pitch_class(match.group(3))
    return Chord(_pitch_class(match.group(1)) or 0, tuple(sorted(degrees.items())), bass)
