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
from dataclasses import replace
from pathlib import Path
from typing import Any

from psc_looper.app import BackendConfig
from psc_looper.band import BandOptions
from psc_looper.config.performer import PerformerSettings
from psc_looper.control.mapping import DEFAULT_MAP, load_map
from psc_looper.looper.notes import Track
from psc_looper.osc.protocol import CC_EVENT
from psc_looper.rig import VirtualRig
from psc_looper.sessions.recorder import Recorder
from psc_looper.songs.file import save_song
from psc_looper.songs.song import Section, Song
from psc_looper.timing.meter import LoopStructure, Meter

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

    def footswitch(self, cc: int) -> None:
        """A footswitch on the keyboard (``keyboard.toml``): press and release."""
        for value in (127, 0):
            self.rig.send(CC_EVENT, cc, value, 0, self.rig.source)

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

    def play(self, phrase: Phrase, loop: int, feel: float = 0.1, lay_back: float = 0.0
             ) -> None:
        """Play ``phrase`` in loop ``loop``, every onset ``feel`` steps off the grid."""
        self.play_from(phrase, self.loop_start(loop), feel, lay_back)

    def play_from(self, phrase: Phrase, start: int, feel: float = 0.1, lay_back: float = 0.0
                  ) -> None:
        """Play ``phrase`` from absolute step ``start`` (loops of another length), each
        onset ``feel`` steps off the grid, alternately early and late, all ``lay_back`` late
        (steps of the loop's grid: swung when the loop swings)."""
        events: list[tuple[float, int, int, int]] = []  # (step, off?, pitch, velocity)
        for index, (onset, pitches, length, velocity) in enumerate(phrase):
            off_grid = lay_back + (feel if index % 2 else -feel / 2)
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


def bass_then_chords(p: Performer, tempo_knob: int, bass: Phrase = SWING_BASS,
                     chords: Phrase = CHORDS) -> None:
    """Play; record the bass line in loop 0 and the chords in loop 1 (until loop 2 starts)."""
    p.knob("tempo", tempo_knob)
    p.wait(0.3)
    p.press("play", "mode:bass")
    p.play(bass, loop=0)
    p.until_step(p.loop_start(1) - 0.1)  # the bass take has ended (a lookahead ago)
    p.press("mode:chords")
    p.play(chords, loop=1)
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


# ii-V-I over four bars: a walking bass, then the chords comped on 1 and the and of 2
# (Dm7, G7, Cmaj7 twice; roots in the voicings, so the loop's chords read unambiguously).
WALKING_BASS = bass_line([(0, 38), (4, 41), (8, 45), (12, 48), (16, 43), (20, 47), (24, 50),
                          (28, 49), (32, 48), (36, 52), (40, 55), (44, 59), (48, 57), (52, 55),
                          (56, 52), (60, 50)])
II_V_I = [(onset, voicing, 4, velocity)
          for bar, voicing in enumerate(((50, 53, 57, 60), (55, 59, 62, 65), (48, 52, 55, 59),
                                         (48, 52, 55, 59)))
          for onset, velocity in ((16 * bar, 72), (16 * bar + 6, 60))]
# The pianist's calls: two bars of eighth-note line (right hand) with a left-hand shell
# on the downbeats, then two bars left open for the machine's answer.
JAZZ_CALLS = [
    [(0, 69, 2, 90), (2, 72, 2, 80), (4, 76, 2, 92), (6, 74, 2, 78), (8, 72, 2, 88),
     (10, 69, 2, 76), (12, 65, 2, 86), (14, 64, 2, 74), (16, 62, 2, 90), (18, 65, 2, 80),
     (20, 71, 2, 88), (22, 74, 2, 80), (24, 77, 3, 92), (28, 76, 4, 84),
     (0, (41, 48), 6, 64), (16, (41, 47), 6, 64)],
    [(1, 74, 1, 84), (2, 77, 2, 92), (4, 76, 2, 80), (6, 74, 2, 86), (8, 72, 2, 78),
     (10, 71, 2, 88), (12, 69, 2, 76), (14, 67, 2, 84), (16, 65, 2, 90), (18, 64, 2, 78),
     (20, 62, 2, 86), (22, 59, 2, 76), (24, 60, 6, 90),
     (0, (41, 48), 6, 64), (16, (41, 47), 6, 64)],
]


