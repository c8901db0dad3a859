"""A foreign MIDI file (not a psc-looper session) read as a pianist's performance.

Which channels are the piano: ``--channels`` when given; otherwise every channel with
notes except channel 10 (General MIDI drums, left out: the looper has its own drums),
narrowed to the channels that choose a GM piano program (0-7) when some do and others
choose other instruments. The sustain pedal (CC64) of the piano channels is kept, as
the keyboard's pedal; everything else that is not a note is counted and named in the
file's notices, as are tempo and meter changes (the notes keep their times, the loop
keeps the first tempo and meter). Pure functions over mido messages.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from typing import Any

from psc_looper.osc.protocol import CC_EVENT, NOTE_OFF, NOTE_ON
from psc_looper.sessions.format import TempoMap, qpm_of

FOREIGN_SOURCE = "keyboard"
DRUM_CHANNEL = 9  # MIDI channel 10
SUSTAIN_CC = 64
PIANO_PROGRAMS = range(0, 8)  # General MIDI: acoustic grand .. clavinet

Timed = list[tuple[int, Any]]  # (absolute tick, mido message)


class ChannelError(ValueError):
    """A ``--channels`` value that is not a list of MIDI channels 1..16."""


def parse_channels(text: str | None) -> frozenset[int] | None:
    """``"1,2"`` (MIDI's 1-based numbers) to 0-based channels; None keeps the default."""
    if text is None:
        return None
    try:
        channels = frozenset(int(part) - 1 for part in text.split(",") if part.strip())
    except ValueError:
        raise ChannelError(f"--channels wants MIDI channels 1..16 like 1,2, not {text!r}") from None
    if not channels or not all(0 <= c <= 15 for c in channels):
        raise ChannelError(f"--channels wants MIDI channels 1..16 like 1,2, not {text!r}")
    return channels


def piano_channels(tracks: Iterable[Timed], wanted: frozenset[int] | None
                   ) -> tuple[frozenset[int], list[str]]:
    """The channels played as keys, and a notice for each channel with notes left out."""
    noted: Counter[int] = Counter()
    programs: dict[int, int] = {}
    for track in tracks:
        for _, m in track:
            if m.type == "note_on" and m.velocity > 0:
                noted[m.channel] += 1
            elif m.type == "program_change":
                programs.setdefault(m.channel, m.program)
    if wanted is not None:
        chosen = frozenset(wanted)
        why = "not in --channels"
    else:
        chosen = frozenset(c for c in noted if c != DRUM_CHANNEL)
        pianos = frozenset(c for c in chosen if programs.get(c) in PIANO_PROGRAMS)
        if pianos and pianos != chosen:
            chosen = pianos
        why = "not a piano program (--channels to choose)"
    notices = []
    for channel in sorted(set(noted) - chosen):
        reason = ("drums (channel 10): left out, the looper plays its own"
                  if channel == DRUM_CHANNEL and wanted is None else why)
        program = f", program {programs[channel]}" if channel in programs else ""
        notices.append(f"channel {channel + 1}{program}: {noted[channel]} notes left out, "
                       f"{reason}")
    return chosen, notices


def foreign_inputs(track: Timed, tempo: TempoMap, channels: frozenset[int], index: int,
                   ignored: Counter[str]) -> list[tuple[int, int, int, Any]]:
    """The track's keyboard input (notes and sustain pedal on ``channels``), as
    ``(tick, track, order, (time, address, args))``; counts what it leaves out."""
    out = []
    for order, (tick, m) in enumerate(track):
        if m.is_meta:
            continue
        if getattr(m, "channel", None) not in channels:
            if m.type not in ("note_on", "note_off", "program_change"):
                ignored["events on channels left out"] += 1
            continue
        if m.type in ("note_on", "note_off"):
            address = NOTE_ON if m.type == "note_on" else NOTE_OFF
            args = (m.note, m.velocity, m.channel, FOREIGN_SOURCE)
        elif m.type == "control_change" and m.control == SUSTAIN_CC:
            address, args = CC_EVENT, (m.control, m.value, m.channel, FOREIGN_SOURCE)
        else:
            if m.type != "program_change":  # used to choose the channels
                ignored[_kind(m)] += 1
            continue
        out.append((tick, index, order, (tempo.time_of(tick), address, args)))
    return out


def ignored_notices(ignored: Counter[str]) -> list[str]:
    return [f"{kind}: {count} ignored" for kind, count in sorted(ignored.items())]


def change_notices(tempo: TempoMap, meters: list[tuple[int, str]]) -> list[str]:
    """One notice for tempo changes, one for meter changes (the loop keeps the first)."""
    notices = []
    qpms = [qpm_of(s.us_per_beat) for s in tempo.segments]
    if len(qpms) > 1:
        notices.append(f"tempo changes: {len(qpms) - 1} ({qpms[0]:g} to {min(qpms):g}.."
                       f"{max(qpms):g} qpm): the notes keep their times, the loop keeps "
                       f"{qpms[0]:g} qpm")
    names = [name for _, name in sorted(meters)]
    changes = sum(1 for a, b in itertools.pairwise(names) if a != b)
    if changes:
        notices.append(f"meter changes: {changes} ({' -> '.join(dict.fromkeys(names))}): "
                       f"the loop keeps {names[0]}")
    return notices


def _kind(message: Any) -> str:
    if message.type == "control_change":
        return f"controller CC {message.control} (only the sustain pedal, CC 64, is played)"
    if message.type == "pitchwheel":
        return "pitch bends (the keys have none)"
    return f"{message.type} messages"
