"""Build the two-handed test material from the Weimar Jazz Database (``data/wjazzd/``).

Each file is 16 bars of a real jazz solo turned into a pianist's two-handed
performance: the solo line in the right hand (moved by octaves into the piano's
right-hand register, its own human timing kept), and in the left hand rootless
voicings of the solo's annotated chords on a Charleston comping rhythm and a
walking bass from the annotated bass pitches (or the chord roots), a sustain pedal
changed with the chords, human timing jitter and velocities (seeded). The files
vary as real recordings do: type 0 on one channel (a keyboard recording), type 1
with the hands on two tracks and a drum track on channel 10, and type 1 with the
tempo map following the performance (a tempo change every 4 bars).

Beside each ``NAME.mid`` goes ``NAME.hands.json``: for each key press, its time
(ms), pitch and hand (``melody``, ``voicing``, ``bass``), the ground truth the
benchmark (``python -m bench pianist``) measures against.

    python material/make_material.py [--data data/wjazzd] [--out material]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import itertools
import json
import random
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import mido

from psc_looper.harmony.chords import ChordError, parse_chord

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data" / "wjazzd"
BARS = 16
TICKS = 480
SEED = 11
# melid: (name, variant); variants: "type0", "drums", "tempo"
SOLOS = {
    21: ("blackbird", "type0"),  # Ben Webster, Bye Bye Blackbird, 141 qpm, tenor
    71: ("just-friends", "drums"),  # Chet Baker, Just Friends, 190 qpm, trumpet
    8: ("wonderful-world", "tempo"),  # Benny Carter, It's a Wonderful World, 124 qpm, alto
    102: ("blue-train", "type0"),  # Curtis Fuller, Blue Train, 132 qpm, trombone
    328: ("all-the-things", "drums"),  # Milt Jackson, All the Things You Are, 167 qpm, vibes
    365: ("oleo", "tempo"),  # Red Garland, Oleo, 265 qpm, piano
    5: ("stardust", "type0"),  # Art Pepper, Stardust, 61 qpm ballad, alto
}
VOICINGS = {  # rootless voicings, intervals above the root
    "major": (4, 7, 11, 14), "six": (4, 7, 9, 14), "minor": (3, 7, 10, 14),
    "dominant": (4, 9, 10, 14), "half": (3, 6, 10, 12), "diminished": (3, 6, 9, 12),
    "sus": (5, 7, 10, 14), "augmented": (4, 8, 10, 14),
}


@dataclass(frozen=True)
class Key:
    """One key press of the performance: seconds, MIDI pitch, velocity, hand."""

    on: float
    off: float
    pitch: int
    velocity: int
    hand: str  # melody, voicing or bass


@dataclass(frozen=True)
class Beat:
    onset: float
    bar: int
    beat: int
    chord: str
    bass: int | None


def read_table(data: Path, name: str) -> list[dict[str, str]]:
    with gzip.open(data / name, "rt", newline="") as handle:
        return list(csv.DictReader(handle))


def chord_tones(symbol: str) -> tuple[int, tuple[int, ...]] | None:
    """Root pitch class and rootless voicing intervals of a chord symbol, parsed by
    ``psc_looper.harmony`` (None: no chord, or one it does not know)."""
    try:
        chord = parse_chord(symbol)
    except ChordError:
        return None
    if chord is None:
        return None
    return chord.root, VOICINGS[_kind(dict(chord.degrees))]


def _kind(degrees: dict[int, int]) -> str:
    third, fifth, seventh = degrees.get(3), degrees.get(5, 0), degrees.get(7)
    if third is None:
        return "sus"
    if third == -1:
        return {-1: "half", -2: "diminished"}.get(seventh, "minor") if fifth == -1 else "minor"
    if fifth == 1:
        return "augmented"
    if seventh == -1:
        return "dominant"
    return "six" if seventh is None and 6 in degrees else "major"


def voicing(symbol: str) -> list[int]:
    tones = chord_tones(symbol)
    if tones is None:
        return []
    root, intervals = tones
    pitches = [48 + (root - 48) % 12 + i for i in intervals]  # the root in C3..B3
    if max(pitches) > 66 and min(pitches) - 12 >= 45:  # the left hand's register: A2..F#4
        pitches = [p - 12 for p in pitches]
    return sorted(pitches)


def bass_pitch(beat: Beat) -> int | None:
    pitch = beat.bass
    if pitch is None:
        tones = chord_tones(beat.chord)
        if tones is None:
            return None
        pitch = 36 + tones[0]
    while pitch > 47:
        pitch -= 12
    while pitch < 31:
        pitch += 12
    return pitch


def perform(melid: int, notes: list[dict[str, str]], beats: list[dict[str, str]],
            rng: random.Random) -> tuple[list[Key], list[tuple[float, int]], list[Beat]]:
    """The keys and pedal (time, value) of 16 bars of solo ``melid``, from its first bar."""
    rows = [b for b in beats if int(b["melid"]) == melid and int(b["bar"]) >= 1]
    first_bar = int(rows[0]["bar"])
    grid = [Beat(float(b["onset"]), int(b["bar"]), int(b["beat"]), b["chord"],
                 int(float(b["bass"])) if b["bass"] not in ("", "NA") else None)
            for b in rows if int(b["bar"]) < first_bar + BARS]
    start, end = grid[0].onset, grid[-1].onset + (grid[-1].onset - grid[-2].onset)
    beat_len = statistics.median(b.onset - a.onset for a, b in itertools.pairwise(grid))
    line = [n for n in notes if int(n["melid"]) == melid and start <= float(n["onset"]) < end]
    shift = 12 * round((74 - statistics.median(int(n["pitch_raw"]) for n in line)) / 12)
    keys: list[Key] = []
    for n, after in zip(line, [*line[1:], None], strict=True):
        on = float(n["onset"]) - start
        gap = (float(after["onset"]) - start if after else end - start) - on
        length = max(0.05, min(2.0, float(n["articulation_raw"] or 1) * gap))
        keys.append(Key(on, on + length, int(n["pitch_raw"]) + shift,
                        rng.randint(72, 104), "melody"))
    melody_keys = list(keys)
    pedal: list[tuple[float, int]] = []
    chord, since = None, 0.0
    for k, beat in enumerate(grid):
        at = beat.onset - start
        walk = bass_pitch(beat)
        if walk is not None:
            keys.append(Key(_jitter(at, rng), at + 0.85 * beat_len, walk, rng.randint(58, 78),
                            "bass"))
        comp_at = {1: at - 0.02, 2: at + beat_len * 0.6}.get(beat.beat)
        if comp_at is not None:
            hold = beat_len * (1.1 if beat.beat == 1 else 0.8)
            for pitch in under(voicing(beat.chord), melody_keys, comp_at, comp_at + hold):
                keys.append(Key(_jitter(max(0.0, comp_at), rng), comp_at + hold, pitch,
                                rng.randint(46, 66), "voicing"))
        if beat.chord != chord or k == len(grid) - 1:
            if chord is not None and chord != "NC":
                pedal.append((since + 0.04, 127))
                pedal.append((since + 0.6 * (at - since), 0))
            chord, since = beat.chord, at
    return sorted(keys, key=lambda key: (key.on, key.pitch)), pedal, grid


def under(pitches: list[int], melody: list[Key], start: float, end: float) -> list[int]:
    """The voicing kept under the right hand while it sounds, as a pianist keeps the hands
    apart: an octave lower if it can go (not under A2), else its notes in the way dropped."""
    lowest = min((k.pitch for k in melody if k.on < end and k.off > start), default=None)
    if lowest is None or not pitches or max(pitches) < lowest:
        return pitches
    if min(pitches) - 12 >= 45:
        pitches = [p - 12 for p in pitches]
    return [p for p in pitches if p < lowest]


def _jitter(at: float, rng: random.Random) -> float:
    return max(0.0, at + rng.gauss(0, 0.008))


def tempo_map(grid: list[Beat], start: float, every_bars: int | None) -> list[tuple[float, float]]:
    """(time, qpm) changes: one tempo, or the performance's own every ``every_bars`` bars."""
    onsets = [b.onset - start for b in grid]
    whole = 60 * (len(onsets) - 1) / (onsets[-1] - onsets[0])
    if every_bars is None:
        return [(0.0, round(whole, 1))]
    changes = []
    bar_starts = [i for i, b in enumerate(grid) if b.beat == 1][::every_bars]
    for i, j in zip(bar_starts, [*bar_starts[1:], len(onsets) - 1], strict=True):
        if j > i:
            changes.append((onsets[i], round(60 * (j - i) / (onsets[j] - onsets[i]), 1)))
    changes[0] = (0.0, changes[0][1])
    return changes