def changes_call_and_response(p: Performer) -> None:
    """A four-bar ii-V-I loop (walking bass, comped chords), then improv mode: the
    pianist's two-handed calls; the ImprovRNN answers over the recorded changes."""
    p.press("bars_up", "bars_up")  # four bars
    bass_then_chords(p, 45, WALKING_BASS, II_V_I)
    p.press("build_beat", "mode:improv")
    for loop in range(2, 8):
        p.play(JAZZ_CALLS[loop % 2], loop=loop, feel=0.15)
    p.until_step(p.loop_start(8))
    p.press("mode:free")
    p.until_step(p.loop_start(8) + 8)
    p.press("stop")


GIG = HERE / "6-gig-set-list"  # the set list and its songs (not demos themselves)
NEXT_SECTION_FOOTSWITCH = 81
WALTZ_BASS = bass_line([(0, 43), (8, 47), (12, 50), (16, 45), (20, 48)], length=4)
WALTZ_CHORDS = [(4, (59, 62, 66), 3, 70), (8, (59, 62, 66), 3, 66),
                (16, (57, 60, 64, 67), 3, 72), (20, (57, 60, 64, 67), 3, 64)]  # Gmaj7 Am7
HIGH_LINE = [(2, 62, 2, 84), (6, 65, 2, 80), (10, 69, 2, 86), (14, 67, 2, 80),
             (18, 64, 2, 84), (22, 62, 2, 78), (26, 60, 4, 82)]


def make_gig_songs(folder: Path = GIG) -> Path:
    """Two songs and their set list: an empty first song (100 qpm, 4/4, a head and a solo
    section with their own charts) and a recorded waltz (132 qpm, 3/4: bass, chords, beat)."""
    folder.mkdir(exist_ok=True)
    first = Song(name="Dolphin Steps", settings=PerformerSettings(qpm=100),
                 chart="Dm7 G7 | Cmaj7 A7", sections=(
                     Section("head", chart="Dm7 | G7 | Cmaj7 | A7"),
                     Section("solo", chart="Dm7 G7 | Em7 A7", mutes=(Track.CLICK,),
                             tables={"improv": {"threshold": 8}})))
    save_song(first, folder / "1-dolphin-steps.toml")
    rig = VirtualRig(BackendConfig(qpm=132, structure=LoopStructure(Meter(3, 4), 2)))
    p = Performer(rig)
    p.press("play", "mode:bass")
    p.play(WALTZ_BASS, loop=0)
    p.until_step(p.loop_start(1) - 0.1)
    p.press("mode:chords")
    p.play(WALTZ_CHORDS, loop=1)
    p.until_step(p.loop_start(2) + 1)
    p.press("build_beat", "stop")
    waltz = replace(rig.backend.songs.capture(), name="Waltz for G", chart="Gmaj7 | Am7 D7")
    rig.backend.close()
    save_song(waltz, folder / "2-waltz-for-g.toml")
    setlist = folder / "setlist.toml"
    setlist.write_text('format = 1\nname = "Demo gig"\n'
                       'songs = ["1-dolphin-steps.toml", "2-waltz-for-g.toml"]\n')
    return setlist


def gig_set_list(p: Performer) -> None:
    """Song 1 from the set list: a bass take, an overdub undone, chords; the footswitch walks
    its head and solo sections, then switches to song 2 (its own tempo, meter, layers and
    chart) at a loop start; there a bass overdub is added and undone."""
    p.press("play", "mode:bass")
    p.play(SWING_BASS, loop=0)
    p.until_step(p.loop_start(1) - 0.1)
    p.press("overdub:bass")
    p.play(HIGH_LINE, loop=1)
    p.until_step(p.loop_start(2) + 4)
    p.press("undo")  # the overdub goes from loop 3
    p.press("mode:chords")
    p.play(CHORDS, loop=3)
    for loop in (4, 5, 6):  # head, solo, then the next song
        p.until_step(p.loop_start(loop) + 20)
        p.footswitch(NEXT_SECTION_FOOTSWITCH)
    song2 = p.loop_start(7)  # song 2 from here: 3/4 at 132, loops of 24 steps
    p.until_step(song2 + 2)
    p.press("overdub:bass")
    p.play_from(bass_line([(2, 55), (10, 54), (14, 52), (22, 50)], length=2), song2 + 24)
    p.until_step(song2 + 2 * 24 + 4)
    p.press("undo")  # the overdub goes from the next loop start
    p.until_step(song2 + 4 * 24)
    p.press("stop")


