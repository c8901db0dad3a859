"""Modes: whose turn it is when trading (``improv.mode = "trade"``), counted in bars from
the chart's bar 1 (or, with no chart, the loop start where trading began); and when a
pianist's breath lets the machine continue (``"continue"``). Pure.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TradeTurn:
    """One turn of a trade: who plays, from which absolute step, for how many steps."""

    index: int  # 0, 1, 2...: even the pianist's, odd the machine's
    start: int
    steps: int

    @property
    def machine(self) -> bool:
        return self.index % 2 == 1

    @property
    def end(self) -> int:
        return self.start + self.steps

    def bars_left(self, step: int, steps_per_bar: int) -> int:
        """Bars left in the turn at ``step``, the bar ``step`` is in counted."""
        return -(-(self.end - step) // steps_per_bar)


def trade_turn(step: int, origin: int, bars: int, steps_per_bar: int) -> TradeTurn:
    """The turn ``step`` falls in, turns of ``bars`` bars alternating from ``origin`` (the
    pianist first; before ``origin`` the pianist's, a turn of index -2 up to it)."""
    if step < origin:
        return TradeTurn(-2, step, origin - step)
    steps = bars * steps_per_bar
    index = (step - origin) // steps
    return TradeTurn(index, origin + index * steps, steps)


def breath_over(step: int, last_melody: float | None, keys_down: int, breath: int) -> bool:
    """Continue mode: the pianist has played and let ``breath`` steps pass with no melody
    key down since the last one."""
    return last_melody is not None and keys_down == 0 and step - last_melody >= breath
