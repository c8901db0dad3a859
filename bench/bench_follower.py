"""Follower: the machine's pitch chosen at the pianist's onset over the chord sounding
there (``improv/follower.py``), against today's whole line generated ahead, in one run.

Material: the 16 bars of each ``material/`` performance (rebuilt from the WJazzD tables
exactly as ``make_material.py`` builds the file) with the solo's own chart (the chord
of each beat, from the same tables), replayed in the step domain of its own beats
(human timing, tempo drift); and, made here, the same lines made continuous (every note
held to the next: no rest at all). Turns are the feature's: the machine is ready after
``threshold`` of the pianist's melody notes and comes in at the first key after the
next bar line that follows a breath (2 steps); with the follower also after
``--through`` bars played without a breath (``improv/turns.py``). Each turn the machine
answers ``max_generated`` keys in the pianist's rhythm.

- whole line (today): ImprovRNN generates once from the primer over the chart's chords
  of the steps after it; its pitches are placed near the hands at the takeover, the leap
  rule applied (the feature with a chart: no loop to fit to);
- follower: the stepper primed with the pianist's phrase as played (pitches, rhythm,
  chords), stepped with the transport, each pitch drawn at its key's step over that
  step's chord with the chord weight; guards counted; model work timed per step and a
  key that arrives before its step's pitch is prepared (real time, at the file's tempo
  and at 300 qpm) counts as a fallback.

Figures: chord tones at the machine's onsets against the chart chord sounding there
(the pianist's own melody the same way), leaps over a fifth, the jump at each turn
(the pianist's last note to the machine's first), machine notes more than an octave
from the key they replace, turns, fallbacks, guards, model time per step.

Hard variants (``material/hard.py``: rubato with ritardandi and the loop's qpm not
matching, comping that crowds the melody with the pedal down, the lines at 1.5x, the
melody legato), replayed through the feature like the material, whole line against the
follower: jump at the turn (median, p90, max), chord tones, leaps, the worst file.

    python -m bench follower [--seeds 3] [--weights 1,2.25,3] [--through 4] [--per-file]
    python -m bench follower --hard [--per-file]   # only the hard variants (about 1 min)
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import numpy as np

from bench.keypath import press_keys
from bench.stats import summary, table
from material.hard import VARIANTS, write
from material.make_material import DATA, SEED, SOLOS, perform, read_table
from material.measure import Figures, material_files, measure
from psc_looper.app import Backend, BackendConfig
from psc_looper.bundles import DEFAULT_IMPROV_BUNDLE, DEFAULT_MELODY_BUNDLE
from psc_looper.harmony.chords import Chord, ChordError, parse_chord
from psc_looper.improv import Boundary, ImprovOptions, voicing
from psc_looper.improv.follower import Follower, FollowOptions, primer_events
from psc_looper.improv.policy import had_breath
from psc_looper.improv.primer import PlayedNote, build_primer, steps_to_generate
from psc_looper.improv.turns import played_through
from psc_looper.inference.configs import IMPROV_RNN
from psc_looper.inference.loader import load_generator
from psc_looper.inference.stepper import Stepper
from psc_looper.looper.notes import Mode
from psc_looper.looper.recording import quantize
from psc_looper.models import ImprovModel

THRESHOLD, MAX_GENERATED, MAX_GENERATE_STEPS = 20, 20, 128  # the feature's defaults
BREATH_STEPS, MAX_LEAP, BAR = 2.0, 7, 16
FIFTH, OCTAVE = 7, 12
FAST_QPM = 300
PRIMER_NOTES = 64
SCALE_STEPS = (0, 2, 4, 5, 7, 9, 11, 12, 11, 9, 7, 5, 4, 2)


@dataclass(frozen=True)
class Played:
    onset: float  # fractional 16th steps from the first beat
    end: float
    pitch: int


@dataclass
class Performance:
    name: str
    melody: list[Played]
    chords: list[Chord | None]  # per beat
    step_seconds: float
    symbols: list[str] = field(default_factory=list)  # per beat, as WJazzD writes them
    beats: list[float] = field(default_factory=list)  # each beat's onset, seconds

    def chart_text(self) -> str:
        """The solo's chart, four beats a bar, for ``[improv] changes``."""
        return chart_text(self.symbols)

    def chord_at_time(self, seconds: float) -> Chord | None:
        beat = int(np.searchsorted(self.beats, seconds, side="right")) - 1
        return self.chords[min(max(beat, 0), len(self.chords) - 1)]

    def chord_at(self, step: float) -> Chord | None:
        beat = min(max(int(step // 4), 0), len(self.chords) - 1)
        return self.chords[beat]


def _chord(symbol: str) -> Chord | None:
    try:
        return parse_chord(symbol)
    except ChordError:
        return None


def performances() -> list[Performance]:
    """The material's 16 bars per solo, in steps of the solo's own beats, and its chart."""
    notes, beats = read_table(DATA, "notes.csv.gz"), read_table(DATA, "beats.csv.gz")
    result = []
    for melid, (name, _variant) in SOLOS.items():
        keys, _pedal, grid = perform(melid, notes, beats, random.Random(SEED * 1000 + melid))
        onsets = np.array([b.onset - grid[0].onset for b in grid])
        beat_length = float(np.median(np.diff(onsets)))
        onsets = np.append(onsets, onsets[-1] + beat_length)

        def step_of(seconds: float, onsets: np.ndarray = onsets) -> float:
            return 4 * float(np.interp(seconds, onsets, np.arange(len(onsets)),
                                       right=len(onsets) - 1))

        melody = [Played(step_of(k.on), step_of(k.off), k.pitch) for k in keys
                  if k.hand == "melody"]
        result.append(Performance(name, melody, [_chord(b.chord) for b in grid],
                                  beat_length / 4, [b.chord for b in grid],
                                  list(onsets[:-1])))
    return result


def continuous(perf: Performance) -> Performance:
    """The same line with every note held to the next: never a rest."""
    melody = [Played(a.onset, b.onset, a.pitch) for a, b in pairwise(perf.melody)]
    return Performance(f"{perf.name} (legato)", melody, perf.chords, perf.step_seconds)


@dataclass
class Turn:
    phrase: list[int]  # indices of the pianist's notes since the last turn, up to the takeover
    ready: int  # index of the note that completed the primer
    keys: list[int]  # indices of the keys the machine answers


def turns(melody: Sequence[Played], through_bars: int) -> list[Turn]:
    """The feature's turns (``through_bars`` 0: today's rules only)."""
    result: list[Turn] = []
    start = 0
    while start + THRESHOLD <= len(melody):
        ready = start + THRESHOLD - 1
        boundary = (quantize(melody[ready].onset) // BAR + 1) * BAR
        last_breath = melody[start].onset
        takeover = None
        for k in range(ready + 1, len(melody)):
            note, before = melody[k], melody[:k]
            activity = max(max(n.end for n in before[-8:]), before[-1].onset)
            down = sum(n.end > note.onset for n in before[-8:])
            breath = had_breath(note.onset, activity, down, BREATH_STEPS)
            if breath:
                last_breath = note.onset
            if quantize(note.onset) < boundary:
                continue
            if breath or played_through(note.onset, before[-1].onset, last_breath,
                                        through_bars, BAR):
                takeover = k
                break
        if takeover is None:
            break
        keys = list(range(takeover, min(takeover + MAX_GENERATED, len(melody))))
        result.append(Turn(list(range(start, takeover)), ready, keys))
        start = keys[-1] + 1
    return result


@dataclass
class Outcome:
    """The machine's notes of one run: (key index, pitch) per turn; follower stats."""

    turns: list[list[tuple[int, int]]] = field(default_factory=list)
    fallbacks: Counter[str] = field(default_factory=Counter)
    guards: Counter[str] = field(default_factory=Counter)
    prepared: int = 0
    step_seconds: list[float] = field(default_factory=list)
    start_seconds: list[float] = field(default_factory=list)
    key_guards: int = 0  # note path: machine notes moved toward their key
    crowded: int = 0  # second keys on a step, answered with the next step's pitch
    fast_fallbacks: int = 0  # fallbacks had each model step taken as long at 300 qpm


def whole_line(perf: Performance, plan: list[Turn], model: ImprovModel, seed: int) -> Outcome:
    """Today: one line per turn generated at the ready note, pitches placed at takeover."""
    melody, out = perf.melody, Outcome()
    for number, turn in enumerate(plan):
        played = [PlayedNote(n.onset, n.pitch, n.end) for n in
                  (melody[i] for i in turn.phrase if i <= turn.ready)]
        now = float(quantize(melody[turn.ready].onset) + 1)
        first = quantize(min(n.onset for n in played))
        offset = first % BAR
        primer, primer_steps = build_primer(played, now, offset)
        num_steps = steps_to_generate(primer, primer_steps, MAX_GENERATED, MAX_GENERATE_STEPS)
        origin = first - offset
        chords = [perf.chord_at(origin + k) for k in range(primer_steps + num_steps)]
        notes = model.generate(primer, num_steps, primer_steps=primer_steps, chords=chords,
                               seed=seed * 1000 + number)
        line = [n.pitch for n in sorted(notes, key=lambda n: (n.start_step, -n.pitch))]
        recent = [melody[i].pitch for i in turn.phrase[-3:]]
        reference = voicing.reference_pitch([*recent, melody[turn.keys[0]].pitch])
        placed = voicing.place_line(line[:MAX_GENERATED], reference)
        last, answered = None, []
        for key, pitch in zip(turn.keys, placed, strict=False):
            pitch = last = voicing.within_leap(pitch, last, MAX_LEAP)
            answered.append((key, pitch))
        out.turns.append(answered)
    return out


def follow(perf: Performance, plan: list[Turn], generator: object, seed: int,
           options: FollowOptions) -> Outcome:
    """The follower: primed at the takeover, stepped with the transport, keys look up."""
    melody, out = perf.melody, Outcome()
    for number, turn in enumerate(plan):
        follower = Follower(Stepper(generator), options, seed=seed * 1000 + number)  # type: ignore[arg-type]
        phrase = [melody[i] for i in turn.phrase[-PRIMER_NOTES:]]
        next_step = quantize(melody[turn.keys[0]].onset)
        first = quantize(phrase[0].onset) // BAR * BAR
        events = primer_events([(n.onset, n.end, n.pitch) for n in phrase], first, next_step - 1)
        chords = [perf.chord_at(s) for s in range(first, next_step)]
        follower.start(events, chords, next_step, perf.chord_at, phrase[-1].pitch)
        answered = _play_turn(follower, [(k, melody[k]) for k in turn.keys], next_step,
                              perf.step_seconds, out)
        out.turns.append(answered)
        stats = follower.stats
        out.fallbacks.update(stats.fallbacks)
        out.guards.update(stats.guards)
        out.key_guards += stats.key_guards
        out.crowded += stats.crowded
        out.prepared += stats.prepared
        out.step_seconds += stats.step_seconds
        out.start_seconds += stats.start_seconds
    return out


def _play_turn(follower: Follower, keys: list[tuple[int, Played]], next_step: int,
               step_seconds: float, out: Outcome) -> list[tuple[int, int]]:
    """Keys, releases and transport steps in time order; a step's model work takes its
    measured time, keys before it is done see the table as it was (a late one falls back)."""
    timeline: list[tuple[float, int, Callable[[], None]]] = []
    answered: list[tuple[int, int]] = []
    sounding: list[int] = []  # the machine key sounding last
    pending: list[tuple[float, dict[tuple[int, bool], int]]] = []  # (done at, table before)

    def press(index: int, note: Played) -> Callable[[], None]:
        def run() -> None:
            table = follower.ready
            if pending and note.onset < pending[-1][0]:
                follower.ready = pending[-1][1]  # the step's work is not done yet
            pitch = follower.take(note.onset, note.pitch)
            follower.ready = table
            follower.sounded(note.onset, pitch)
            answered.append((index, pitch))
            sounding[:] = [index]
        return run

    def release(index: int, note: Played) -> Callable[[], None]:
        def run() -> None:
            if sounding == [index]:
                follower.release(note.end)
        return run

    def tick(step: int) -> Callable[[], None]:
        def run() -> None:
            before = follower.ready
            started = time.perf_counter()
            follower.observe(step - 1)
            took = time.perf_counter() - started
            pending[:] = [(step + took / step_seconds, before)]
            out.fast_fallbacks += took > 0.5 * 60 / FAST_QPM / 4
        return run

    for index, note in keys:
        timeline.append((note.onset, 2, press(index, note)))
        timeline.append((note.end, 0, release(index, note)))
    last = quantize(keys[-1][1].onset)
    timeline += [(float(s), 1, tick(s)) for s in range(next_step + 1, last + 1)]
    for _at, _order, run in sorted(timeline, key=lambda e: (e[0], e[1])):
        run()
    return answered


@dataclass
class Tally:
    """Raw figures of runs, pooled by adding: flags per note or interval, jumps per turn."""

    turns: int = 0
    tones: list[bool] = field(default_factory=list)  # machine notes: a chord tone at onset
    own: list[bool] = field(default_factory=list)  # the pianist's melody notes, the same
    leaps: list[bool] = field(default_factory=list)  # machine intervals over a fifth
    own_leaps: list[bool] = field(default_factory=list)
    jumps: list[int] = field(default_factory=list)
    far: list[bool] = field(default_factory=list)  # machine notes > an octave from the key
    fallbacks: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.turns += other.turns
        for name in ("tones", "own", "leaps", "own_leaps", "jumps", "far"):
            getattr(self, name).extend(getattr(other, name))
        self.fallbacks.update(other.fallbacks)

    def row(self) -> dict[str, float]:
        return {
            "turns": self.turns, "machine notes": len(self.far),
            "chord tones %": _share(self.tones), "melody chord %": _share(self.own),
            "leaps>5th %": _share(self.leaps), "melody leaps %": _share(self.own_leaps),
            **_jumps(self.jumps),
            ">octave %": _share(self.far), "fallbacks": sum(self.fallbacks.values()),
        }


def tally(perf: Performance, plan: list[Turn], outcome: Outcome) -> Tally:
    melody = perf.melody
    notes = [(melody[k], p) for answered in outcome.turns for k, p in answered]
    return Tally(
        len(plan),
        [p % 12 in c.pitch_classes for n, p in notes if (c := perf.chord_at(n.onset))],
        [n.pitch % 12 in c.pitch_classes for n in melody if (c := perf.chord_at(n.onset))],
        [abs(b - a) > FIFTH for answered in outcome.turns
         for (_, a), (_, b) in pairwise(answered)],
        [abs(b.pitch - a.pitch) > FIFTH for a, b in pairwise(melody)],
        [abs(answered[0][1] - melody[answered[0][0] - 1].pitch)
         for answered in outcome.turns if answered and answered[0][0] > 0],
        [abs(p - n.pitch) > OCTAVE for n, p in notes],
        outcome.fallbacks,
    )


def _jumps(jumps: Sequence[int]) -> dict[str, float]:
    if not jumps:
        return {"jump med": float("nan"), "jump p90": float("nan"), "jump max": float("nan")}
    return {"jump med": statistics.median(jumps), "jump p90": float(np.percentile(jumps, 90)),
            "jump max": max(jumps)}


def _share(flags: Sequence[bool]) -> float:
    return 100.0 * sum(flags) / len(flags) if flags else float("nan")


COLUMNS = ("turns", "machine notes", "chord tones %", "melody chord %", "leaps>5th %",
           "melody leaps %", "jump med", "jump p90", "jump max", ">octave %", "fallbacks")


def _print(rows: list[tuple[str, dict[str, float]]]) -> None:
    width = max(len(r[0]) for r in rows) + 2
    print(f"{'':<{width}}" + "".join(f"{c:>15}" for c in COLUMNS))
    for name, row in rows:
        print(f"{name:<{width}}" + "".join(f"{row[c]:>15.1f}" for c in COLUMNS))


def replayed(perfs: list[Performance], seeds: int, through: int,
             weights: Sequence[float], per_file: bool = False) -> None:
    """The material replayed through the feature (virtual clock, inline), each file with
    its chart as ``changes``: today's whole line vs follower mode, at the file's tempo
    and compressed to 300 qpm."""
    by_name = {p.name: p for p in perfs}
    variants: dict[str, dict[str, object]] = {"whole line (today)": {"follower": False}}
    for w in weights:
        variants[f"follower x{w:g}"] = {"follower": True, "through_bars": through,
                                        "chord_weight": w}
    with tempfile.TemporaryDirectory() as folder:
        for qpm in (None, FAST_QPM):
            tempo = "the file's tempo" if qpm is None else f"{FAST_QPM} qpm"
            print(f"\nreplayed through the feature, {tempo}: {len(perfs)} files x {seeds} seeds")
            rows, details = [], []
            for name, extra in variants.items():
                figures = []
                files: dict[str, list[Figures]] = {}
                for seed in range(seeds):
                    for path in material_files():
                        perf = by_name[path.stem]
                        options = ImprovOptions(changes=perf.chart_text(), **extra)  # type: ignore[arg-type]
                        figures.append(measure(
                            path, options, Path(folder) / "out.mid", seed=seed,
                            melody_bundle=DEFAULT_MELODY_BUNDLE,
                            improv_bundle=DEFAULT_IMPROV_BUNDLE, qpm=qpm,
                            chart=perf.chord_at_time))
                        files.setdefault(path.stem, []).append(figures[-1])
                rows.append((name, _replay_row(figures)))
                if per_file:
                    details += [(f"  {name[:16]} {stem}", _replay_row(f))
                                for stem, f in files.items()]
            _print(rows + details)


def hard(seeds: int, through: int, per_file: bool) -> None:
    """The material and its hard variants (``material/hard.py``) replayed through the
    feature at the file's tempo, whole line against the follower; per file, the worst."""
    variants: dict[str, dict[str, object]] = {
        "whole line": {"follower": False},
        "follower": {"follower": True, "through_bars": through}}
    with tempfile.TemporaryDirectory() as folder:
        rows, details = [], []
        for hardness in ("", *VARIANTS):
            files = write(hardness, Path(folder) / (hardness or "material"))
            for name, extra in variants.items():
                figures: list[Figures] = []
                by_file: dict[str, list[Figures]] = {}
                for seed in range(seeds):
                    for written in files:
                        options = ImprovOptions(changes=chart_text(written.chords), **extra)  # type: ignore[arg-type]
                        figures.append(measure(
                            written.path, options, Path(folder) / "out.mid", seed=seed,
                            melody_bundle=DEFAULT_MELODY_BUNDLE,
                            improv_bundle=DEFAULT_IMPROV_BUNDLE,
                            chart=_chart(written.beats, written.chords)))
                        by_file.setdefault(written.path.stem, []).append(figures[-1])
                rows.append((f"{hardness or 'material'}, {name}", _replay_row(figures)))
                file_rows = [(f"  {stem}", _replay_row(f)) for stem, f in by_file.items()]
                worst = max(file_rows, key=lambda r: (r[1]["jump med"], r[1]["jump max"]))
                details += [(f"  {hardness or 'material'}/{name} {n.strip()}", r)
                            for n, r in file_rows] if per_file else []
                print(f"{rows[-1][0]}: worst file {worst[0].strip()} (jump median "
                      f"{worst[1]['jump med']:g}, max {worst[1]['jump max']:g})")
        print(f"\nthe material and its hard variants, file tempo, {seeds} seeds")
        _print(rows + details)


def chart_text(symbols: Sequence[str]) -> str:
    """A chart of beats' chord symbols, four beats a bar, for ``[improv] changes``."""
    return " | ".join(" ".join(symbols[i : i + 4]) for i in range(0, len(symbols), 4))


def _chart(beats: Sequence[float], symbols: Sequence[str]) -> Callable[[float], Chord | None]:
    chords = [_chord(s) for s in symbols]

    def at(seconds: float) -> Chord | None:
        beat = int(np.searchsorted(beats, seconds, side="right")) - 1
        return chords[min(max(beat, 0), len(chords) - 1)]
    return at


def _replay_row(figures: list[Figures]) -> dict[str, float]:
    def pooled(field_name: str) -> float:
        pairs = [getattr(f, field_name) for f in figures]
        total = sum(b for _, b in pairs)
        return 100.0 * sum(a for a, _ in pairs) / total if total else float("nan")

    jumps = [j for f in figures for j in f.jumps]
    return {
        "turns": sum(f.takeovers for f in figures),
        "machine notes": sum(f.machine_notes for f in figures),
        "chord tones %": pooled("machine_chart_tones"),
        "melody chord %": pooled("melody_chart_tones"),
        "leaps>5th %": pooled("machine_leaps"), "melody leaps %": pooled("melody_leaps"),
        **_jumps(jumps),
        ">octave %": pooled("far_from_key"),
        "fallbacks": sum(f.fallbacks for f in figures),
    }


KEY_CHART = "Dm7 G7 | Cmaj7 | Fmaj7 | Bm7b5 E7 |"


def note_path(mode: str, seconds: float) -> dict[str, float]:
    """Real backend, real clock, UDP, the shipped models in their processes, the loop
    playing at 300 qpm: one key per 16th, timed from ``/processnoteon`` in to
    ``/playwurly`` out. ``mode``: free (pass-through), whole (today's improv), follower."""
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.bind(("127.0.0.1", 0))
    client.settimeout(2)
    options = ImprovOptions(threshold=8, max_generated=10**6, max_generate_steps=10**4,
                            boundary=Boundary.NONE, breath_steps=0, split="none",
                            changes=KEY_CHART, follower=mode == "follower")
    config = BackendConfig(listen_port=0, bridge_port=client.getsockname()[1], qpm=FAST_QPM,
                           melody_bundle=DEFAULT_MELODY_BUNDLE,
                           improv_bundle=DEFAULT_IMPROV_BUNDLE, improv=options)
    backend = Backend(config)
    backend.start()
    assert backend.server is not None
    port = backend.server.address[1]
    if mode != "free":
        backend.looper.set_mode(Mode.IMPROV)
    backend.looper.play()
    time.sleep(1.0)
    gap = 60 / FAST_QPM / 4
    latencies = press_keys(client, port, seconds, gap,
                           lambda k: 60 + SCALE_STEPS[k % len(SCALE_STEPS)], hold=gap * 0.6)
    count = len(latencies)
    improv = backend.improv
    streaming = improv.streaming if improv is not None else None
    leading = improv is not None and improv.phase.value == "leading"
    backend.close()
    client.close()
    fallbacks = sum(streaming.fallbacks.values()) if streaming is not None else 0
    return {**summary(latencies[16:]), "keys": count, "fallbacks": fallbacks,
            "leading": float(leading)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--weights", default="1,2.25,3", help="chord weights to compare")
    parser.add_argument("--through", type=int, default=4, help="bars without a breath")
    parser.add_argument("--per-file", action="store_true")
    parser.add_argument("--hard", action="store_true",
                        help="only the material and its hard variants, replayed")
    parser.add_argument("--no-replay", action="store_true",
                        help="only the step-domain comparison (fast)")
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="per note-path row (0: no note-path rows)")
    args = parser.parse_args()
    if args.hard:
        hard(args.seeds, args.through, args.per_file)
        return
    model = ImprovModel.load(DEFAULT_IMPROV_BUNDLE)
    generator = load_generator(DEFAULT_IMPROV_BUNDLE, IMPROV_RNN)
    material = performances()
    sets = {"material": material, "continuous (legato)": [continuous(p) for p in material]}
    weights = [float(w) for w in args.weights.split(",")]
    for title, perfs in sets.items():
        today = [turns(p.melody, 0) for p in perfs]
        follower_plan = [turns(p.melody, args.through) for p in perfs]
        runs: dict[str, tuple[list[list[Turn]], Callable[[Performance, list[Turn], int],
                                                         Outcome]]] = {
            "whole line (today)": (today, lambda p, plan, s: whole_line(p, plan, model, s)),
        }
        for w in weights:
            runs[f"follower x{w:g}"] = (follower_plan, lambda p, plan, s, w=w: follow(
                p, plan, generator, s, FollowOptions(chord_weight=w)))
        runs["follower, no key guard"] = (follower_plan, lambda p, plan, s: follow(
            p, plan, generator, s, FollowOptions(follow_keys=False)))
        runs["follower, snap"] = (follower_plan, lambda p, plan, s: follow(
            p, plan, generator, s, FollowOptions(snap=True)))
        print(f"\n{title}: {len(perfs)} files x {args.seeds} seeds (pooled)")
        rows, details = [], []
        for name, (plans, run) in runs.items():
            pooled, per_file = Tally(), [Tally() for _ in perfs]
            outcomes = []
            for seed in range(args.seeds):
                for index, (perf, plan) in enumerate(zip(perfs, plans, strict=True)):
                    outcome = run(perf, plan, seed)
                    outcomes.append(outcome)
                    counted = tally(perf, plan, outcome)
                    pooled.add(counted)
                    per_file[index].add(counted)
            rows.append((name, pooled.row()))
            if args.per_file:
                details += [(f"  {name[:16]} {p.name}", t.row())
                            for p, t in zip(perfs, per_file, strict=True)]
            steps = [t for o in outcomes for t in o.step_seconds]
            if steps:
                guards: Counter[str] = sum((o.guards for o in outcomes), Counter())
                prepared = sum(o.prepared for o in outcomes)
                fast = sum(o.fast_fallbacks for o in outcomes)
                keyed = sum(o.key_guards for o in outcomes)
                starts = [t for o in outcomes for t in o.start_seconds]
                print(f"  {name}: model per step p50 {np.percentile(steps, 50) * 1e3:.2f} ms, "
                      f"p99 {np.percentile(steps, 99) * 1e3:.2f} ms, max "
                      f"{max(steps) * 1e3:.2f} ms (a step at {FAST_QPM} qpm is "
                      f"{60 / FAST_QPM / 4 * 1e3:.0f} ms, the deadline half of it): "
                      f"{fast} over it; crowded keys {sum(o.crowded for o in outcomes)}; "
                      f"priming p50 {np.percentile(starts, 50) * 1e3:.1f}"
                      f" ms; fallbacks {dict(pooled.fallbacks)}; guards per "
                      f"prepared pitch: " + ", ".join(
                          f"{k} {100 * v / prepared:.1f}%" for k, v in sorted(guards.items()))
                      + f"; key guard per machine note "
                      f"{_share([True] * keyed + [False] * (len(pooled.far) - keyed)):.1f}%")
        _print(rows + details)
    if not args.no_replay:
        replayed(material, args.seeds, args.through, weights, args.per_file)
        hard(args.seeds, args.through, args.per_file)
    if args.seconds > 0:
        rows = [(name, note_path(mode, args.seconds)) for name, mode in (
            ("free mode (pass-through)", "free"), ("improv, whole line leads", "whole"),
            ("improv, follower leads", "follower"))]
        print(f"\nnote path (ms), real clock, models in their processes, {FAST_QPM} qpm, "
              f"one key per 16th, {args.seconds:g} s per row")
        print(table(rows, ("p50", "p99", "max", "keys", "fallbacks", "leading")))
        base = rows[0][1]
        for name, row in rows[1:]:
            print(f"{name}: p99 {row['p99'] / base['p99']:.2f}x pass-through")


if __name__ == "__main__":
    main()