BLUES = Path(HERE / "7-swing-blues")  # its set list and song (not demos themselves)
BLUES_CHART = "F7 | Bb7 | F7 | F7 | Bb7 | Bb7 | F7 | D7 | Gm7 | C7 | F7 D7 | Gm7 C7"
# A walking bass through the 12 bars, quarters, with a swung 8th skip into bars 5 and 9
# and the turnaround (one take; the loop's swing places the skips, the player lays back).
BLUES_WALK = [pitch for bar in (
    (41, 45, 48, 51), (46, 50, 53, 52), (53, 48, 45, 41), (41, 43, 45, 47),
    (46, 50, 53, 50), (46, 44, 43, 42), (41, 45, 48, 49), (50, 54, 45, 44),
    (43, 46, 50, 49), (48, 45, 43, 40), (41, 45, 50, 54), (43, 46, 48, 52)) for pitch in bar]
SKIPS = {15: 48, 31: 50, 47: 41}  # quarter index -> the swung 8th after it
BLUES_BASS = [(4 * k, pitch, 1.7 if k in SKIPS else 3.4, 94 if k % 2 else 100)
              for k, pitch in enumerate(BLUES_WALK)] + [
              (4 * k + 2, pitch, 1.4, 84) for k, pitch in SKIPS.items()]
F7, BB7, D7, GM7, C7 = (53, 57, 60, 63), (50, 53, 56, 58), (50, 54, 57, 60), \
    (50, 53, 55, 58), (52, 55, 58, 60)  # with their roots, so the loop's chords read clearly
BLUES_COMP = [(16 * bar + onset, voicing, 3, velocity) for bar, chords in enumerate((
    (F7,), (BB7,), (F7,), (F7,), (BB7,), (BB7,), (F7,), (D7,), (GM7,), (C7,), (F7, D7),
    (GM7, C7))) for onset, voicing, velocity in (  # on the and of 2 and on 4 (or 1 and 3)
        ((6, chords[0], 66), (12, chords[0], 58)) if len(chords) == 1
        else ((0, chords[0], 66), (8, chords[1], 62)))]
BLUES_CALLS = [  # two bars of swung 8ths each, over F7 | Bb7, Bb7 | F7 and Gm7 | C7
    [(0, 72, 2, 90), (2, 69, 2, 78), (4, 72, 2, 88), (6, 75, 2, 80), (8, 74, 2, 90),
     (10, 72, 2, 76), (12, 69, 2, 86), (14, 65, 2, 76), (16, 68, 2, 88), (18, 70, 2, 78),
     (20, 74, 2, 90), (22, 77, 4, 84)],
    [(2, 77, 2, 86), (4, 74, 2, 80), (6, 72, 2, 88), (8, 70, 2, 78), (10, 68, 2, 84),
     (12, 65, 2, 76), (14, 67, 2, 86), (16, 69, 2, 90), (18, 72, 2, 80), (20, 69, 2, 84),
     (22, 65, 4, 80)],
    [(0, 70, 2, 88), (2, 74, 2, 80), (4, 77, 2, 90), (6, 74, 2, 78), (8, 72, 2, 86),
     (10, 70, 2, 76), (12, 67, 2, 84), (14, 64, 2, 78), (16, 65, 6, 90)],
]


def make_blues_song(folder: Path = BLUES) -> Path:
    """An empty song and its set list: a 12-bar F blues at 144 qpm, swung at 2/3 (triplet
    swing), its chart the ImprovRNN's changes (so the loop is the chart's 12 bars)."""
    return _blues_song(folder, "Swing Blues in F", "swing-blues", "Blues", threshold=10)


def _blues_song(folder: Path, name: str, stem: str, setlist_name: str,
                **improv: Any) -> Path:
    """The F blues song (``improv``: its options beside the chart) and its set list."""
    folder.mkdir(exist_ok=True)
    options = replace(PerformerSettings().improv, changes=BLUES_CHART, **improv)
    song = Song(name=name, chart=BLUES_CHART, settings=PerformerSettings(
        qpm=144, structure=LoopStructure(Meter(4, 4), 12), swing=0.667, improv=options))
    save_song(song, folder / f"{stem}.toml")
    setlist = folder / "setlist.toml"
    setlist.write_text(f'format = 1\nname = "{setlist_name}"\nsongs = ["{stem}.toml"]\n')
    return setlist


