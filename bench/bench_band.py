"""Band: the walking bass against held-out WJazzD bass lines; the drums per style and
the drummers compared; the time to generate a chorus of the band.

Held out: the shipped improv bundle's whole solos (``bundles/improv.heldout.txt``).
On the chords of each held-out solo, beat by beat, the rule walker and Markov baselines
(order 1 and 2 over intervals and the chord-tone class they land on, trained on the
other solos' bass lines) and the learned bass (``band.learned``: the shipped
``bundles/bass.npz``, sampled freely, and fitted: root where the chord changes, chord
tones on the other strong beats) each play a line; the table measures them and the
WJazzD lines themselves (estimates from the recordings, noisy). Bits per beat: the
-log2 likelihood of the held-out lines under the Markov models and the free learned
model, on the same beats and the same pitches (the register within an octave of the
last note), over all beats and split by where the beat falls (on a chord change, on
the beat before one, elsewhere). "Shares off the reference": the mean distance of the
first six shares from the WJazzD lines'.

Drums (``band.drumstats``): choruses of each style as the band plays them (its seeds),
then the pattern drummer against the beat builder (from each chorus's walking bass) and
the shipped DrumsRNN (primed with the beat) on the same choruses. Then the time to
generate one chorus of bass and drums (p50, p95; what the band's worker runs) against
the length of that chorus at 300 qpm, for a 12-bar blues and 32-bar rhythm changes, and
of the learned bass alone.

    python -m bench band [--seed 1] [--bass-model PATH] [--drumsrnn 4]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from bench.stats import summary
from psc_looper.band.bassnet import BassNet
from psc_looper.band.drummer import STYLES
from psc_looper.band.drumstats import DRUM_METRICS, cymbal_grid, measure_drums
from psc_looper.band.parts import Chorus, chorus, chorus_seed, choruses
from psc_looper.harmony.chart import Chart, parse_chart
from psc_looper.timing.meter import LoopStructure, Meter

BLUES = "F7 | Bb7 | F7 | Cm7 F7 | Bb7 | Bdim7 | F7 | D7 | Gm7 | C7 | F7 D7 | Gm7 C7"
RHYTHM = ("Bb6 G7 | Cm7 F7 | Bb6 G7 | Cm7 F7 | Fm7 Bb7 | Eb6 Edim7 | Bb6 F7 | Bb6 | "
          "Bb6 G7 | Cm7 F7 | Bb6 G7 | Cm7 F7 | Fm7 Bb7 | Eb6 Edim7 | Bb6 F7 | Bb6 | "
          "D7 | D7 | G7 | G7 | C7 | C7 | F7 | F7 | "
          "Bb6 G7 | Cm7 F7 | Bb6 G7 | Cm7 F7 | Fm7 Bb7 | Eb6 Edim7 | Bb6 F7 | Bb6")
WALTZ = "Bbmaj7 | Gm7 | Cm7 | F7 | Dm7 | G7 | Cm7 | F7"
QPM = 300.0
CHORUSES = 8  # per style


def main(argv: list[str]) -> None:
    from psc_looper.band.learned import LearnedBass
    from psc_looper.band.markov import MarkovBass
    from psc_looper.band.metrics import METRICS, chord_line, measure
    from psc_looper.band.walker import Walker
    from psc_looper.bundles import DEFAULT_BASS_MODEL
    from psc_looper.training.bassdata import beat_bits, segments
    from psc_looper.training.basslines import bass_lines, held_out_ids

    parser = argparse.ArgumentParser(prog="bench band")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bass-model", type=Path, default=DEFAULT_BASS_MODEL,
                        help="the learned bass to measure (default: the shipped one)")
    parser.add_argument("--drumsrnn", type=int, default=4, metavar="N",
                        help="choruses of the shipped DrumsRNN in the drummers' comparison "
                             "(0: leave it out)")
    args = parser.parse_args(argv)
    net = BassNet.load(args.bass_model)

    lines = bass_lines()
    held = held_out_ids()
    test = {k: v for k, v in lines.items() if k in held}
    train = [line for k, (_, line) in lines.items() if k not in held]
    print(f"{len(lines)} solos with bass lines; {len(test)} held out "
          f"({sum(len(v[1]) for v in test.values())} beats), {len(train)} to train on")

    def relined(line, pitches):  # type: ignore[no-untyped-def]
        return chord_line([b.chord for b in line], [b.in_bar for b in line], pitches)

    def walked(make):  # type: ignore[no-untyped-def]
        for n, (numerator, line) in enumerate(test.values()):
            pitches: list[int | None] = [None] * len(line)
            for note in make(numerator, args.seed + n).walk([b.chord for b in line]):
                pitches[note.beat] = note.pitch
            yield relined(line, pitches)

    rows = {"WJazzD bass (reference)": measure(line for _, line in test.values())}
    rows["rule walker"] = measure(walked(lambda beats, seed: Walker(beats, seed=seed)))
    rows["learned"] = measure(walked(lambda beats, seed: LearnedBass(beats, seed=seed, net=net,
                                                                     fit=False)))
    rows["learned + fit"] = measure(walked(lambda beats, seed: LearnedBass(beats, seed=seed,
                                                                           net=net)))
    segs = [s for _, line in test.values() for s in segments(line)]
    kinds = [("on a change" if b.change else "before a change" if b.following != b.chord
              else "other beats") for s in segs for b in s.beats]
    bits = {"learned": beat_bits(net, segs)}
    for order in (1, 2):
        model = MarkovBass(order).train(train)
        name = f"Markov order {order}"
        rows[name] = measure(relined(line, model.generate(line, args.seed + n))
                             for n, (_, line) in enumerate(test.values()))
        bits[name] = model.beat_bits(line for _, line in test.values())
    reference, shares = rows["WJazzD bass (reference)"], METRICS[:6]
    width = max(len(m) for m in METRICS) + 2
    print("\n" + "".ljust(width) + "".join(f"{name[:22]:>24}" for name in rows))
    for metric in METRICS:
        digits = 0 if "pitch" in metric else 1 if "(st" in metric else 2 if "bits" in metric \
            else 3
        print(metric.ljust(width) + "".join(f"{row[metric]:>24.{digits}f}"
                                            for row in rows.values()))
    print("shares off the reference".ljust(width) + "".join(
        f"{sum(abs(row[m] - reference[m]) for m in shares) / len(shares):>24.3f}"
        for row in rows.values()))
    for kind in ("all", "on a change", "before a change", "other beats"):
        means = {name: statistics.fmean(b for b, k in zip(values, kinds, strict=True)
                                        if kind in ("all", k)) for name, values in bits.items()}
        label = "bits per beat (held out)" if kind == "all" else f"  bits, {kind}"
        print(label.ljust(width) + "".join(
            f"{means[name]:>24.2f}" if name in means else f"{'-':>24}" for name in rows))

    chorus_times(args.seed)
    learned_chorus_time(net, args.seed)
    drums_tables(args.seed, args.drumsrnn)


def chorus_times(seed: int, calls: int = 200) -> None:
    """Time to generate one chorus of bass and drums (``parts.chorus``, what the band's
    worker runs) against how long that chorus plays at ``QPM``."""
    print(f"\ntime to generate a chorus of bass and drums against its length at {QPM:g} qpm")
    for name, text in (("12-bar blues", BLUES), ("32-bar rhythm changes", RHYTHM)):
        chart = parse_chart(text)
        structure = LoopStructure(bars=len(chart.bars))
        first = choruses(chart, structure, "swing", seed, 1)[0]
        times = []
        for k in range(calls):
            plan = replace(first.plan, seed=chorus_seed(seed, k + 1),
                           loop_start=k * structure.steps)
            start = time.perf_counter()
            chorus(plan)
            times.append(time.perf_counter() - start)
        stats = summary(times)
        length_ms = structure.steps * 60 / QPM / 4 * 1000
        print(f"  {name}: p50 {stats['p50']:.2f} ms, p95 {stats['p95']:.2f} ms; the chorus "
              f"lasts {length_ms / 1000:.1f} s (p95 = {stats['p95'] / length_ms:.5f} of it)")


def learned_chorus_time(net: BassNet, seed: int, calls: int = 100) -> None:
    """Time to walk one 12-bar chorus with the learned bass (fitted, on the NumPy engine)."""
    from psc_looper.band.learned import LearnedBass
    from psc_looper.band.parts import bass_part

    chart = parse_chart(BLUES)
    structure = LoopStructure(bars=len(chart.bars))
    learned, times = LearnedBass(seed=seed, net=net), []
    for k in range(calls):
        start = time.perf_counter()
        bass_part(learned, chart, 0, k * structure.steps, structure)
        times.append(time.perf_counter() - start)
    stats = summary(times)
    length_ms = structure.steps * 60 / QPM / 4 * 1000
    print(f"  12-bar blues, the learned bass alone: p50 {stats['p50']:.2f} ms, "
          f"p95 {stats['p95']:.2f} ms (p95 = {stats['p95'] / length_ms:.5f} of the chorus)")


def drums_tables(seed: int, drumsrnn: int) -> None:
    """The drummer per style, then the pattern drummer against the beat builder and the
    shipped DrumsRNN over the same walking bass (12-bar blues, swing)."""
    print(f"\ndrums: {CHORUSES} choruses per style, from the band's seeds; 'change' is "
          "1 - the Jaccard overlap of one chorus's hits with the next's")
    blues, waltz = parse_chart(BLUES), parse_chart(WALTZ)
    rows: dict[str, dict[str, float]] = {}
    grids: dict[str, str] = {}
    for style in STYLES:
        chart = waltz if style == "waltz" else blues
        structure = LoopStructure(Meter(3 if style == "waltz" else 4, 4), len(chart.bars))
        made = [c.drums for c in choruses(chart, structure, style, seed, CHORUSES)]
        rows[style] = measure_drums(made, structure)
        grids[style] = cymbal_grid(made, structure)
    _drum_table(rows)
    print("\nthe time-keeping cymbal (ride, or the bossa's closed hi-hat) on the 16th grid, "
          "X in 90% of bars, x 50%, . some, - none:")
    for style, grid in grids.items():
        print(f"  {style:<8}{grid}")
    _drummers(blues, seed, drumsrnn)


def _drummers(chart: Chart, seed: int, drumsrnn: int) -> None:
    from psc_looper.band.drummer import Drummer
    from psc_looper.band.parts import drums_part
    from psc_looper.bundles import DEFAULT_DRUMS_BUNDLE
    from psc_looper.drums.beat import build_beat
    from psc_looper.drums.groove import generate_groove
    from psc_looper.models import DrumsModel, Sampling

    structure = LoopStructure(bars=12)
    band: list[Chorus] = choruses(chart, structure, "swing", seed, CHORUSES)
    parts = {"pattern drummer": [c.drums for c in band]}
    times: dict[str, list[float]] = {"pattern drummer": [], "beat builder": []}
    for c in band:
        start = time.perf_counter()
        drums_part(Drummer("swing", seed=c.plan.seed), c.plan.chart, 0, c.plan.loop_start,
                   structure)
        times["pattern drummer"].append(time.perf_counter() - start)
    beats = []
    for c in band:
        start = time.perf_counter()
        beats.append(build_beat(structure, c.bass))
        times["beat builder"].append(time.perf_counter() - start)
    parts["beat builder"] = beats
    if drumsrnn:
        model = DrumsModel.load(DEFAULT_DRUMS_BUNDLE)
        try:
            grooves, primer = [], beats[0]
            times["DrumsRNN (shipped)"] = []
            for k in range(drumsrnn):
                start = time.perf_counter()
                primer = generate_groove(model, primer, structure, Sampling(seed=seed + k))
                times["DrumsRNN (shipped)"].append(time.perf_counter() - start)
                grooves.append(primer)
            parts["DrumsRNN (shipped)"] = grooves
        finally:
            model.close()
    print("\nthe drummers over the band's walking bass (12-bar blues, swing; the beat builder "
          "from each chorus's bass, DrumsRNN primed with the beat, then its own last groove):")
    rows = {name: measure_drums(p, structure) for name, p in parts.items()}
    length_ms = structure.steps * 60 / QPM / 4 * 1000
    for name, t in times.items():
        rows[name]["ms per chorus (p50)"] = summary(t)["p50"]
        rows[name]["% of a chorus, 300 qpm"] = 100 * summary(t)["p50"] / length_ms
    _drum_table(rows)
    for name, p in parts.items():
        print(f"  {name:<20}{cymbal_grid(p, structure)}")


def _drum_table(rows: dict[str, dict[str, float]]) -> None:
    metrics = list(next(iter(rows.values())))
    width = max(len(m) for m in [*metrics, *DRUM_METRICS]) + 2
    print("".ljust(width) + "".join(f"{name[:18]:>20}" for name in rows))
    for metric in metrics:
        print(metric.ljust(width) + "".join(f"{row[metric]:>20.3f}" for row in rows.values()))


if __name__ == "__main__":
    main(sys.argv[1:])
