"""How often the stage view pushes state to a page: at most ``MAX_PUSHES_PER_SECOND``."""

from __future__ import annotations

MAX_PUSHES_PER_SECOND = 20.0


class Pacer:
    """One page's pushes, at least ``1 / rate`` seconds apart (the caller's clock)."""

    def __init__(self, rate: float = MAX_PUSHES_PER_SECOND) -> None:
        if rate <= 0:
            raise ValueError(f"rate {rate}: want a positive number of pushes a second")
        self.interval = 1.0 / rate
        self._next: float | None = None  # when the next push may go (None: at once)

    def wait(self, now: float) -> float:
        """Seconds until the next push may go (0: now)."""
        return 0.0 if self._next is None else max(0.0, self._next - now)

    def sent(self, now: float) -> None:
        """A push went at ``now``."""
        self._next = now + self.interval