def _blues_rhythm_section(p: Performer) -> None:
    """The swing blues' first two choruses: the walking bass in one take (laid back), the
    beat built from it, chords comped; then improv mode from the third chorus on."""
    p.press("play", "mode:bass")
    p.play(BLUES_BASS, loop=0, feel=0.12, lay_back=0.15)
    p.until_step(p.loop_start(1) - 0.1)
    p.press("build_beat", "mode:chords")
    p.play(BLUES_COMP, loop=1, feel=0.1, lay_back=0.1)
    p.until_step(p.loop_start(2) + 1)
    p.press("mode:improv")


def swing_blues(p: Performer) -> None:
    """A 12-bar blues, swung: the walking bass in one take (laid back), chords comped, the
    beat built from the bass (swung with the loop, from the third chorus), then two
    choruses of calls in improv mode: the ImprovRNN answers over the chart."""
    _blues_rhythm_section(p)
    for loop in (2, 3):
        for k, call in enumerate(BLUES_CALLS):
            p.play_from(call, p.loop_start(loop) + 64 * k, feel=0.15, lay_back=0.1)
    p.until_step(p.loop_start(4))
    p.press("mode:free")
    p.until_step(p.loop_start(4) + 8)
    p.press("stop")


TRADING = Path(HERE / "8-trading-fours")  # its set list and song (not demos themselves)


def make_trading_song(folder: Path = TRADING) -> Path:
    """The swing blues song traded in fours (``improv.mode = "trade"``) and its set list."""
    return _blues_song(folder, "Trading Fours in F", "trading-fours", "Trading",
                       mode="trade", trade_bars=4)


def trading_fours(p: Performer) -> None:
    """The swing blues' bass, comp and beat, then fours traded over the chart: the turns
    count from the chart's bar 1 (where the song starts), so in improv mode from the
    third chorus the machine takes its first turn (bars 5-8) on its own, then the
    pianist's calls (bars 9-12, 1-4 and 5-8) and the machine's phrases alternate."""
    _blues_rhythm_section(p)
    origin = p.loop_start(2) + 128  # bar 9 of the chorus: a pianist's turn (the third)
    for turn, call in zip((0, 2, 4), BLUES_CALLS, strict=True):
        p.play_from(call, origin + 64 * turn, feel=0.15, lay_back=0.1)
    p.until_step(origin + 64 * 6)  # the machine's answer to the last call played out
    p.press("mode:free")
    p.until_step(origin + 64 * 6 + 8)
    p.press("stop")


TRIO = Path(HERE / "9-trio")  # its set list and songs (not demos themselves)
RHYTHM_A = "Bb6 G7 | Cm7 F7 | Bb6 G7 | Cm7 F7 | Fm7 Bb7 | Eb6 Edim7 | Bb6 F7 | Bb6"
RHYTHM_CHART = " | ".join((RHYTHM_A, RHYTHM_A, "D7 | D7 | G7 | G7 | C7 | C7 | F7 | F7",
                           RHYTHM_A))  # AABA, 32 bars
RHYTHM_CALLS = [  # two bars each, at the top of A1, A2, the bridge and A3
    [(0, 74, 2, 90), (2, 72, 2, 78), (4, 70, 2, 88), (6, 67, 2, 80), (8, 72, 2, 90),
     (10, 75, 2, 78), (12, 74, 2, 86), (14, 72, 2, 76), (16, 70, 4, 88)],
    [(2, 77, 2, 86), (4, 74, 2, 80), (6, 70, 2, 88), (8, 72, 2, 78), (10, 75, 2, 84),
     (12, 79, 2, 76), (14, 77, 2, 86), (16, 74, 6, 90)],
    [(0, 78, 2, 90), (2, 81, 2, 80), (4, 78, 2, 88), (6, 74, 2, 78), (8, 72, 2, 86),
     (10, 69, 2, 76), (12, 66, 4, 84), (16, 67, 2, 88), (18, 71, 2, 78), (20, 74, 4, 86)],
    [(0, 70, 2, 88), (2, 74, 2, 80), (4, 77, 2, 90), (6, 79, 2, 78), (8, 75, 2, 86),
     (10, 72, 2, 76), (12, 69, 2, 84), (14, 72, 2, 78), (16, 70, 6, 90)],
]


