"""The audit "every note-on has its note-off", over a MIDI file's tracks.

A note-on (velocity > 0) opens a voice of (track, channel, note); a note-off (or a
note-on of velocity 0) closes the oldest open one. What is still open at the end of
its track, and every note-off with nothing open, is reported. Pure function.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import mido


def unmatched_notes(path: Path | str) -> Counter[tuple[str, int]]:
    """(track name, pitch) -> note-ons never ended (positive) or note-offs with no note
    sounding (negative counts are reported as such, under the same key)."""
    problems: Counter[tuple[str, int]] = Counter()
    for index, track in enumerate(mido.MidiFile(path).tracks):
        name = track.name or f"track {index}"
        open_voices: Counter[tuple[int, int]] = Counter()
        for message in track:
            if message.type == "note_on" and message.velocity > 0:
                open_voices[(message.channel, message.note)] += 1
            elif message.type in ("note_on", "note_off"):
                voice = (message.channel, message.note)
                if open_voices[voice] > 0:
                    open_voices[voice] -= 1
                else:
                    problems[(name, message.note)] -= 1
        for (_, note), count in open_voices.items():
            if count:
                problems[(name, note)] += count
    return Counter({k: v for k, v in problems.items() if v})
