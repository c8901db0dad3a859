"""A song's notes as a type-1 MIDI file a DAW opens: one named track per layer or drum part.

Track 0 holds the tempo, time signature and song name; every other track is named by
the song file (``SongLayer``/``DrumPart`` entries name theirs) and holds its loop notes
from tick 0, a 16th step being ``TICKS_PER_STEP`` ticks. A note played off its step (its
feel, ``LoopNote.offset``) starts that many ticks off it, its end on the grid; a step-0
note played early starts just before the loop's end (the file has no negative ticks).
Bass on channel 2, chords on 3, drums on 10 with General MIDI pitches (as session files).
Pure: bytes in, notes out.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Mapping, Sequence

import mido

from psc_looper.drums.kit import instrument_of_pitch
from psc_looper.looper.notes import FEEL_RESOLUTION, TRACK_INSTRUMENT, LoopNote, Track
from psc_looper.looper.recording import quantize
from psc_looper.sessions.format import PART_CHANNEL, TICKS_PER_BEAT, TICKS_PER_STEP, us_per_beat
from psc_looper.songs.song import MAX_NOTES_PER_LOOP
from psc_looper.timing.meter import Meter
from psc_looper.tomlfiles import quote

assert TICKS_PER_STEP == FEEL_RESOLUTION  # a feel offset is a whole number of ticks
CHANNEL_OF_TRACK = {Track.BASS: PART_CHANNEL["bass"], Track.CHORDS: PART_CHANNEL["chords"],
                    Track.DRUMS: PART_CHANNEL["drums"]}


def notes_to_midi(name: str, qpm: float, meter: Meter,
                  tracks: Mapping[str, Sequence[LoopNote]], loop_steps: int = 0) -> bytes:
    """The MIDI file's bytes: ``tracks`` maps a track name to its loop notes (of a loop of
    ``loop_steps``: where a step-0 note played early goes)."""
    midi = mido.MidiFile(type=1, ticks_per_beat=TICKS_PER_BEAT)
    conductor = mido.MidiTrack([
        mido.MetaMessage("track_name", name=name),
        mido.MetaMessage("set_tempo", tempo=us_per_beat(qpm)),
        mido.MetaMessage("time_signature", numerator=meter.numerator,
                         denominator=meter.denominator),
    ])
    midi.tracks.append(conductor)
    for track_name, notes in tracks.items():
        events: list[tuple[int, int, mido.Message]] = []
        for n in notes:
            channel = CHANNEL_OF_TRACK.get(n.track, 0)
            onset = n.onset if n.offset >= 0 or n.onset else loop_steps
            start = onset * TICKS_PER_STEP + round(n.offset * TICKS_PER_STEP)
            end = (onset + n.duration) * TICKS_PER_STEP
            events.append((start, 1, mido.Message("note_on", channel=channel, note=n.pitch,
                                                  velocity=n.velocity)))
            events.append((end, 0, mido.Message("note_off", channel=channel, note=n.pitch)))
        track = mido.MidiTrack([mido.MetaMessage("track_name", name=track_name)])
        now = 0
        for tick, _order, message in sorted(events, key=lambda e: (e[0], e[1])):
            track.append(message.copy(time=tick - now))
            now = tick
        midi.tracks.append(track)
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def notes_from_midi(data: bytes, kinds: Mapping[str, Track],
                    loop_steps: int = 0) -> dict[str, list[LoopNote]]:
    """The loop notes of each named track in ``kinds`` (track name -> loop track), in a
    loop of ``loop_steps`` (0: unknown; a note rounding onto its end then stays there).

    Raises ``ValueError`` for a file that is not MIDI, a missing track, or a note that
    does not end on the 16th grid or is not a drum sound on the drums.
    """
    try:
        midi = mido.MidiFile(file=io.BytesIO(data))
    except (OSError, EOFError, ValueError, KeyError, IndexError) as exc:
        raise ValueError(f"not a MIDI file ({exc})") from None
    scale = TICKS_PER_BEAT / midi.ticks_per_beat if midi.ticks_per_beat else 0
    found: dict[str, list[LoopNote]] = {}
    for track in midi.tracks:
        name = next((str(m.name) for m in track if m.type == "track_name"), "")
        if name in kinds and name not in found:
            found[name] = _loop_notes(track, kinds[name], scale, name, loop_steps)
    missing = sorted(set(kinds) - set(found))
    if missing:
        raise ValueError(f"no MIDI track named {quote(missing[0])}")
    return found


def _loop_notes(track: mido.MidiTrack, kind: Track, scale: float, name: str,
                loop_steps: int) -> list[LoopNote]:
    held: dict[int, list[tuple[int, int]]] = defaultdict(list)
    notes: list[LoopNote] = []
    tick = 0
    for message in track:
        tick += message.time
        if message.type == "note_on" and message.velocity > 0:
            held[message.note].append((tick, message.velocity))
        elif message.type in ("note_on", "note_off") and held[message.note]:
            began, velocity = held[message.note].pop(0)
            notes.append(_note(kind, message.note, velocity, began * scale, tick * scale, name,
                               loop_steps))
            if len(notes) > MAX_NOTES_PER_LOOP:
                raise ValueError(f"track {quote(name)}: more than the {MAX_NOTES_PER_LOOP:,} "
                                 "notes a loop may hold")
    return sorted(notes)


def _note(kind: Track, pitch: int, velocity: int, began: float, ended: float,
          name: str, loop_steps: int) -> LoopNote:
    played, end = began / TICKS_PER_STEP, ended / TICKS_PER_STEP
    onset = quantize(played)
    if began != int(began) or end != int(end) or end <= onset:
        raise ValueError(f"track {quote(name)}: a note off the 16th grid at step {played:g}")
    offset = (int(began) - onset * TICKS_PER_STEP) / FEEL_RESOLUTION
    duration = int(end) - onset
    if loop_steps and onset >= loop_steps:
        onset -= loop_steps
    if kind is Track.DRUMS:
        instrument = instrument_of_pitch(pitch)
        if instrument is None:
            raise ValueError(f"track {quote(name)}: pitch {pitch} is not a drum sound")
    else:
        instrument = TRACK_INSTRUMENT[kind]
    return LoopNote(onset, kind, instrument, pitch, velocity, duration, offset)
