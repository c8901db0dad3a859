"""What the machine does with two-handed material: replay a file of ``material/`` with
improv on and measure against its ground truth (``NAME.hands.json``).

Per file: takeovers (the machine's turns), the jump at each takeover (the pianist's
last melody note to the machine's first), leaps over a fifth in the machine's lines
against the pianist's melody, machine notes at or under the accompaniment sounding
then, accompaniment keys the machine took over (should pass through), melody keys passed
through inside the machine's turn (taken for the left hand), note-ons without
note-off in the output session, and the share of the machine's notes and of the
pianist's own melody notes that are tones of the chord the accompaniment struck in
the two seconds before them (``harmony.infer.chord_of``). Used by
``python -m bench pianist`` and the tests.
"""

from __future__ import annotations

import bisect
import json
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from psc_looper.config.performer import PerformerSettings
from psc_looper.harmony.chords import Chord
from psc_looper.harmony.infer import chord_of
from psc_looper.improv import ImprovFeature, ImprovOptions
from psc_looper.looper.engine import Origin
from psc_looper.osc.events import InputEvent, NoteOff, NoteOn
from psc_looper.osc.protocol import CC_EVENT
from psc_looper.rig import VirtualRig
from psc_looper.rig.replay import ReplayOptions, replay_config, replay_virtual
from psc_looper.sessions.audit import unmatched_notes
from psc_looper.sessions.reader import TimedInput, read_session

HERE = Path(__file__).resolve().parent
PLAY, IMPROV = 41, 68  # nanoKONTROL2: play, track 5 record
MATCH_MS = 5
FIFTH, OCTAVE = 7, 12
HARMONY_SECONDS = 2.0  # the accompaniment struck this long before a note is its chord


def material_files() -> list[Path]:
    return sorted(HERE.glob("*.mid"))


@dataclass
class Press:
    time: float
    key: int
    hand: str
    outputs: list[tuple[Origin, int]] = field(default_factory=list)
    released: float = float("inf")


@dataclass
class Figures:
    name: str
    takeovers: int
    jumps: list[int]
    machine_leaps: tuple[int, int]  # (over a fifth, intervals)
    melody_leaps: tuple[int, int]
    below: int  # machine notes at or under the accompaniment sounding
    accompaniment_taken: int  # accompaniment keys that sounded the machine's pitch
    melody_passed: int  # melody keys passed through inside a machine's turn
    machine_notes: int
    unmatched: int
    machine_chord_tones: tuple[int, int] = (0, 0)  # (chord tones, notes under a chord)
    melody_chord_tones: tuple[int, int] = (0, 0)
    # with a chart (``measure(chart=...)``): tones of the chart's chord at each onset
    machine_chart_tones: tuple[int, int] = (0, 0)
    melody_chart_tones: tuple[int, int] = (0, 0)
    far_from_key: tuple[int, int] = (0, 0)  # machine notes > an octave from their key
    fallbacks: int = 0  # follower mode: keys that found no pitch prepared

    @staticmethod
    def share(leaps: tuple[int, int]) -> float:
        return 100.0 * leaps[0] / leaps[1] if leaps[1] else float("nan")

    def row(self) -> dict[str, Any]:
        return {
            "takeovers": self.takeovers,
            "jump median": statistics.median(self.jumps) if self.jumps else float("nan"),
            "jump max": max(self.jumps, default=float("nan")),
            "machine leaps %": self.share(self.machine_leaps),
            "melody leaps %": self.share(self.melody_leaps),
            "under accomp.": self.below,
            "accomp. taken": self.accompaniment_taken,
            "melody passed": self.melody_passed,
            "machine notes": self.machine_notes,
            "unmatched": self.unmatched,
            "machine chord tones %": self.share(self.machine_chord_tones),
            "melody chord tones %": self.share(self.melody_chord_tones),
        }


def truth_of(path: Path) -> dict[int, list[tuple[int, str]]]:
    """pitch -> sorted (ms, hand) of the file's key presses."""
    table: dict[int, list[tuple[int, str]]] = {}
    for ms, pitch, hand in json.loads(path.with_suffix(".hands.json").read_text()):
        table.setdefault(pitch, []).append((ms, hand))
    for presses in table.values():
        presses.sort()
    return table


def _hand(truth: dict[int, list[tuple[int, str]]], pitch: int, time: float) -> str:
    presses = truth.get(pitch, [])
    ms = round(time * 1000)
    i = bisect.bisect_left(presses, (ms - MATCH_MS, ""))
    if i < len(presses) and abs(presses[i][0] - ms) <= MATCH_MS:
        return presses[i][1]
    return "unknown"


