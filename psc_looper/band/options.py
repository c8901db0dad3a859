"""Band options: the ``[band]`` table of the performer config (off by default)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from psc_looper.band.drummer import STYLES
from psc_looper.band.learned import KINDS, check_bass_line
from psc_looper.harmony.chart import parse_chart


def check_chart(text: str) -> None:
    """A chart the band can play: it parses (``ChartError``, a ValueError, names the bad
    symbol) and has a chord to walk (not only N.C.)."""
    chart = parse_chart(text)
    if all(chord is None for bar in chart.bars for chord in bar):
        raise ValueError(f"chart {text.strip()!r} has no chord for the band to walk (only N.C.)")


@dataclass(frozen=True)
class BandOptions:
    """``on``: the band plays from the start; ``style``: one of ``drummer.STYLES``
    (``two`` and ``ballad`` walk the bass in two); ``chart``: the chart it plays when the
    improv feature shows none; ``bass``/``drums``: which of the two play;
    ``bass_volume``/``drums_volume`` (0..1) scale what they play (the track volume and
    mute are the mixer's, as for every track); ``bass_line``: who walks the bass, one of
    ``learned.KINDS`` (the rule walker, or the learned bass fitted to the chart or free)."""

    on: bool = False
    style: str = "swing"
    chart: str = ""
    bass: bool = True
    drums: bool = True
    bass_volume: float = 1.0
    drums_volume: float = 1.0
    bass_line: str = "walker"

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ValueError(f"style must be one of {', '.join(STYLES)}")
        if self.bass_line not in KINDS:
            raise ValueError(f"bass_line must be one of {', '.join(map(repr, KINDS))}")
        check_bass_line(self.bass_line)
        for name in ("bass_volume", "drums_volume"):
            volume = getattr(self, name)
            if isinstance(volume, bool) or not isinstance(volume, int | float) \
                    or not 0 <= volume <= 1:
                raise ValueError(f"{name} must be 0..1, not {volume!r}")
        if self.chart.strip():
            check_chart(self.chart)

    def table(self) -> dict[str, Any]:
        """The options as a song's ``[band]`` table: every field, but ``bass_line`` only
        when not the walker (a song saved before it existed reads back the same)."""
        table = asdict(self)
        if self.bass_line == "walker":
            del table["bass_line"]
        return table
