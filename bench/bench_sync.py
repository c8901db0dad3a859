"""Playing with others, measured (``psc_looper.sync``).

- Link: the backend and a second Link peer in one process, inside a network namespace
  that holds only the loopback (root and ``unshare``: no Link traffic leaves the
  machine). Phase difference (ms) between the loop's steps and the peer's beats,
  p50 / p99 / max, at a steady tempo and after a tempo change made by either side;
  how long the change took to be followed.
- MIDI clock out: the interval between pulses as the bridge sends them (the captured
  clock output, sclang's clock), against the ideal, p50 / p99 / max (ms): the loop's
  pulses time-tagged (the default) and untimed (``--untimed``: sent at their time),
  in the same run.
- MIDI clock in: the followed tempo's error (qpm) after 1, 4 and 16 beats of a clock
  with +-1 ms jitter (median and max over seeds), and of a ramp (+2 qpm a second).

Targets: Link phase p99 <= 1 ms; clock out p99 <= 1 ms; clock in within 0.5 qpm
after 4 beats.

    python -m bench sync [--seconds 20] [--clock-seconds 10] [--seeds 50]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.stats import table
from psc_looper.app import Backend, BackendConfig
from psc_looper.osc.protocol import CLOCK_PULSE
from psc_looper.rig.linkcheck import isolated
from psc_looper.sc.testing import running_bridge
from psc_looper.sync import SyncOptions
from psc_looper.sync.follow import PulseFit

COLUMNS = ("p50", "p99", "max")


def bench_link(seconds: float) -> None:
    done = isolated([sys.executable, "-m", "psc_looper.rig.linkcheck", str(seconds)],
                    timeout=seconds * 4 + 60)
    if done.returncode != 0:
        print(done.stderr[-2000:])
        return
    got = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"Link, two peers on loopback only ({seconds:g} s steady, 120 bpm; phase ms):")
    print(table([("steady", got["steady"]),
                 ("after the peer's 120->100", got["after_peer_change"]),
                 ("after the knob's 100->140", got["after_local_change"])], COLUMNS))
    print(f"peer found in {got['discovered_s']:.2f} s; the peer's tempo followed "
          f"(loop within 1 qpm) in {got['peer_tempo_followed_s']:.2f} s; the knob's "
          f"tempo at the peer in {got['local_tempo_at_peer_s'] * 1000:.0f} ms")


def pulse_jitter(seconds: float, timed: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, running_bridge(Path(tmp)) as live:
        backend = Backend(BackendConfig(listen_port=live.backend_port,
                                        bridge_port=live.process.port, timed=timed,
                                        qpm=120.0, sync=SyncOptions(clock_out="sim")))
        backend.start()
        try:
            live.request("/sim/clockout", 1, reply="/sim/clockout")
            since = time.time()
            backend.looper.play()
            time.sleep(seconds)
            backend.looper.stop()
            time.sleep(0.5)
        finally:
            backend.close()
        pulses = np.array([r.args[2] for r in live.matching("/sim/clocked", since=since)
                           if r.args[0] == CLOCK_PULSE])
    error = np.abs(np.diff(pulses) - 0.5 / 24) * 1000
    return {"p50": float(np.percentile(error, 50)), "p99": float(np.percentile(error, 99)),
            "max": float(error.max()), "n": float(len(error))}


def bench_clock_out(seconds: float) -> None:
    rows = [("time-tagged", pulse_jitter(seconds, True)), ("untimed", pulse_jitter(seconds, False))]
    print(f"\nMIDI clock out at the bridge, 120 qpm, {seconds:g} s each: pulse interval "
          "minus the ideal (ms)")
    print(table(rows, COLUMNS))


def fit_error(beats: int, seed: int, ramp: float, jitter: float = 0.001) -> float:
    """The fit's tempo error after ``beats`` beats (qpm), jittered or on a ramp."""
    rng = random.Random(seed)
    fit, t, qpm = PulseFit(), 0.0, 120.0
    for _ in range(beats * 24):
        fit.add(t + rng.uniform(-jitter, jitter))
        qpm = 120.0 + ramp * t
        t += 60.0 / qpm / 24
    got = fit.qpm
    return abs((got if got is not None else 0.0) - qpm)


def bench_clock_in(seeds: int) -> None:
    print(f"\nMIDI clock in: tempo error (qpm) of the followed clock, {seeds} seeds")
    print(f"{'':<28}{'1 beat':>10}{'4 beats':>10}{'16 beats':>10}")
    for name, ramp in (("120 qpm, +-1 ms jitter", 0.0), ("ramp +2 qpm/s, +-1 ms", 2.0)):
        errors = [[fit_error(b, s, ramp) for s in range(seeds)] for b in (1, 4, 16)]
        medians = "".join(f"{np.median(e):>10.3f}" for e in errors)
        maxima = "".join(f"{max(e):>10.3f}" for e in errors)
        print(f"{name + ' (median)':<28}{medians}\n{name + ' (max)':<28}{maxima}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="Link steady run")
    parser.add_argument("--clock-seconds", type=float, default=10.0)
    parser.add_argument("--seeds", type=int, default=50)
    args = parser.parse_args()
    bench_link(args.seconds)
    bench_clock_out(args.clock_seconds)
    bench_clock_in(args.seeds)


if __name__ == "__main__":
    main()
