"""Kit: the nine drum sounds, Magenta's nine drum_kit classes, and drum loop notes.

Each drum_kit class maps to one ``Instrument`` (so every GM drum pitch drum_kit
knows maps to one sound); each sound's loop notes carry the class's GM pitch (the one
drum_kit generates), which is also what a groove primer feeds the model.
"""

from __future__ import annotations

from psc_looper.drums.velocity import accent_velocity
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.models.notes import drum_kit_class, drum_kit_pitch
from psc_looper.osc.protocol import Instrument
from psc_looper.timing.meter import LoopStructure

INSTRUMENT_OF_CLASS: dict[str, Instrument] = {
    "kick": Instrument.KICK,
    "snare": Instrument.SNARE,
    "closed_hat": Instrument.CLOSED_HAT,
    "open_hat": Instrument.OPEN_HAT,
    "low_tom": Instrument.LOW_TOM,
    "mid_tom": Instrument.MID_TOM,
    "high_tom": Instrument.HIGH_TOM,
    "crash": Instrument.CRASH,
    "ride": Instrument.RIDE,
}
CLASS_OF_INSTRUMENT = {i: c for c, i in INSTRUMENT_OF_CLASS.items()}


def instrument_of_pitch(pitch: int) -> Instrument | None:
    """The drum sound of a GM drum pitch, or None if drum_kit ignores the pitch."""
    name = drum_kit_class(pitch)
    return None if name is None else INSTRUMENT_OF_CLASS[name]


def pitch_of_instrument(instrument: Instrument) -> int:
    """The GM pitch of a drum sound (KeyError for a sound that is not a drum)."""
    return drum_kit_pitch(CLASS_OF_INSTRUMENT[instrument])


def drum_note(instrument: Instrument, step: int, structure: LoopStructure) -> LoopNote:
    """One drum hit of the loop, one step long, at its default velocity."""
    velocity = accent_velocity(instrument, step, structure.meter)
    return LoopNote(step, Track.DRUMS, instrument, pitch_of_instrument(instrument), velocity)
