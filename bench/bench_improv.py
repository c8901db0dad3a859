"""Improv: note-path cost of substitution, MelodyRNN latency, and what the voicing rules do.

Note path: ``Looper.note_on`` + ``note_off`` timed one key at a time (CaptureOutput,
virtual clock) in free mode (plain pass-through), in improv mode while the machine
listens (keys collected), and while it leads (keys substituted, chord fitting on).

MelodyRNN: warm calls continuing a 20-note primer far enough for 20 notes, as the
feature asks (``steps_to_generate``).

Voicing: scripted improvisations (seeded phrases in five registers over a ii-V-I
chord loop) on the virtual rig with the model, generating inline. Per variant: the
pitch jump at each takeover (the pianist's last note to the machine's first), and the
share of the machine's notes that are tones of the chord sounding at their key.
"original" is the paper's behaviour: no register rule, no fitting.

Without ``--bundle`` an untrained attention_rnn of Magenta's default size (2x128) is
built first: latency depends on the network's size; the voicing numbers then measure
the rules on random lines (a trained model's lines are already closer to the primer).

    python -m bench improv [--bundle attention_rnn.mag] [--notes 10000] [--calls 20]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

from bench.bundles import bundle_for
from bench.stats import summary, table
from psc_looper.app import Backend, BackendConfig
from psc_looper.improv import Boundary, Fit, ImprovFeature, ImprovOptions
from psc_looper.improv.feature import MelodyGenerator
from psc_looper.improv.primer import steps_to_generate
from psc_looper.improv.voicing import chord_map
from psc_looper.looper.engine import Origin
from psc_looper.looper.notes import LoopNote, Mode, Track
from psc_looper.looper.recording import quantize
from psc_looper.models import MelodyModel, Note
from psc_looper.osc.events import NoteOff, NoteOn
from psc_looper.osc.ports import CaptureOutput, OscOut
from psc_looper.osc.protocol import Instrument
from psc_looper.rig import VirtualRig
from psc_looper.timing.clock import VirtualClock
from psc_looper.timing.meter import LoopStructure, Meter

DEFAULT_LAYERS = (128, 128)  # magenta's attention_rnn default
KEY_GAP = 0.05  # seconds between benchmark keys: more than the chord window
STRUCTURE = LoopStructure(Meter(4, 4), 4)
II_V_I = ((62, 65, 69, 72), (67, 71, 74, 77), (60, 64, 67, 71), (60, 64, 67, 71))
REGISTERS = (40, 52, 64, 76, 88)
SCALE = (0, 2, 4, 5, 7, 9, 11)
VARIANTS = {
    "original (no rules)": {"follow_register": False, "fit": Fit.OFF},
    "register rule": {"follow_register": True, "fit": Fit.OFF},
    "register + chord fit": {"follow_register": True, "fit": Fit.CHORD},
    "register + scale fit": {"follow_register": True, "fit": Fit.SCALE},
}


class Cycle:
    """A stand-in melody model for the note-path run: a long line of 16ths."""

    def generate(self, primer: Sequence[Note], num_steps: int, **options: object) -> list[Note]:
        start = int(options["primer_steps"])  # type: ignore[call-overload]
        return [Note(start + i, start + i + 1, 60 + i % 24) for i in range(num_steps)]


def note_path_rows(notes: int) -> list[tuple[str, dict[str, float]]]:
    rows = []
    for name in ("free mode (pass-through)", "improv, listening", "improv, machine leads"):
        clock = VirtualClock()
        output = CaptureOutput(clock)
        leads = "leads" in name
        options = ImprovOptions(threshold=10**6, max_generated=notes + 10,
                                max_generate_steps=notes + 10, boundary=Boundary.NONE,
                                breath_steps=0)
        backend = Backend(BackendConfig(inline_generation=True, improv=options), clock, output)
        feature = backend.attach(ImprovFeature(Cycle(), options, inline=True))
        looper = backend.looper
        looper.replace_track(Track.CHORDS, chord_loop(), now=True)
        feature.on_step(0, 0, 0.0)  # read the chord loop as at a loop start
        if name != "free mode (pass-through)":
            looper.set_mode(Mode.IMPROV)
        if leads:
            looper.note_on(NoteOn(60, 80))
            looper.note_off(NoteOff(60))
            feature.call_action(None, 127)
        times = []
        keys = [(NoteOn(key, 80), NoteOff(key)) for key in range(48, 84)]
        for i in range(notes):
            clock.advance(KEY_GAP)
            press, release = keys[i % len(keys)]
            t = time.perf_counter()
            looper.note_on(press)
            looper.note_off(release)
            times.append(time.perf_counter() - t)
            if i % 1000 == 0:
                output.clear()
        assert not leads or feature.phase.value == "leading"
        feature.close()
        backend.close()
        rows.append((name, summary(times)))
    return rows


def model_rows(model: MelodyModel, calls: int) -> list[tuple[str, dict[str, float]]]:
    primer = [Note(2 * i, 2 * i + 1, 60 + SCALE[i % 7]) for i in range(20)]
    num_steps = steps_to_generate(primer, 40, 20, ImprovOptions().max_generate_steps)
    for seed in range(2):  # warm-up
        model.generate(primer, num_steps, primer_steps=40, seed=seed)
    times, counts = [], []
    for seed in range(calls):
        t = time.perf_counter()
        answer = model.generate(primer, num_steps, primer_steps=40, seed=seed)
        times.append(time.perf_counter() - t)
        counts.append(len(answer))
    stats = summary(times)
    return [(f"20-note primer, {num_steps} steps", {**stats, "notes": statistics.median(counts)})]


def chord_loop() -> list[LoopNote]:
    return [
        LoopNote(bar * 16, Track.CHORDS, Instrument.CHORDS, p, 70, 16)
        for bar, chord in enumerate(II_V_I)
        for p in chord
    ]


def script(seed: int, center: int, bars: int = 24) -> list[tuple[float, int, float]]:
    """Phrases of 3..8 notes (16ths, 8ths, quarters) stepping around C major near
    ``center``, with rests of 2..6 steps between them; onsets humanized by +-0.2 step."""
    rnd = random.Random(seed)
    tonic = center - center % 12
    degree = 0
    notes, step = [], 0.0
    while step < bars * 16:
        for _ in range(rnd.randint(3, 8)):
            length = rnd.choice((1, 2, 2, 4))
            degree = max(-7, min(10, degree + rnd.choice((-2, -1, -1, 1, 1, 2))))
            pitch = tonic + 12 * (degree // 7) + SCALE[degree % 7]
            notes.append((max(0.0, step + rnd.uniform(-0.2, 0.2)), pitch, length * 0.8))
            step += length
        step += rnd.randint(2, 6)
    return notes


class Shared:
    """The model lent to one rig: the feature closes what it is given, not this model."""

    def __init__(self, model: MelodyGenerator) -> None:
        self.model = model

    def generate(self, primer: Sequence[Note], num_steps: int, **options: object) -> list[Note]:
        return self.model.generate(primer, num_steps, **options)  # type: ignore[arg-type]


def run_script(
    model: MelodyGenerator, options: ImprovOptions, notes: list[tuple[float, int, float]]
) -> tuple[list[int], list[bool]]:
    """Play a script: the takeover jumps, and for each machine note whether it is a chord tone."""
    rig = VirtualRig(BackendConfig(inline_generation=True, seed=11, structure=STRUCTURE,
                                   improv=options))
    feature = rig.backend.attach(ImprovFeature(Shared(model), options, seed=11, inline=True))
    chords = chord_loop()
    classes = chord_map(chords, STRUCTURE.steps)
    rig.looper.replace_track(Track.CHORDS, chords, now=True)
    played: list[tuple[int, Origin, float]] = []

    def listen(messages: Sequence[OscOut], at: float | None, origin: Origin) -> None:
        if origin in (Origin.MACHINE, Origin.PIANIST):
            step = rig.looper.schedule.step_at(rig.now)
            played.extend((int(a[0]), origin, step) for addr, a in messages
                          if addr.startswith("/play"))

    rig.looper.add_output_listener(listen)
    rig.looper.play()
    rig.looper.set_mode(Mode.IMPROV)
    events = sorted([(o, 1, p) for o, p, _ in notes] + [(o + d, 0, p) for o, p, d in notes])
    for when, on, pitch in events:
        rig.advance_to_step(when)
        rig.note_on(pitch, 80) if on else rig.note_off(pitch)
    feature.close()
    rig.backend.close()
    jumps = [abs(b[0] - a[0]) for a, b in pairwise(played)
             if a[1] is Origin.PIANIST and b[1] is Origin.MACHINE]
    tones = [b[0] % 12 in classes[quantize(b[2]) % STRUCTURE.steps]
             for b in played if b[1] is Origin.MACHINE]
    return jumps, tones


def voicing_rows(model: MelodyGenerator, scripts: int) -> list[tuple[str, dict[str, float]]]:
    rows = []
    base = ImprovOptions(split="none")  # single lines, down to E1: no left hand to find
    for name, changes in VARIANTS.items():
        jumps: list[int] = []
        tones: list[bool] = []
        for i in range(scripts):
            j, t = run_script(model, replace(base, **changes),
                              script(i, REGISTERS[i % len(REGISTERS)]))
            jumps += j
            tones += t
        rows.append((name, {
            "takeovers": len(jumps),
            "mean jump": statistics.fmean(jumps) if jumps else float("nan"),
            "max jump": max(jumps, default=float("nan")),
            "chord %": 100 * statistics.fmean(tones) if tones else float("nan"),
            "notes": len(tones),
        }))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, help="an attention_rnn .mag (default: build one)")
    parser.add_argument("--notes", type=int, default=10000, help="keys per note-path case")
    parser.add_argument("--calls", type=int, default=20, help="timed MelodyRNN calls")
    parser.add_argument("--scripts", type=int, default=10, help="scripted improvisations")
    args = parser.parse_args()
    print(f"\nNote path: Looper.note_on + note_off per key, {args.notes} keys (ms)")
    print(table(note_path_rows(args.notes), ("p50", "p95", "p99", "max")))
    with tempfile.TemporaryDirectory(prefix="bench-improv-") as folder:
        bundle = bundle_for(args.bundle, "attention_rnn", DEFAULT_LAYERS, Path(folder))
        model = MelodyModel.load(bundle)
        print(f"\nWarm MelodyRNN continuation, {args.calls} calls (ms; notes = median returned)")
        print(table(model_rows(model, args.calls), ("p50", "p95", "max", "notes")))
        print(f"\nTakeover and harmony over {args.scripts} scripted improvisations "
              "(jumps in semitones)")
        print(table(voicing_rows(model, args.scripts),
                    ("takeovers", "mean jump", "max jump", "chord %", "notes")))
        model.close()


if __name__ == "__main__":
    main()