def make_trio_songs(folder: Path = TRIO) -> Path:
    """Two songs for the trio and their set list: the F blues at 160 qpm (the band in a
    swing 4-feel), and rhythm changes in Bb at 176 qpm, 32 bars AABA (the head in a
    two-feel, then a "solos" section in four); swung at 2/3, each chart also the
    ImprovRNN's changes. No layers: the band plays from the chart."""
    folder.mkdir(exist_ok=True)
    songs = (("1-blues-trio", "Trio Blues in F", BLUES_CHART, 160, "swing", ()),
             ("2-rhythm-trio", "Rhythm in Bb", RHYTHM_CHART, 176, "two",
              (Section("solos", tables={"band": {"style": "swing"}}),)))
    for stem, name, chart, qpm, style, sections in songs:
        improv = replace(PerformerSettings().improv, changes=chart, threshold=10)
        settings = PerformerSettings(qpm=qpm, swing=0.667, improv=improv,
                                     structure=LoopStructure(Meter(4, 4), chart.count("|") + 1),
                                     band=BandOptions(on=True, style=style))
        save_song(Song(name=name, chart=chart, settings=settings, sections=sections),
                  folder / f"{stem}.toml")
    setlist = folder / "setlist.toml"
    setlist.write_text('format = 1\nname = "Trio"\n'
                       'songs = ["1-blues-trio.toml", "2-rhythm-trio.toml"]\n')
    return setlist


def trio(p: Performer) -> None:
    """The band plays the chart (no take): a chorus of the blues alone, two with the
    pianist's calls in improv mode and the machine answering over the band, then the
    next song at a loop start: rhythm changes, the head in two with calls at the top of
    each A and the bridge, the footswitch to the solos (in four) for another chorus."""
    p.press("play")
    p.until_step(p.loop_start(1) - 4)
    p.press("mode:improv")
    for loop in (1, 2):
        for k, call in enumerate(BLUES_CALLS):
            p.play_from(call, p.loop_start(loop) + 64 * k, feel=0.15, lay_back=0.1)
    p.until_step(p.loop_start(3) - 40)
    p.press("next_song")  # rhythm changes from the next loop start
    rhythm = p.loop_start(3)  # loops of 512 steps from here
    for chorus in (0, 1):
        for k, call in enumerate(RHYTHM_CALLS):
            p.play_from(call, rhythm + 512 * chorus + 128 * k, feel=0.15, lay_back=0.1)
        if chorus == 0:
            p.until_step(rhythm + 512 - 40)
            p.footswitch(NEXT_SECTION_FOOTSWITCH)  # the solos, in four
    p.until_step(rhythm + 2 * 512)
    p.press("mode:free")
    p.until_step(rhythm + 2 * 512 + 8)
    p.press("stop")


DEMOS: dict[str, Callable[[Performer], None]] = {
    "1-groove-7-8": groove_7_8,
    "2-beat-and-grooves": beat_and_grooves,
    "3-recording-chords": recording_chords,
    "4-call-and-response": call_and_response,
    "5-changes-call-and-response": changes_call_and_response,
    "6-gig-set-list": gig_set_list,
    "7-swing-blues": swing_blues,
    "8-trading-fours": trading_fours,
    "9-trio": trio,
}
SET_LISTS = {"6-gig-set-list": GIG / "setlist.toml",  # demos that start from a set list
             "7-swing-blues": BLUES / "setlist.toml",
             "8-trading-fours": TRADING / "setlist.toml",
             "9-trio": TRIO / "setlist.toml"}


def make(name: str, folder: Path = HERE) -> Path:
    setlist = SET_LISTS.get(name)
    # songs load on the caller's thread, as in a replay, so the switch lands where it will
    rig = VirtualRig(BackendConfig(setlist=setlist, inline_generation=True) if setlist else None)
    path = folder / f"{name}.mid"
    recorder = rig.backend.attach(Recorder(path))
    try:
        DEMOS[name](Performer(rig))
        rig.advance(1.0)
    finally:
        rig.backend.close()
        recorder.close()
    return path


if __name__ == "__main__":
    import sys

    chosen = sys.argv[1:] or list(DEMOS)  # names: rewrite only those
    if any(name.startswith("6-") for name in chosen):
        make_gig_songs()
    if any(name.startswith("7-") for name in chosen):
        make_blues_song()
    if any(name.startswith("8-") for name in chosen):
        make_trading_song()
    if any(name.startswith("9-") for name in chosen):
        make_trio_songs()
    for demo in chosen:
        print(make(demo))
