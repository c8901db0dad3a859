"""What each action does, in words: for ``psc-looper maps`` and MIDI-learn.

Every action a controller map may name is here (a test checks the registered ones);
``ARGUMENTS`` lists the arguments of those that take one.
"""

from __future__ import annotations

from dataclasses import dataclass

from psc_looper.tomlfiles import quote


@dataclass(frozen=True)
class Binding:
    """What a control does: an action of this catalogue, its argument, and whether the
    control is continuous (a knob or slider) or a button."""

    action: str
    argument: str | None
    continuous: bool


ACTIONS: dict[str, str] = {
    "play": "start the loop",
    "stop": "stop the loop, every note off",
    "toggle_play": "start or stop the loop",
    "panic": "every sounding note off (the loop keeps playing and its data)",
    "tap": "tap tempo",
    "tempo": "tempo 40..300 qpm (knob)",
    "tempo_up": "tempo +2 qpm",
    "tempo_down": "tempo -2 qpm",
    "count_in": "count-in on/off: one bar of click before a recording from stop",
    "bars_down": "bars -1 (next loop start)",
    "bars_up": "bars +1 (next loop start)",
    "bars": "bars 1..64, e.g. bars:12 (next loop start)",
    "swing": "swing ratio 0.5 straight .. 0.667 triplet .. 0.75, e.g. swing:0.667 "
             "(next loop start)",
    "quantize": "quantize a track, e.g. quantize:bass (to the loop's grid), quantize:bass:16th, "
                "quantize:bass:triplet; quantize:bass:feel keeps the feel of new takes; undoable",
    "numerator_down": "meter numerator -1 (next loop start)",
    "numerator_up": "meter numerator +1 (next loop start)",
    "denominator_half": "meter denominator / 2 (next loop start)",
    "denominator_double": "meter denominator x 2 (next loop start)",
    "mute": "mute/unmute a track",
    "volume": "a track's volume (slider)",
    "mode": "mode: free, bass or chords (record), improv",
    "sustain": "sustain pedal",
    "record": "record a track: the take replaces its layers",
    "overdub": "overdub a track: the take adds a layer",
    "free_record": "from stop, a take of any length (press again to close): whole bars at the "
                   "tempo, or :tempo, the tempo for the loop's bars",
    "undo": "undo the last layer (of a track); cancels a take in progress",
    "redo": "redo the last undone layer (of a track)",
    "clear": "clear a track (the last one changed); undo brings it back",
    "build_beat": "drums: the beat from the bass line",
    "generate_groove": "drums: a DrumsRNN groove",
    "drums_undo": "drums: back to the previous part (again: forward)",
    "drums_clear": "drums: silence (undo brings the part back)",
    "drums_temperature": "drums: DrumsRNN temperature (knob)",
    "clock_resync": "MIDI clock out: song position and continue (a follower that joined late)",
    "improv_hold": "improv: hold the machine back (pedal; :toggle for a button)",
    "improv_call": "improv: call the machine in at the next key",
    "improv_mode": "improv: respond (your rhythm), trade (turns of improv.trade_bars bars) or "
                   "continue (when you stop)",
    "melody_temperature": "improv: MelodyRNN temperature (knob)",
    "band_on": "band: the walking bass and drummer from the chart on/off (next loop start)",
    "band_style": "band: style swing, two (two-feel), ballad, waltz or bossa, e.g. "
                  "band_style:bossa",
    "band_hold": "band: hold the chorus (the next ones play it again); again: vary",
    "song_save": "save the song (in the background); song_save:NAME names it",
    "next_song": "set list: next song (next loop start)",
    "previous_song": "set list: previous song (next loop start)",
    "next_section": "the song's next section (after the last: next song)",
}

TRACKS = ("click", "bass", "chords", "drums", "improv")
ARGUMENTS: dict[str, tuple[str, ...]] = {
    "mute": TRACKS,
    "volume": TRACKS,
    "mode": ("free", "bass", "chords", "improv"),
    "record": ("bass", "chords"),
    "overdub": ("bass", "chords"),
    "undo": ("bass", "chords", "drums"),
    "redo": ("bass", "chords", "drums"),
    "clear": ("bass", "chords", "drums"),
    "improv_hold": ("toggle",),
    "band_style": ("swing", "two", "ballad", "waltz", "bossa"),
    "improv_mode": ("respond", "trade", "continue"),
    "quantize": tuple(f"{t}{g}" for t in ("bass", "chords")
                      for g in ("", ":grid", ":16th", ":triplet", ":feel")),
    "free_record": ("bass", "chords", "bass:tempo", "chords:tempo"),
}
NEEDS_ARGUMENT = ("mute", "volume", "mode", "record", "overdub", "improv_mode", "band_style")
# A button sends its press only: these need the value of a knob, slider or pedal.
KNOB_ONLY = ("tempo", "volume", "drums_temperature", "melody_temperature", "sustain",
             "improv_hold")
NUMBER_ARGUMENTS = {"bars": int, "swing": float}  # a number, checked by the looper when run
TEXT_ARGUMENTS = ("song_save",)  # any text (a name)


def describe(binding: Binding) -> str:
    """``binding`` in words, e.g. ``mute:bass`` -> ``mute/unmute a track (bass)``."""
    text = ACTIONS.get(binding.action, "unknown action")
    return f"{text} ({binding.argument})" if binding.argument else text


def check_action(spec: str, continuous: bool | None = None) -> str:
    """``spec`` ("name" or "name:argument") if it is a known action with a fitting argument,
    and (``continuous`` given) fits that kind of control; else ValueError saying why."""
    name, _, argument = spec.partition(":")
    if name not in ACTIONS:
        raise ValueError(f"unknown action {quote(name)} (psc-looper maps --actions lists them)")
    allowed = ARGUMENTS.get(name, ())
    if name in NUMBER_ARGUMENTS:
        try:
            NUMBER_ARGUMENTS[name](argument)
        except (TypeError, ValueError):
            raise ValueError(f"{name} takes a number, e.g. {name}:12, not {quote(argument)}"
                             ) from None
    elif argument and argument not in allowed and name not in TEXT_ARGUMENTS:
        raise ValueError(f"{name} takes {', '.join(allowed) or 'no argument'}, "
                         f"not {quote(argument)}")
    if not argument and name in NEEDS_ARGUMENT:
        raise ValueError(f"{name} needs one of {', '.join(allowed)}, e.g. {name}:{allowed[0]}")
    if continuous is False and spec in KNOB_ONLY:
        raise ValueError(f"{spec} needs a knob, slider or pedal, not a button")
    return spec
