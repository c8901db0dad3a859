"""Jazz time: a take's playback against the take as played, and what a long loop costs.

1. Onset error (virtual clock): a 12-bar walking bass in 8ths, swung at the loop's ratio
   and played with a human feel (each note 6 ms late on average, 5 ms spread, seeded),
   recorded in one take; its next chorus is compared note by note with what was played:
   |playback onset - played onset| p50 / p95 / max (ms), at 120 and 240 qpm, straight and
   swung (0.6, 0.667), the feel kept (the default), quantized to the loop's grid, and the
   baseline: the swung take in a straight loop, quantized (every take before swing and
   the feel were kept: the off-beats come back dotted).
2. Cost per step and per key (CPU time of ``Looper.tick`` and of a key's note-on through
   the dispatcher), a 64-bar loop of four layers (bass and chords, a record and an
   overdub each, 8ths) and a drum part against a 2-bar loop of the same density, the
   two measured interleaved in one run: p50 / p99 (ms) and the 64-bar : 2-bar ratio.
3. Memory of that 64-bar loop: Python heap allocated by its notes and the looper
   (``tracemalloc``) and the process's peak RSS.
4. With ``--real SECONDS``, on the real clock (loop threads as ``psc-looper run`` runs
   them, output captured in process): the onset error of a 4-bar take played by a thread
   sleeping to each note's time (its wake-ups are the player's timing as the backend
   hears it), and the 64-bar and 2-bar loops running side by side for SECONDS, untimed:
   each loop batch's send time against its scheduled time (p50 / p99 / max, ms, ratio).

    python -m bench time [--choruses 3] [--steps 20000] [--keys 4000] [--real 30]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc

from pythonosc.osc_message_builder import build_msg

from bench.stats import summary, table
from psc_looper.app import Backend, BackendConfig
from psc_looper.looper.layers import Layer
from psc_looper.looper.notes import Instrument, LoopNote, Track
from psc_looper.looper.switch import LoopSettings
from psc_looper.osc.ports import CaptureOutput
from psc_looper.osc.protocol import NOTE_OFF, NOTE_ON
from psc_looper.rig import VirtualRig
from psc_looper.timing.clock import RealClock
from psc_looper.timing.meter import LoopStructure, Meter, step_seconds
from psc_looper.timing.swing import warp

WALK = (36, 38, 40, 41, 43, 45, 47, 48, 50, 48, 47, 45, 43, 41, 40, 38)
FEEL_MEAN, FEEL_SPREAD, FEEL_LIMIT = 0.006, 0.005, 0.02  # seconds late (a laid-back bass)
BARS = 12
COLUMNS = ("p50", "p95", "max")


def played_take(qpm: float, swing: float, quantize: bool, seed: int,
                loop_swing: float | None = None) -> list[float]:
    """The onset errors (s) of one chorus of playback against the take as played, the
    player swinging at ``swing`` and the loop at ``loop_swing`` (default: the same)."""
    loop_swing = swing if loop_swing is None else loop_swing
    rig = VirtualRig(BackendConfig(qpm=qpm, swing=loop_swing,
                                   structure=LoopStructure(Meter(), BARS)))
    if quantize:
        rig.backend.actions.run("quantize", "bass", 127)
    rng = random.Random(seed)
    rig.press(41)  # play
    loop = BARS * 16
    rig.advance_to_step(loop - 8)
    rig.backend.actions.run("record", "bass", 127)
    base = rig.step_time(loop)
    step = step_seconds(qpm)
    played = []
    for k in range(BARS * 8):
        late = min(FEEL_LIMIT, max(-FEEL_LIMIT, rng.gauss(FEEL_MEAN, FEEL_SPREAD)))
        played.append((base + warp(2 * k, swing) * step + late, WALK[k % len(WALK)]))
    held = 2 * step * (1 - swing) * 1.6  # legato
    events = sorted([(t, NOTE_ON, p) for t, p in played] + [(t + held, NOTE_OFF, p)
                                                            for t, p in played])
    for t, address, pitch in events:
        rig.advance_to(t)
        rig.send(address, pitch, 90 if address == NOTE_ON else 0, 0, "keyboard")
    chorus = rig.step_time(2 * loop)
    rig.advance_to_step(3 * loop + 4)
    heard = [s.at for s in rig.sent if s.address == "/playbass" and s.at is not None
             and s.at >= chorus - 0.05][:len(played)]
    rig.backend.close()
    return [abs((h - chorus) - (t - base)) for h, (t, _) in zip(heard, played, strict=True)]


def onset_rows(choruses: int) -> list[tuple[str, dict[str, float]]]:
    """Per tempo and swing: the feel kept, quantized to the swung grid, and the baseline
    (a straight loop quantizing the swung take, as before swing and feel were kept)."""
    rows = []
    for qpm in (120, 240):
        for swing in (0.5, 0.6, 2 / 3):
            ways = [("feel kept", False, None), ("quantized", True, None)]
            if swing != 0.5:
                ways.append(("straight loop, quantized (before)", True, 0.5))
            for how, quantize, loop_swing in ways:
                errors = [e for seed in range(choruses)
                          for e in played_take(qpm, swing, quantize, seed, loop_swing)]
                rows.append((f"{qpm} qpm swing {swing:.3g} {how}", summary(errors)))
    return rows


def loop_notes(bars: int) -> tuple[list[Layer], list[LoopNote]]:
    """Four layers of 8ths (bass and chords, a record and an overdub each) and a drum part
    of 16ths, over ``bars`` bars of 4/4."""
    steps = range(0, bars * 16, 2)

    def layer(track: Track, low: int, replaces: bool) -> Layer:
        instrument = Instrument.BASS if track is Track.BASS else Instrument.CHORDS
        return Layer(track, tuple(LoopNote(s, track, instrument, low + s % 12, 80, 1, 0.05)
                                  for s in steps), replaces)

    layers = [layer(Track.BASS, 36, True), layer(Track.BASS, 48, False),
              layer(Track.CHORDS, 60, True), layer(Track.CHORDS, 64, False)]
    drums = [LoopNote(s, Track.DRUMS, Instrument.RIDE, 51, 70) for s in range(bars * 16)]
    return layers, drums


def loaded_rig(bars: int) -> VirtualRig:
    rig = VirtualRig(BackendConfig(structure=LoopStructure(Meter(), bars), swing=0.6))
    layers, drums = loop_notes(bars)
    rig.looper.switch_at_loop_start(LoopSettings(f"{bars} bars", layers=(layers, []),
                                                 tracks={Track.DRUMS: drums}))
    return rig


def cost_rows(steps: int, keys: int) -> list[tuple[str, dict[str, float]]]:
    """Tick and key costs of a 64-bar and a 2-bar loop, interleaved step by step."""
    rigs = {64: loaded_rig(64), 2: loaded_rig(2)}
    ticks: dict[int, list[float]] = {64: [], 2: []}
    notes: dict[int, list[float]] = {64: [], 2: []}
    for rig in rigs.values():
        rig.press(41)
    every = max(1, steps // keys)
    order = list(rigs.items())
    for k in range(steps):
        for bars, rig in order if k % 2 else order[::-1]:  # neither always goes first
            due = rig.looper.next_due()
            assert due is not None
            rig.clock.advance_to(due[1] - rig.looper.lookahead)
            start = time.perf_counter()
            rig.looper.tick(due[0])
            ticks[bars].append(time.perf_counter() - start)
            if k % every == 0:
                start = time.perf_counter()
                rig.send(NOTE_ON, 60 + k % 12, 90, 0, "keyboard")
                notes[bars].append(time.perf_counter() - start)
                rig.send(NOTE_OFF, 60 + k % 12, 0, 0, "keyboard")
            if len(rig.output.sent) > 10_000:
                rig.output.clear()
    rows = []
    for what, times in (("step", ticks), ("key", notes)):
        long, short = summary(times[64]), summary(times[2])
        rows.append((f"{what}: 64 bars x 4 layers + drums", long))
        rows.append((f"{what}: 2 bars x 4 layers + drums", short))
        rows.append((f"{what}: ratio 64 : 2", {c: long[c] / short[c] for c in long}))
    for rig in rigs.values():
        rig.backend.close()
    return rows


def memory_mb() -> tuple[float, float]:
    """(heap MB the 64-bar loop's notes and looper take, peak RSS MB of the process)."""
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    rig = loaded_rig(64)
    rig.press(41)
    rig.advance_to_step(64 * 16 + 8)  # one whole loop played
    rig.output.clear()
    after = tracemalloc.take_snapshot()
    heap = sum(s.size_diff for s in after.compare_to(before, "filename")) / 2**20
    tracemalloc.stop()
    rig.backend.close()
    return heap, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def real_backend(bars: int, swing: float, qpm: float = 120, timed: bool = True,
                 loaded: bool = False) -> Backend:
    """A backend on the real clock, its loop thread running, its output captured."""
    clock = RealClock()
    backend = Backend(BackendConfig(qpm=qpm, swing=swing, timed=timed,
                                    structure=LoopStructure(Meter(), bars)),
                      clock, CaptureOutput(clock))
    if loaded:
        layers, drums = loop_notes(bars)
        backend.looper.switch_at_loop_start(LoopSettings(f"{bars} bars", layers=(layers, []),
                                                         tracks={Track.DRUMS: drums}))
    backend.transport.start()
    return backend


def real_take(qpm: float, swing: float, seed: int, bars: int = 4) -> list[float]:
    """Onset errors (s) of a take's next chorus against the times it was played, played by
    this thread sleeping to each note (real clock)."""
    backend = real_backend(bars, swing, qpm)
    looper, clock = backend.looper, backend.clock
    output = backend.output
    assert isinstance(output, CaptureOutput)
    loop = bars * 16
    looper.play()
    backend.actions.run("record", "bass", 127)
    base, step = looper.schedule.time_of(loop), step_seconds(qpm)
    rng = random.Random(seed)
    played = []
    for k in range(bars * 8):
        late = min(FEEL_LIMIT, max(-FEEL_LIMIT, rng.gauss(FEEL_MEAN, FEEL_SPREAD)))
        played.append((base + warp(2 * k, swing) * step + late, WALK[k % len(WALK)]))
    held = 2 * step * (1 - swing) * 1.6
    events = sorted([(t, NOTE_ON, p) for t, p in played] + [(t + held, NOTE_OFF, p)
                                                            for t, p in played])
    arrived = {}
    for t, address, pitch in events:
        clock.sleep_until(t)
        if address == NOTE_ON:
            arrived[len(arrived)] = clock.now()
        backend.dispatcher.dispatch(build_msg(address, [pitch, 90 if address == NOTE_ON else 0,
                                                        0, "keyboard"]).dgram)
    chorus = looper.schedule.time_of(2 * loop)
    clock.sleep_until(looper.schedule.time_of(3 * loop))
    heard = [s.at for s in output.sent if s.address == "/playbass" and s.at is not None
             and s.at >= chorus - 0.05][:len(played)]
    backend.close()
    return [abs((h - chorus) - (t - base)) for h, (t, _) in zip(heard, played, strict=True)]


def real_rows(seconds: float) -> list[tuple[str, dict[str, float]]]:
    rows = []
    for qpm in (120, 240):
        for swing in (0.5, 0.6, 2 / 3):
            rows.append((f"real clock {qpm} qpm swing {swing:.3g} feel kept",
                         summary(real_take(qpm, swing, seed=1))))
    backends = {bars: real_backend(bars, 0.6, timed=False, loaded=True) for bars in (64, 2)}
    for backend in backends.values():
        backend.looper.play()
    time.sleep(seconds)
    late: dict[int, list[float]] = {}
    for bars, backend in backends.items():
        backend.close()
        output = backend.output
        assert isinstance(output, CaptureOutput)
        late[bars] = [s.sent - s.at for s in output.sent if s.at is not None
                      and s.address.startswith("/play")]
    long, short = summary(late[64]), summary(late[2])
    rows += [("untimed send vs schedule, 64 bars", long),
             ("untimed send vs schedule, 2 bars", short),
             ("ratio 64 : 2", {c: long[c] / short[c] for c in long})]
    return rows


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--choruses", type=int, default=3)
    parser.add_argument("--steps", type=int, default=20000)
    parser.add_argument("--keys", type=int, default=4000)
    parser.add_argument("--real", type=float, default=0.0, metavar="SECONDS",
                        help="also measure on the real clock, the loops side by side this long")
    args, _ = parser.parse_known_args(argv)  # `python -m bench` passes every script's options
    print("playback onset vs the take as played (ms), 12-bar walking bass, virtual clock")
    print(table(onset_rows(args.choruses), COLUMNS))
    print("\nCPU per step and per key (ms), interleaved, swing 0.6")
    print(table(cost_rows(args.steps, args.keys), ("p50", "p99", "max")))
    heap, rss = memory_mb()
    print(f"\nmemory: 64-bar loop, 4 layers + drums: {heap:.2f} MB heap; "
          f"process peak RSS {rss:.0f} MB")
    if args.real:
        print(f"\nreal clock (ms): a 4-bar take; then the loops side by side {args.real:g} s")
        print(table(real_rows(args.real), ("p50", "p95", "p99", "max")))


if __name__ == "__main__":
    main(sys.argv[1:])