def to_midi(keys: list[Key], pedal: list[tuple[float, int]], tempos: list[tuple[float, float]],
            variant: str, beats: list[float]) -> mido.MidiFile:
    def tick(t: float) -> int:
        ticks, (at, qpm) = 0.0, tempos[0]
        for next_at, next_qpm in tempos[1:]:
            if t < next_at:
                break
            ticks += (next_at - at) * qpm / 60 * TICKS
            at, qpm = next_at, next_qpm
        return round(ticks + (t - at) * qpm / 60 * TICKS)

    def channel_of(key: Key) -> int:
        return 0 if variant == "type0" or key.hand == "melody" else 1

    meta = [(tick(at), mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(qpm)))
            for at, qpm in tempos]
    meta.append((0, mido.MetaMessage("time_signature", numerator=4, denominator=4)))
    hands: dict[int, list[tuple[int, mido.Message]]] = {0: [], 1: []}
    for key in keys:
        channel = channel_of(key)
        hands[channel].append((tick(key.on), mido.Message(
            "note_on", channel=channel, note=key.pitch, velocity=key.velocity)))
        hands[channel].append((tick(key.off), mido.Message(
            "note_off", channel=channel, note=key.pitch, velocity=0)))
    pedal_channel = 0 if variant == "type0" else 1
    hands[pedal_channel] += [(tick(t), mido.Message("control_change", channel=pedal_channel,
                                                    control=64, value=v)) for t, v in pedal]
    for channel in [c for c in hands if hands[c]]:
        hands[channel].insert(0, (0, mido.Message("program_change", channel=channel,
                                                  program=0)))
    drums: list[tuple[int, mido.Message]] = []
    if variant == "drums":
        for k, at in enumerate(beats):
            for note in (51, 42) if k % 2 else (51,):
                drums += [(tick(at), mido.Message("note_on", channel=9, note=note,
                                                  velocity=70)),
                          (tick(at) + 60, mido.Message("note_off", channel=9, note=note))]
    if variant == "type0":
        tracks = [meta + hands[0] + hands[1]]
    else:
        tracks = [meta, hands[0], hands[1]] + ([drums] if drums else [])
    midi = mido.MidiFile(type=0 if variant == "type0" else 1, ticks_per_beat=TICKS)
    for events in tracks:
        midi.tracks.append(_track(events))
    return midi


