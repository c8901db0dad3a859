"""Generator: a bundle's sequence generator on the NumPy engine, magenta's interface.

``EngineGenerator`` answers ``generate(input_sequence, generator_options)`` exactly as
magenta's MelodyRNN / DrumsRNN / ImprovRNN sequence generators do (same primer
extraction, same step arithmetic, same result NoteSequence), so ``psc_looper.models``
uses either one the same way. ImprovRNN takes its chords, as magenta's, from the
sequence's chord-symbol annotations up to the end of the generate section;
:meth:`EngineGenerator.improvise` takes them directly, one symbol per step. Only
note-seq is used, imported light: no TensorFlow.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from psc_looper.inference.configs import DRUMS_RNN, IMPROV_RNN, EngineConfig
from psc_looper.inference.search import EventSearch, Options
from psc_looper.models.errors import GenerationError
from psc_looper.models.noteseq import import_note_seq

STEPS_PER_QUARTER = 4  # magenta's melody and drum configs


def _check_sections(options: Any) -> None:
    if len(options.input_sections) > 1:
        raise GenerationError("the engine supports at most one input section")
    if len(options.generate_sections) != 1:
        raise GenerationError("the engine needs exactly one generate section")


def _extract(events: Any, quantized: Any, search_start_step: int, **kwargs: Any) -> Any:
    """The one event sequence magenta's extractor (gap_bars=inf, min_bars=0) keeps."""
    events.from_quantized_sequence(quantized, search_start_step=search_start_step,
                                   gap_bars=float("inf"), **kwargs)
    return events


class EngineGenerator:
    """A MelodyRNN or DrumsRNN bundle generating with the NumPy engine."""

    def __init__(self, config: EngineConfig, search: EventSearch) -> None:
        self.config = config
        self.search = search

    def initialize(self) -> None:  # magenta's interface: the engine is ready at load
        pass

    def close(self) -> None:
        pass

    def _primer(self, ns: Any, quantized: Any, input_start_step: int, start_step: int) -> Any:
        if self.config.family == DRUMS_RNN:
            events = _extract(ns.DrumTrack(), quantized, input_start_step, ignore_is_drum=True)
            if events:
                return events
            empty = ns.DrumTrack
        else:
            events = self._melody(ns, quantized, input_start_step)
            if events is not None:
                return events
            empty = ns.Melody
        steps_per_bar = int(ns.steps_per_bar_in_quantized_sequence(quantized))
        return empty([], start_step=max(0, start_step - 1), steps_per_bar=steps_per_bar,
                     steps_per_quarter=STEPS_PER_QUARTER)

    @staticmethod
    def _melody(ns: Any, quantized: Any, input_start_step: int) -> Any:
        """The melody of the first instrument with one (as magenta, min 1 unique pitch)."""
        for instrument in sorted({n.instrument for n in quantized.notes}):
            melody = ns.Melody()
            try:
                _extract(melody, quantized, input_start_step, instrument=instrument,
                         ignore_polyphonic_notes=True)
            except ns.PolyphonicMelodyError:
                continue
            if melody and (melody.get_note_histogram() > 0).any():
                return melody
        return None

    def generate(self, input_sequence: Any, options: Any) -> Any:
        """magenta's ``BaseSequenceGenerator.generate`` for this bundle's family."""
        ns = import_note_seq()
        _check_sections(options)
        qpm = input_sequence.tempos[0].qpm if input_sequence.tempos else 120.0
        steps_per_second = ns.steps_per_quarter_to_steps_per_second(STEPS_PER_QUARTER, qpm)
        section = options.generate_sections[0]
        improv = self.config.family == IMPROV_RNN
        backing_start, primer_end, input_start_step = 0.0, section.start_time, 0
        if options.input_sections:
            backing_start, primer_end = (options.input_sections[0].start_time,
                                         options.input_sections[0].end_time)
            input_start_step = ns.quantize_to_step(backing_start, steps_per_second,
                                                   quantize_cutoff=0)
        primer = input_sequence
        if options.input_sections or improv:
            primer = ns.trim_note_sequence(input_sequence, backing_start, primer_end)
        last_end = max((n.end_time for n in primer.notes), default=0)
        if last_end > section.start_time or (improv and last_end == section.start_time):
            raise GenerationError("the generate section starts before the primer ends")
        quantized = ns.quantize_note_sequence(primer, STEPS_PER_QUARTER)
        start_step = ns.quantize_to_step(section.start_time, steps_per_second,
                                         quantize_cutoff=0)
        end_step = ns.quantize_to_step(section.end_time, steps_per_second, quantize_cutoff=1.0)
        events = self._primer(ns, quantized, input_start_step, start_step)
        events.set_length(start_step - events.start_step)
        args = {name: getattr(options.args[name], kind) for name, kind in (
            ("temperature", "float_value"), ("beam_size", "int_value"),
            ("branch_factor", "int_value"), ("steps_per_iteration", "int_value"),
        ) if name in options.args}
        if not improv:
            generated = self.generate_events(end_step - events.start_step, events,
                                             Options(**args))
            return generated.to_sequence(qpm=qpm)
        backing = ns.quantize_note_sequence(
            ns.trim_note_sequence(input_sequence, backing_start, section.end_time),
            STEPS_PER_QUARTER)
        chords = ns.ChordProgression()
        chords.from_quantized_sequence(backing, 0, backing.total_quantized_steps)
        if chords.start_step < events.start_step:
            chords.set_length(len(chords) - events.start_step + chords.start_step)
        generated = self.generate_events(len(chords), events, Options(**args), chords)
        return ns.LeadSheet(generated, chords).to_sequence(qpm=qpm)

    def improvise(self, primer: Any, chords: Sequence[str], options: Options) -> Any:
        """ImprovRNN: the note-seq ``Melody`` ``primer`` continued over ``chords``.

        ``chords`` holds one chord symbol (note-seq's, e.g. "Dm7", or "N.C.") per step,
        from the primer's first step to the end of the generation: the result is as
        long as ``chords``.
        """
        if self.config.family != IMPROV_RNN:
            raise GenerationError(f"'{self.config.config_id}' is not an ImprovRNN config")
        if len(chords) <= len(primer):
            raise GenerationError(f"{len(chords)} chords for a primer of {len(primer)} steps")
        ns = import_note_seq()
        progression = ns.ChordProgression(list(chords), start_step=primer.start_step,
                                          steps_per_bar=primer.steps_per_bar,
                                          steps_per_quarter=primer.steps_per_quarter)
        return self.generate_events(len(chords), primer, options, progression)

    def generate_events(self, num_steps: int, primer: Any, options: Options,
                        controls: Any = None) -> Any:
        """``primer`` extended to ``num_steps``; melodies squashed into the config's range
        (and key) for the network and moved back after, as magenta does."""
        if self.config.family == DRUMS_RNN:
            return self.search.generate(num_steps, primer, options)
        melody = copy.deepcopy(primer)
        shift = melody.squash(self.config.min_note, self.config.max_note,
                              self.config.transpose_to_key)
        if controls is not None:
            controls = copy.deepcopy(controls)
            controls.transpose(shift)
        melody = self.search.generate(num_steps, melody, options, controls)
        melody.transpose(-shift)
        return melody
