"""Measure the bridge: start-up times, OSC round trip, how exactly time-tagged events sound.

    .venv/bin/python -m psc_looper.sc.measure [--clicks 20]

Starts its own jackd (if none runs) + scsynth + sclang, like the tests, and
prints one line per figure. Onset offsets come from the recorded WAV (its first
sample is at a known wall-clock time), so they measure the server's timeline.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from psc_looper.osc.protocol import Instrument
from psc_looper.sc.testing import LiveBridge, running_bridge


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def click_offsets(live: LiveBridge, folder: Path, clicks: int, gap: float) -> list[float]:
    """Onset time minus time tag, in seconds, for ``clicks`` clicks ``gap`` apart."""
    wav = folder / "measure.wav"
    start = live.record_from(wav)
    tags = [0.3 + i * gap for i in range(clicks)]
    for tag in tags:
        live.play(Instrument.CLICK_BAR, at=start + tag)
    time.sleep(max(0.0, start + tags[-1] + 0.3 - time.time()))
    live.stop_recording()
    onsets = live.onsets(wav)
    if len(onsets) != clicks:
        raise RuntimeError(f"expected {clicks} onsets, found {len(onsets)}")
    return [onset - tag for onset, tag in zip(onsets, tags, strict=True)]


def monitor_offsets(live: LiveBridge, clicks: int) -> list[float]:
    """Arrival of the monitor's onset report minus the time tag, in seconds."""
    live.monitor()
    offsets = []
    for _ in range(clicks):
        tag = time.time() + 0.2
        live.play(Instrument.CLICK_BAR, at=tag)
        offsets.append(live.first("/bridge/onset", since=tag - 0.15, timeout=2).wall - tag)
        time.sleep(0.15)
    return offsets


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=20)
    parser.add_argument("--pings", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        begin = time.perf_counter()
        with running_bridge(Path(tmp)) as live:
            timings = live.process.timings
            print(f"jackd start        {timings['jackd']:.2f} s (0: one was running)")
            print(f"sclang+scsynth     {timings['bridge']:.2f} s to the first answered ping")
            rtts = [live.ping() * 1000 for _ in range(args.pings)]
            print(f"OSC round trip     median {statistics.median(rtts):.3f} ms, "
                  f"p95 {percentile(rtts, 0.95):.3f} ms, max {max(rtts):.1f} ms")
            offsets = [o * 1000 for o in click_offsets(live, Path(tmp), args.clicks, 0.25)]
            spread = max(offsets) - min(offsets)
            print(f"WAV onset - tag    median {statistics.median(offsets):+.3f} ms, "
                  f"min {min(offsets):+.3f}, max {max(offsets):+.3f} (spread {spread:.3f} ms)")
            heard = [o * 1000 for o in monitor_offsets(live, min(10, args.clicks))]
            print(f"monitor report - tag median {statistics.median(heard):+.1f} ms, "
                  f"min {min(heard):+.1f}, max {max(heard):+.1f}")
            stop = time.perf_counter()
        print(f"stop (quit + groups) {time.perf_counter() - stop:.2f} s; "
              f"whole run {time.perf_counter() - begin:.1f} s")


if __name__ == "__main__":
    main()
