"""The sustain pedal: keys released while it is down keep sounding until it lifts.

``Sustain`` remembers, per key, what each press released under the pedal still
sounds. Striking such a key again ends its sustained voices first (a clean restart,
never a doubled voice); lifting the pedal ends them all. The Looper owns it under its
lock and sends the note-offs; takes end the sustained notes where the sound ends, so
a take records sustained durations. Not locked: pure bookkeeping.
"""

from __future__ import annotations

from psc_looper.looper.voices import KeyId, Voice


class Sustain:
    def __init__(self) -> None:
        self.down = False
        self._kept: dict[KeyId, list[list[Voice]]] = {}  # key -> its sustained presses

    def press(self) -> None:
        self.down = True

    def keep(self, key: KeyId, voices: list[Voice]) -> bool:
        """A key released: True if the pedal keeps what it sounded (the caller sends no
        note-off now); False when the pedal is up."""
        if not self.down:
            return False
        self._kept.setdefault(key, []).append(voices)
        return True

    def restrike(self, key: KeyId) -> list[list[Voice]]:
        """The key is struck again: its sustained presses, to end before it sounds anew."""
        return self._kept.pop(key, [])

    def lift(self) -> dict[KeyId, list[list[Voice]]]:
        """The pedal lifts: every sustained press, to end now."""
        self.down = False
        kept, self._kept = self._kept, {}
        return kept

    def clear(self) -> None:
        """Panic: the voices are released elsewhere; forget them (the pedal stays as it is)."""
        self._kept.clear()

    def sustained(self) -> int:
        return sum(len(voices) for presses in self._kept.values() for voices in presses)