def _track(events: Iterable[tuple[int, mido.Message]]) -> mido.MidiTrack:
    order = {"set_tempo": 0, "time_signature": 0, "program_change": 1, "note_off": 2,
             "control_change": 3, "note_on": 4}
    track, now = mido.MidiTrack(), 0
    for at, message in sorted(events, key=lambda e: (e[0], order.get(e[1].type, 5))):
        track.append(message.copy(time=at - now))
        now = at
    return track


def build(data: Path, out: Path) -> list[Path]:
    notes, beats = read_table(data, "notes.csv.gz"), read_table(data, "beats.csv.gz")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for melid, (name, variant) in SOLOS.items():
        rng = random.Random(SEED * 1000 + melid)
        keys, pedal, grid = perform(melid, notes, beats, rng)
        start = grid[0].onset
        tempos = tempo_map(grid, start, 4 if variant == "tempo" else None)
        midi = to_midi(keys, pedal, tempos, variant, [b.onset - start for b in grid])
        path = out / f"{name}.mid"
        midi.save(path)
        truth = [[round(k.on * 1000), k.pitch, k.hand] for k in keys]
        (out / f"{name}.hands.json").write_text(json.dumps(truth, separators=(",", ":")) + "\n")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="default: %(default)s")
    parser.add_argument("--out", type=Path, default=HERE, help="default: %(default)s")
    args = parser.parse_args()
    for path in build(args.data, args.out):
        print(path)


if __name__ == "__main__":
    main()
