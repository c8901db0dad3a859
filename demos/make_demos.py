"""Make the demo sessions: scripted performances played into an in-process backend.

Each demo is a function that plays a performance on a ``VirtualRig`` (the
nanoKONTROL2's buttons and knobs by action name, the keyboard's notes on the loop's
step grid, a little ahead or behind it like a person) while a ``Recorder`` writes
the session, exactly as ``psc-looper run`` records a live one. Run it after changing
a performance, then update the goldens (see demos/README.md):

    .venv/bin/python demos/make_demos.py
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from psc_looper.control.mapping import DEFAULT_MAP, load_map
from psc_looper.rig import VirtualRig
from psc_looper.sessions.recorder import Recorder

HERE = Path(__file__).resolve().parent
CONTROLS = {(b.action if b.argument is None else f"{b.action}:{b.argument}"): cc
            for cc, b in load_map(DEFAULT_MAP).bindings.items()}

# (onset step in the loop, pitch or chord, length in steps, velocity)
Phrase = Sequence[tuple[float, int | Sequence[int], float, int]]


class Performer:
    """A pianist at the keyboard and the nanoKONTROL2, on the rig's step grid."""

    def __init__(self, rig: VirtualRig) -> None:
        self.rig = rig

    def press(self, *actions: str) -> None:
        for action in actions:
            self.rig.press(CONTROLS[action])

    def knob(self, action: str, value: int) -> None:
        self.rig.cc(CONTROLS[action], value)

    def wait(self, seconds: float) -> None:
        self.rig.advance(seconds)

    def tap(self, times: int, interval: float) -> None:
        for _ in range(times):
            self.press("tap")
            self.wait(interval)

    def loop_start(self, loop: int) -> int:
        """Absolute step of the start of loop ``loop`` (0 = the first after play)."""
        return loop * self.rig.looper.structure.steps

    def until_step(self, step: float) -> None:
        self.rig.advance_to_step(step)

    def play(self, phrase: Phrase, loop: int, feel: float = 0.1) -> None:
        """Play ``phrase`` in loop ``loop``, every onset ``feel`` steps off the grid."""
        start = self.loop_start(loop)
        events: list[tuple[float, int, int, int]] = []  # (step, off?, pitch, velocity)
        for index, (onset, pitches, length, velocity) in enumerate(phrase):
            off_grid = feel if index % 2 else -feel / 2
            for pitch in [pitches] if isinstance(pitches, int) else pitches:
                events.append((start + onset + off_grid, 0, pitch, velocity))
                events.append((start + onset + off_grid + length * 0.9, 1, pitch, 0))
        for step, off, pitch, velocity in sorted(events):
            self.until_step(step)
            if off:
                self.rig.note_off(pitch)
            else:
                self.rig.note_on(pitch, velocity)


def bass_line(notes: Iterable[tuple[float, int]], length: float = 3, velocity: int = 96
              ) -> Phrase:
    return [(onset, pitch, length, velocity) for onset, pitch in notes]


def groove_7_8(p: Performer) -> None:
    """7/8 (2+2+3) at a tapped 150 qpm; a bass line recorded in the second loop."""
    p.wait(0.5)
    p.press("numerator_up", "numerator_up", "numerator_up", "denominator_double")
    p.wait(0.5)
    p.tap(5, 0.4)
    p.press("play")
    p.until_step(p.loop_start(1) - 3)
    p.press("mode:bass")
    line = bass_line([(0, 38), (4, 45), (8, 48), (11, 50), (14, 43), (18, 50), (22, 53),
                      (25, 45)])
    p.play(line, loop=1)
    p.until_step(p.loop_start(4))
    p.press("stop")


SWING_BASS = bass_line([(0, 38), (4, 41), (8, 45), (12, 48), (16, 43), (20, 47), (24, 50),
                        (28, 47)])


def beat_and_grooves(p: Performer) -> None:
    """A bass line, the beat built from it, then two DrumsRNN grooves at two temperatures."""
    p.knob("tempo", 50)
    p.wait(0.3)
    p.press("play", "mode:bass")
    p.play(SWING_BASS, loop=0)
    p.until_step(p.loop_start(1) + 8)
    p.press("build_beat")
    p.until_step(p.loop_start(3) + 4)
    p.press("generate_groove")
    p.until_step(p.loop_start(5) + 4)
    p.knob("drums_temperature", 100)
    p.press("generate_groove")
    p.until_step(p.loop_start(7) + 4)
    p.press("drums_undo")
    p.until_step(p.loop_start(8) + 16)
    p.press("stop")


CHORDS = [(0, (50, 53, 57, 60), 7, 70), (8, (55, 59, 62, 65), 7, 66),
          (16, (48, 52, 55, 59), 7, 72), (24, (57, 61, 64, 67), 7, 64)]  # Dm7 G7 Cmaj7 A7


def bass_then_chords(p: Performer, tempo_knob: int) -> None:
    """Play; record the bass line in loop 0 and the chords in loop 1 (until loop 2 starts)."""
    p.knob("tempo", tempo_knob)
    p.wait(0.3)
    p.press("play", "mode:bass")
    p.play(SWING_BASS, loop=0)
    p.until_step(p.loop_start(1) - 0.1)  # the bass take has ended (a lookahead ago)
    p.press("mode:chords")
    p.play(CHORDS, loop=1)
    p.until_step(p.loop_start(2) + 1)


def recording_chords(p: Performer) -> None:
    """A bass line, then ii-V-I-VI chords recorded over it; the click muted to listen."""
    bass_then_chords(p, tempo_knob=45)
    p.press("mute:click")
    p.until_step(p.loop_start(4))
    p.press("stop")


CALLS = [
    [(0, 62, 2, 90), (2, 65, 2, 80), (4, 69, 2, 92), (6, 72, 4, 84), (11, 71, 1, 70),
     (12, 69, 2, 88), (14, 67, 2, 76), (16, 65, 3, 90), (20, 64, 2, 80), (22, 62, 2, 84),
     (24, 60, 6, 78)],
    [(1, 69, 1, 86), (2, 72, 2, 92), (5, 74, 1, 80), (6, 77, 3, 95), (10, 76, 2, 82),
     (13, 74, 1, 74), (14, 72, 2, 88), (18, 71, 2, 80), (20, 67, 2, 86), (23, 65, 1, 72),
     (24, 64, 4, 90)],
]


def call_and_response(p: Performer) -> None:
    """Bass, chords and the built beat; then improv mode: the pianist's calls, the machine's
    answers in the pianist's rhythm (with a MelodyRNN bundle), and back to free play."""
    bass_then_chords(p, tempo_knob=50)
    p.press("build_beat", "mode:improv")
    for loop in range(2, 8):
        p.play(CALLS[loop % 2], loop=loop, feel=0.15)
    p.press("mode:free")
    p.play(CALLS[0], loop=8)
    p.until_step(p.loop_start(9))
    p.press("stop")


DEMOS: dict[str, Callable[[Performer], None]] = {
    "1-groove-7-8": groove_7_8,
    "2-beat-and-grooves": beat_and_grooves,
    "3-recording-chords": recording_chords,
    "4-call-and-response": call_and_response,
}


def make(name: str, folder: Path = HERE) -> Path:
    rig = VirtualRig()
    path = folder / f"{name}.mid"
    recorder = Recorder(rig.backend, path)
    try:
        DEMOS[name](Performer(rig))
        rig.advance(1.0)
    finally:
        rig.backend.close()
        recorder.close()
    return path


if __name__ == "__main__":
    for demo in DEMOS:
        print(make(demo))
