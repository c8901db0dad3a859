"""Options: what the pianist can set about the call and response, with their defaults."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from psc_looper.control.knobs import exponential_from_knob
from psc_looper.harmony.chart import ChartError, parse_chart
from psc_looper.improv.hands import SplitError, parse_split

KEY_LOW, KEY_HIGH = 21, 108  # an 88-key piano: A0..C8
TEMPERATURE_MIN, TEMPERATURE_MAX = 0.25, 4.0


class Boundary(StrEnum):
    """Where the machine may take over once its line is ready."""

    BAR = "bar"  # the next bar line
    LOOP = "loop"  # the next loop start
    NONE = "none"  # at once (the original behaviour)


class Fit(StrEnum):
    """How generated pitches are fitted to the recorded chord loop."""

    OFF = "off"  # as generated
    CHORD = "chord"  # nearest tone of the chord sounding at the key's step
    SCALE = "scale"  # nearest tone of the loop's scale (plus the sounding chord's tones)


class ImprovMode(StrEnum):
    """Who plays when (``improv/modes.py``)."""

    RESPOND = "respond"  # the machine's pitches in the pianist's rhythm (call and response)
    TRADE = "trade"  # turns of ``trade_bars`` bars: the pianist's, then the machine's phrase
    CONTINUE = "continue"  # the machine continues the pianist's phrase when the pianist stops


class Overlap(StrEnum):
    """The pianist's melody during the machine's phrase."""

    YIELD = "yield"  # the machine's notes end at once, the turn goes back to the pianist
    BOTH = "both"  # both play on


class OptionsError(ValueError):
    """An improv option outside its range."""


@dataclass(frozen=True)
class ImprovOptions:
    threshold: int = 20  # pianist's notes collected before the machine answers
    max_generated: int = 20  # generated pitches kept
    max_generate_steps: int = 128  # cap on the steps asked of MelodyRNN
    temperature: float = 1.0  # start value; the track 5 knob changes it live
    boundary: Boundary = Boundary.BAR
    breath_steps: float = 2.0  # rest (no key down) before the takeover key; 0 = off
    follow_register: bool = True  # move the line by octaves to where the hands are
    register_window: int = 3  # recent pianist notes that say where the hands are
    fit: Fit = Fit.CHORD
    chord_window: float = 0.03  # seconds: keys this close to the previous form a chord
    split: str = "auto"  # the melody voice: auto (hands tracked), none, or a MIDI note
    max_leap: int = 7  # semitones: a wider leap in the machine's line moves by octaves
    changes: str = ""  # a chord chart, "Dm7 G7 | Cmaj7 |": ImprovRNN plays over it
    follower: bool = True  # each pitch chosen at its key's step (improv/follower.py)
    chord_weight: float = 2.25  # follower: chord tones of the step's chord weigh this much
    through_bars: int = 4  # a line this many bars without a breath lets the machine in (0 off)
    mode: ImprovMode = ImprovMode.RESPOND
    trade_bars: int = 4  # trade: bars in each turn
    overlap: Overlap = Overlap.YIELD
    continue_steps: int = 8  # continue: the breath (steps without a melody key) before it plays

    def __post_init__(self) -> None:
        checks = {
            "threshold": self.threshold >= 1,
            "max_generated": self.max_generated >= 1,
            "max_generate_steps": self.max_generate_steps >= 1,
            "temperature": TEMPERATURE_MIN <= self.temperature <= TEMPERATURE_MAX,
            "breath_steps": self.breath_steps >= 0,
            "register_window": self.register_window >= 1,
            "chord_window": 0 <= self.chord_window <= 0.2,
            "max_leap": 6 <= self.max_leap <= 127,
            "chord_weight": 1.0 <= self.chord_weight <= 20.0,
            "through_bars": self.through_bars >= 0,
            "trade_bars": 1 <= self.trade_bars <= 64,
            "continue_steps": 1 <= self.continue_steps <= 256,
            "mode": self.mode in tuple(ImprovMode),
            "overlap": self.overlap in tuple(Overlap),
        }
        object.__setattr__(self, "split", str(self.split))
        try:
            parse_split(self.split)
        except SplitError:
            checks["split"] = False
        if self.changes.strip():
            try:
                parse_chart(self.changes)
            except ChartError as exc:
                raise OptionsError(f"improv changes: {exc}") from None
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            raise OptionsError(f"improv options out of range: {', '.join(bad)} in {self}")
        object.__setattr__(self, "boundary", Boundary(self.boundary))
        object.__setattr__(self, "fit", Fit(self.fit))
        object.__setattr__(self, "mode", ImprovMode(self.mode))
        object.__setattr__(self, "overlap", Overlap(self.overlap))


def temperature_from_knob(value: int) -> float:
    """Knob 0..127 to a sampling temperature, exponentially: 0.25 at 0, ~1.0 at 64, 4.0 at 127."""
    return exponential_from_knob(value, TEMPERATURE_MIN, TEMPERATURE_MAX)