def measure(path: Path, options: ImprovOptions, out: Path, *, seed: int = 7,
            melody_bundle: Path | None = None, improv_bundle: Path | None = None,
            model: Any = None, qpm: float | None = None,
            chart: Callable[[float], Chord | None] | None = None) -> Figures:
    """Replay ``path`` with improv on from the start (the shipped-model bundle, or a model
    object such as a test's scripted one) and measure it; ``qpm``: played that fast (the
    file's times compressed), ``chart``: the chord sounding at each second of the file."""
    session = read_session(path)
    truth = truth_of(path)
    settings = PerformerSettings(improv=options)
    config = replay_config(session, ReplayOptions(seed=seed, melody_bundle=melody_bundle,
                                                  performer=settings,
                                                  improv_bundle=improv_bundle))
    scale = 1.0
    if qpm is not None:
        scale, config.qpm = config.qpm / qpm, qpm
    controls = [TimedInput(0.0, CC_EVENT, (cc, value, 0, "nanoKONTROL2"))
                for cc in (PLAY, IMPROV) for value in (127, 0)]
    presses: list[Press] = []
    down: dict[int, list[Press]] = {}

    improvs: list[ImprovFeature | None] = []

    def watch(rig: VirtualRig) -> None:
        improv = rig.backend.improv
        if model is not None:
            improv = rig.backend.attach(ImprovFeature(model, config.improv, seed=config.seed,
                                                      inline=config.inline_generation))
        improvs.append(improv)

        def on_input(event: InputEvent) -> None:
            if not isinstance(event, NoteOn | NoteOff) or event.source == "nanoKONTROL2":
                return
            key, now = event.note, rig.clock.now() / scale
            if isinstance(event, NoteOn):
                press = Press(now, key, _hand(truth, key, now))
                presses.append(press)
                down.setdefault(key, []).append(press)
            elif down.get(key):
                down[key].pop(0).released = now

        def on_output(messages: Any, at: float | None, origin: Origin) -> None:
            if at is None and origin in (Origin.PIANIST, Origin.MACHINE) and presses:
                presses[-1].outputs += [(origin, int(args[0])) for address, args in messages
                                        if address.startswith("/play")]

        rig.backend.watch_input(on_input)
        rig.looper.add_output_listener(on_output)

    inputs = [TimedInput(e.time * scale, e.address, e.args) for e in session.inputs]
    replay_virtual(controls + inputs, config, out, watch=watch)
    figures = _figures(path.stem, presses, sum(unmatched_notes(out).values()))
    if chart is not None:
        _chart_figures(figures, presses, chart)
    for feature in improvs:
        if feature is not None and feature.streaming is not None:
            figures.fallbacks += sum(feature.streaming.fallbacks.values())
    return figures


def _chart_figures(figures: Figures, presses: list[Press],
                   chart: Callable[[float], Chord | None]) -> None:
    """The chart's chord tones at the machine's and the melody's onsets, and the machine
    notes more than an octave from the key they replace."""
    machine = [(p.time, pitch, p.key) for p in presses for origin, pitch in p.outputs
               if origin is Origin.MACHINE and p.hand == "melody"]
    melody = [(p.time, p.key) for p in presses if p.hand == "melody"]

    def tones(notes: list[tuple[float, int]]) -> tuple[int, int]:
        flags = [pitch % 12 in c.pitch_classes for t, pitch in notes if (c := chart(t))]
        return sum(flags), len(flags)

    figures.machine_chart_tones = tones([(t, pitch) for t, pitch, _ in machine])
    figures.melody_chart_tones = tones(melody)
    figures.far_from_key = (sum(abs(pitch - key) > OCTAVE for _, pitch, key in machine),
                            len(machine))


def _figures(name: str, presses: list[Press], unmatched: int) -> Figures:
    """A machine's turn starts at a machine note after two or more of the pianist's melody
    keys (or none yet); one melody key passed through inside a turn (taken for the left
    hand) is counted as such and does not start a new turn."""
    melody = [p for p in presses if p.hand == "melody"]
    accompaniment = [p for p in presses if p.hand in ("voicing", "bass")]
    jumps: list[int] = []
    runs: list[list[int]] = []
    streak, last_pianist, passed = 2, None, 0
    for press in melody:
        machine = [pitch for origin, pitch in press.outputs if origin is Origin.MACHINE]
        if not machine:
            streak += 1
            last_pianist = press.outputs[0][1] if press.outputs else last_pianist
            continue
        if streak >= 2 or not runs:
            runs.append([])
            if last_pianist is not None:
                jumps.append(abs(machine[0] - last_pianist))
        elif streak == 1:
            passed += 1
        runs[-1].append(machine[0])
        streak = 0
    machine_intervals = [abs(b - a) for run in runs for a, b in pairwise(run)]
    melody_intervals = [abs(b.key - a.key) for a, b in pairwise(melody)]
    heard = [a for a in accompaniment if not _took(a)]  # the left hand as it sounded
    below = 0
    for press in presses:
        for origin, pitch in press.outputs:
            if origin is not Origin.MACHINE:
                continue
            sounding = [a.key for a in heard if a.time <= press.time < a.released]
            below += bool(sounding) and pitch <= max(sounding)
    machine_notes = [(p.time, pitch) for p in presses for origin, pitch in p.outputs
                     if origin is Origin.MACHINE]
    own_melody = [(p.time, p.key) for p in melody if not _took(p)]
    return Figures(
        name, len(runs), jumps,
        (sum(i > FIFTH for i in machine_intervals), len(machine_intervals)),
        (sum(i > FIFTH for i in melody_intervals), len(melody_intervals)),
        below,
        sum(_took(p) for p in accompaniment),
        passed,
        sum(o is Origin.MACHINE for p in presses for o, _ in p.outputs),
        unmatched,
        chord_tones(machine_notes, accompaniment),
        chord_tones(own_melody, accompaniment),
    )


def chord_tones(notes: list[tuple[float, int]], accompaniment: list[Press]) -> tuple[int, int]:
    """(notes whose pitch class is in the chord of the accompaniment struck in the
    HARMONY_SECONDS before them, notes with such a chord)."""
    tones = under = 0
    for time, pitch in notes:
        chord = chord_of(a.key for a in accompaniment if time - HARMONY_SECONDS <= a.time <= time)
        if chord is not None:
            under += 1
            tones += pitch % 12 in chord.pitch_classes
    return tones, under


def _took(press: Press) -> bool:
    """The machine's pitch sounded for this key."""
    return any(origin is Origin.MACHINE for origin, _ in press.outputs)
