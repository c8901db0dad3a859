"""Band: the walking bass against held-out WJazzD bass lines, and the time to write a
chorus of the band.

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
first six shares from the WJazzD lines'. Then the time to write one 12-bar chorus of
bass and drums (p50, p95) against the length of that chorus at 300 qpm, and of the
learned bass alone.

    python -m bench band [--seed 1] [--bass-model PATH]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

BLUES = "F7 | Bb7 | F7 | Cm7 F7 | Bb7 | Bdim7 | F7 | D7 | Gm7 | C7 | F7 D7 | Gm7 C7"


def main(argv: list[str]) -> None:
    from psc_looper.band.bassnet import BassNet
    from psc_looper.band.drummer import Drummer
    from psc_looper.band.learned import LearnedBass
    from psc_looper.band.markov import MarkovBass
    from psc_looper.band.metrics import METRICS, chord_line, measure
    from psc_looper.band.parts import bass_part, drums_part
    from psc_looper.band.walker import Walker
    from psc_looper.bundles import DEFAULT_BASS_MODEL
    from psc_looper.harmony.chart import parse_chart
    from psc_looper.timing.meter import LoopStructure
    from psc_looper.training.bassdata import beat_bits, segments
    from psc_looper.training.basslines import bass_lines, held_out_ids

    parser = argparse.ArgumentParser(prog="bench band")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bass-model", type=Path, default=DEFAULT_BASS_MODEL,
                        help="the learned bass to measure (default: the shipped one)")
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
        digits = 1 if "(st" in metric else 2 if "bits" in metric else 3
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

    chart = parse_chart(BLUES)
    structure = LoopStructure(bars=12)
    walker, times = Walker(seed=args.seed), []
    for k in range(200):
        start = time.perf_counter()
        bass_part(walker, chart, 0, k * structure.steps, structure)
        drums_part(Drummer("swing", seed=k), chart, 0, k * structure.steps, structure)
        times.append(time.perf_counter() - start)
    times.sort()
    chorus_s = 48 * 60 / 300
    p50, p95 = statistics.median(times) * 1000, times[int(0.95 * (len(times) - 1))] * 1000
    print(f"\none 12-bar chorus of bass and drums: p50 {p50:.2f} ms, p95 {p95:.2f} ms; "
          f"the chorus lasts {chorus_s:.1f} s at 300 qpm (p95 = {p95 / chorus_s / 10:.3f}% of it)")
    learned, times = LearnedBass(seed=args.seed, net=net), []
    for k in range(100):
        start = time.perf_counter()
        bass_part(learned, chart, 0, k * structure.steps, structure)
        times.append(time.perf_counter() - start)
    times.sort()
    p50, p95 = statistics.median(times) * 1000, times[int(0.95 * (len(times) - 1))] * 1000
    print(f"one 12-bar chorus of the learned bass (NumPy engine): p50 {p50:.2f} ms, "
          f"p95 {p95:.2f} ms (p95 = {p95 / chorus_s / 10:.3f}% of the chorus)")


if __name__ == "__main__":
    main(sys.argv[1:])
