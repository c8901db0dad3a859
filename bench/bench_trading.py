"""Trading fours: the machine's own phrases (``improv/trading.py``) against the WJazzD
soloists and the whole-line ImprovRNN, and how early they are ready.

Material: the 16 bars of each ``material/`` solo with its chart (``bench_follower``).
Traded as fours: the soloist plays bars 1-4 and 9-12; the machine's phrase for bars 5-8
(13-16) is drawn as the feature draws it (``phrases.draw_phrase``: the stepper primed
with the soloist's last four bars as played, over the chart's chords, chord weight
2.25, and at 1.0), and, for comparison, the whole-line ImprovRNN generates the same four
bars from the same primer over the same chords; the soloist's own bars 5-8 and 13-16
are the reference.

Respond mode (the default, the follower) answers the same bars in the soloist's own
rhythm, each key's pitch the follower's (``bench_follower.follow``), primed the same way.

Figures per phrase of four bars: chord tones at onset (the chart chord sounding there),
leaps over a fifth, notes per bar, bars with a rest (two 16ths or more with no note
sounding), onsets off the beat, pitch range. Draw time: the phrase is asked
``LEAD_STEPS`` (a beat) before its first step is sent, so its margin is a beat minus the
time to draw it in this process (p5 and min at 120 and 300 qpm).

Live (``trading_live.py``, unless ``--no-live``): the same at 120 and 300 qpm through
the real backend with the models in their processes and the real bridge, the ready lead
of each phrase drawn in the models' child process and the skipped phrases, and the
yields read from the recorded session file.

    python -m bench trading [--seeds 3] [--live-turns 10] [--no-live]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from bench.bench_follower import Performance, Turn, follow, performances
from bench.stats import table
from bench.trading_live import live_runs
from psc_looper.bundles import DEFAULT_IMPROV_BUNDLE
from psc_looper.improv.follower import FollowOptions
from psc_looper.improv.phrases import draw_phrase
from psc_looper.improv.trading import LEAD_STEPS
from psc_looper.inference.configs import IMPROV_RNN
from psc_looper.inference.loader import load_generator
from psc_looper.inference.stepper import Stepper
from psc_looper.looper.recording import quantize
from psc_looper.models import ImprovModel
from psc_looper.models.notes import Note

BAR, TURN, FIFTH = 16, 64, 7
Line = list[tuple[int, int, int]]  # (step, duration, pitch), steps from the solo's start


def figures(line: Line, perf: Performance, first: int) -> dict[str, float]:
    """The figures of one four-bar phrase from ``first``."""
    line = sorted(n for n in line if first <= n[0] < first + TURN)
    pitches = [p for _, _, p in line]
    heard = [(p, perf.chord_at(s)) for s, _, p in line]
    tones = [p % 12 in c.pitch_classes for p, c in heard if c is not None]
    leaps = [abs(b - a) > FIFTH for a, b in pairwise(pitches)]
    sounding = np.zeros(TURN, bool)
    for step, duration, _ in line:
        sounding[step - first: min(step - first + max(duration, 1), TURN)] = True
    rests = 0
    for bar in range(TURN // BAR):
        silent = ~sounding[bar * BAR: (bar + 1) * BAR]
        runs = np.diff(np.flatnonzero(np.diff(np.r_[0, silent.astype(int), 0])))[::2]
        rests += bool(len(runs) and runs.max() >= 2)
    return {"chord": _share(tones), "leaps": _share(leaps), "notes/bar": len(line) / 4,
            "rest bars": rests / 4, "offbeat": _share([s % 4 != 0 for s, _, _ in line]),
            "range": float(max(pitches) - min(pitches)) if pitches else 0.0}


def _share(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else float("nan")


def soloist(perf: Performance, first: int) -> Line:
    return [(quantize(n.onset), max(1, quantize(n.end) - quantize(n.onset)), n.pitch)
            for n in perf.melody if first <= quantize(n.onset) < first + TURN]


def played(perf: Performance, first: int) -> list[tuple[float, float, int]]:
    return [(n.onset, n.end, n.pitch) for n in perf.melody
            if first - TURN <= n.onset < first]


def whole_line(model: ImprovModel, perf: Performance, first: int, seed: int) -> Line:
    start = first - TURN
    primer = [Note(quantize(o) - start, min(max(quantize(e), quantize(o) + 1), first) - start, p)
              for o, e, p in played(perf, first) if quantize(o) < first]
    chords = [perf.chord_at(start + k) for k in range(2 * TURN)]
    notes = model.generate(primer, TURN, primer_steps=TURN, chords=chords, seed=seed)
    return [(start + n.start_step, n.end_step - n.start_step, n.pitch) for n in notes]


def traded(stepper: Stepper, perf: Performance, first: int, seed: int,
           weight: float) -> tuple[Line, float]:
    heard = played(perf, first)
    start = max(int(min(o for o, _, _ in heard)), first - 64) if heard else first - 1
    chords = [perf.chord_at(s) for s in range(min(start, first - 1), first + TURN)]
    began = time.perf_counter()
    notes = draw_phrase(stepper.copy(), heard, chords, first, TURN,
                        np.random.default_rng(seed), weight)
    seconds = time.perf_counter() - began
    return [(n.step, n.duration, n.pitch) for n in notes], seconds


def responded(generator: object, perf: Performance, first: int, seed: int) -> Line:
    """Respond mode (the follower, the default): the soloist's own rhythm in the four
    bars, each key's pitch the follower's, primed with the four bars before."""
    melody = perf.melody
    phrase = [i for i, n in enumerate(melody) if first - TURN <= n.onset < first]
    keys = [i for i, n in enumerate(melody) if first <= n.onset < first + TURN]
    if not phrase or not keys:
        return []
    turn = Turn(phrase, phrase[-1], keys)
    outcome = follow(perf, [turn], generator, seed, FollowOptions(2.25, max_leap=7))
    return [(quantize(melody[k].onset),
             max(1, quantize(melody[k].end) - quantize(melody[k].onset)), pitch)
            for k, pitch in outcome.turns[0]]


def _mean(rows: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.fmean(r[k] for r in rows if not np.isnan(r[k])) for k in rows[0]}


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench trading")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--live-turns", type=int, default=10,
                        help="machine turns per tempo in the live runs")
    parser.add_argument("--no-live", action="store_true", help="leave out the live runs")
    args = parser.parse_args()
    perfs = performances()
    generator = load_generator(str(DEFAULT_IMPROV_BUNDLE), IMPROV_RNN)
    stepper = Stepper(generator)
    model = ImprovModel.load(DEFAULT_IMPROV_BUNDLE)
    rows: dict[str, list[dict[str, float]]] = {}
    draws: list[float] = []
    try:
        for perf in perfs:
            for first in (TURN, 3 * TURN):
                rows.setdefault("WJazzD soloist", []).append(
                    figures(soloist(perf, first), perf, first))
                for seed in range(args.seeds):
                    for weight in (2.25, 1.0):
                        line, seconds = traded(stepper, perf, first, seed, weight)
                        draws.append(seconds)
                        rows.setdefault(f"trade (weight {weight})", []).append(
                            figures(line, perf, first))
                    rows.setdefault("whole line ImprovRNN", []).append(
                        figures(whole_line(model, perf, first, seed), perf, first))
                    rows.setdefault("respond (follower, weight 2.25)", []).append(
                        figures(responded(generator, perf, first, seed), perf, first))
    finally:
        model.close()
    print(f"{len(perfs)} solos, 2 traded fours each, {args.seeds} seeds\n")
    columns = ["chord", "leaps", "notes/bar", "rest bars", "offbeat", "range"]
    print(table([(name, _mean(r)) for name, r in rows.items()], columns))
    ready = []
    for qpm in (120, 300):
        budget = LEAD_STEPS * 60 / (4 * qpm)
        margins = [budget - d for d in draws]
        ready.append((f"{qpm} qpm (budget {budget * 1000:.0f} ms)", {
            "p5 ms": float(np.percentile(margins, 5)) * 1000, "min ms": min(margins) * 1000,
            "skipped": float(sum(m < 0 for m in margins))}))
    print(f"\nphrase draw (64 steps): median {statistics.median(draws) * 1000:.1f} ms, "
          f"max {max(draws) * 1000:.1f} ms over {len(draws)} phrases; ready margin:")
    print(table(ready, ["p5 ms", "min ms", "skipped"]))
    if not args.no_live:
        live = live_runs((120, 300), args.live_turns)
        print("\nlive, single bars traded (models in their processes, the real bridge), "
              "ready lead in ms:")
        rows_live = [(f"{qpm} qpm", row) for qpm, row in live.items()]
        print(table(rows_live, ["lead p5", "lead min", "played", "skipped"]))
        print("yields from the session file, key to the last machine note-off in ms:")
        print(table(rows_live, ["yields", "in 5 ms", "yield p50", "yield p95", "cut ahead",
                                "yield max"]))


if __name__ == "__main__":
    main()
