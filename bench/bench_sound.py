"""Timing at the sound: click onsets in scsynth's recorded output, time-tagged vs untimed sending.

Starts the bridge (jackd + scsynth + sclang, as the tests do). Then, for each way of
sending, the real backend plays a one-bar 12/16 loop (a click on every 16th, 125 ms
apart at 120 qpm) for ``--seconds`` while the server records its output; the click
onsets found in the WAV are put on the loop's grid (``fit_grid``: origin and step
length fitted, since the JACK dummy driver's sample clock may run slow) and each
onset's distance from its grid time is the jitter at the sound. Time-tagged: loop
events go out ``lookahead`` early in bundles tagged with their step time, and the
server plays them at the tag. Untimed (``BackendConfig(timed=False)``): plain
messages sent at the step time, played when the server gets to them.

jackd runs with realtime scheduling as the bridge starts it (``--no-realtime``: without,
so that other processes on shared cores can starve the dummy driver's clock).
"Missed" clicks have no onset on their step: their bundle left the starved loop
thread after its time tag, so the bridge played it late, usually together with
the next one; "tag" is where the grid sits against the time tags (the recorder
starts up to one 64-sample block early: about +1 ms).

    python -m bench sound [--seconds 60] [--qpm 120] [--lookahead 0.1] [--no-realtime]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.stats import summary, table
from psc_looper.app import Backend, BackendConfig
from psc_looper.osc.protocol import DEFAULT_LOOKAHEAD_SECONDS
from psc_looper.sc.jack import NO_REALTIME_DUMMY_ARGS
from psc_looper.sc.onsets import fit_grid
from psc_looper.sc.testing import LiveBridge, running_bridge
from psc_looper.timing.meter import LoopStructure, Meter

COLUMNS = ("p50", "p99", "max", "raw p99", "tag", "clock")
OUTLIER = 0.002  # seconds off the grid counted separately
EVERY_16TH = LoopStructure(Meter(12, 16), 1)  # denominator 16: a click on every step


def late_lines(live: LiveBridge) -> int:
    """How many bundles scsynth has reported late so far (its ``late <seconds>`` lines)."""
    lines = live.process.log_path.read_text(errors="replace").splitlines()
    return sum(line.startswith("late ") for line in lines)


def per_sound(steps: list[int], residuals: list[float], loop_steps: int) -> np.ndarray:
    """Residuals less each loop position's median: every position always plays the same
    click sample, and the onset detector finds each sample's attack at its own constant
    offset (the cowbell of click0 differs from the woodblock of click2); that offset is
    not jitter. The raw spread is reported too (``raw p99``)."""
    positions = np.asarray(steps) % loop_steps
    values = np.asarray(residuals, dtype=float)
    out = values.copy()
    for position in np.unique(positions):
        mask = positions == position
        out[mask] -= np.median(values[mask])
    return out


def clicks_at_the_sound(live: LiveBridge, folder: Path, timed: bool, qpm: float,
                        seconds: float, lookahead: float) -> tuple[str, dict[str, float]]:
    """One run: the table row (jitter p50/p99/max, first click minus its tag, clock rate)."""
    backend = Backend(BackendConfig(listen_port=live.backend_port,
                                    bridge_port=live.process.port, qpm=qpm, timed=timed,
                                    structure=EVERY_16TH, lookahead=lookahead))
    late_before = late_lines(live)
    wav = folder / f"clicks-{'timed' if timed else 'untimed'}.wav"
    start = live.record_from(wav, lead=0.5)
    backend.start()
    time.sleep(max(0.0, start + 0.2 - time.time()))
    backend.looper.play()
    schedule = backend.looper.schedule
    time.sleep(seconds)
    backend.close()
    live.stop_recording()
    played = backend.looper.snapshot()
    # the last steps sent may be cut by the stop's panic: count up to two before
    counted = played.loop_count * EVERY_16TH.steps + played.position - 1
    step = schedule.step_seconds
    first = backend.clock.to_wall(schedule.time_of(0)) - start
    onsets = [t for t in live.onsets(wav)
              if first - step / 2 <= t < first + (counted - 0.5) * step]
    fit = fit_grid(onsets, step, first)
    missed = counted - len(set(fit.steps))
    errors = np.abs(per_sound(fit.steps, fit.residuals, EVERY_16TH.steps))
    late = late_lines(live) - late_before
    label = (f"{qpm:g} qpm {'time-tagged' if timed else 'untimed    '} ({len(onsets)} clicks, "
             f"{missed} missed, {int(np.sum(errors > OUTLIER))} > {OUTLIER * 1000:g} ms off, "
             f"{late} late at scsynth)")
    row = summary(errors)
    row["raw p99"] = float(np.percentile(np.abs(fit.residuals), 99) * 1000)
    row["tag"] = (fit.origin - first) * 1000  # where the grid sits against the time tags
    row["clock"] = (fit.step / step - 1) * 100  # the recording's clock rate, % off
    return label, row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--qpm", type=float, default=120.0)
    parser.add_argument("--lookahead", type=float, default=DEFAULT_LOOKAHEAD_SECONDS,
                        help="how early time-tagged events are sent (default %(default)s s)")
    parser.add_argument("--no-realtime", action="store_true",
                        help="run jackd without realtime scheduling")
    args = parser.parse_args(argv)
    jack = NO_REALTIME_DUMMY_ARGS if args.no_realtime else None
    with tempfile.TemporaryDirectory() as tmp, running_bridge(Path(tmp), jack_args=jack) as live:
        rows = [clicks_at_the_sound(live, Path(tmp), timed, args.qpm, args.seconds,
                                    args.lookahead)
                for timed in (True, False)]
    print(f"click onsets in scsynth's recording, distance from the fitted 16th grid (ms); "
          f"tag: grid origin minus time tag (ms); clock: recording clock rate (% off); "
          f"{args.seconds:g} s each, lookahead {args.lookahead:g} s")
    print(table(rows, COLUMNS))


if __name__ == "__main__":
    main()
