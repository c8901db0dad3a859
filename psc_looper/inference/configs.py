"""Configs: the magenta model configs the engine runs, with note-seq's encoder-decoders.

The facts of magenta 2.1.4's ``default_configs`` (melody_rnn, drums_rnn, improv_rnn):
each config's encoder-decoder and the pitch range its melodies are squashed into.
Layer sizes come from the checkpoint and the attention length from the metagraph,
so a bundle trained with other hyperparameters runs as trained. Encoders are built
on demand (note-seq is imported then, light).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from psc_looper.models.noteseq import import_note_seq

MELODY_RNN, DRUMS_RNN, IMPROV_RNN = "melody_rnn", "drums_rnn", "improv_rnn"
MIN_NOTE, MAX_NOTE = 48, 84  # magenta's default melody range (max exclusive)


@dataclass(frozen=True)
class EngineConfig:
    """One magenta config: its family and how it encodes events."""

    config_id: str
    family: str
    encoder: Callable[[Any], Any]  # note_seq module -> encoder-decoder
    min_note: int = MIN_NOTE
    max_note: int = MAX_NOTE
    transpose_to_key: int | None = 0

    def encoder_decoder(self) -> Any:
        return self.encoder(import_note_seq())


def _melody_one_hot(ns: Any, low: int = MIN_NOTE, high: int = MAX_NOTE) -> Any:
    return ns.OneHotEventSequenceEncoderDecoder(ns.MelodyOneHotEncoding(low, high))


def _triads(ns: Any) -> Any:
    return ns.OneHotEventSequenceEncoderDecoder(ns.TriadChordOneHotEncoding())


def _key_melody(ns: Any) -> Any:
    return ns.KeyMelodyEncoderDecoder(min_note=MIN_NOTE, max_note=MAX_NOTE)


def _lookback_melody(ns: Any) -> Any:
    return ns.LookbackEventSequenceEncoderDecoder(ns.MelodyOneHotEncoding(MIN_NOTE, MAX_NOTE))


def _drum_kit(ns: Any) -> Any:
    return ns.LookbackEventSequenceEncoderDecoder(
        ns.MultiDrumOneHotEncoding(), lookback_distances=[], binary_counter_bits=6
    )


def _improv(control: Callable[[Any], Any], target: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda ns: ns.ConditionalEventSequenceEncoderDecoder(control(ns), target(ns))


CONFIGS = {
    c.config_id: c
    for c in (
        EngineConfig("basic_rnn", MELODY_RNN, _melody_one_hot),
        EngineConfig("mono_rnn", MELODY_RNN, lambda ns: _melody_one_hot(ns, 0, 128),
                     min_note=0, max_note=128, transpose_to_key=None),
        EngineConfig("lookback_rnn", MELODY_RNN, _lookback_melody),
        EngineConfig("attention_rnn", MELODY_RNN, _key_melody),
        EngineConfig("drum_kit", DRUMS_RNN, _drum_kit),
        EngineConfig("basic_improv", IMPROV_RNN, _improv(_triads, _melody_one_hot),
                     transpose_to_key=None),
        EngineConfig("attention_improv", IMPROV_RNN, _improv(_triads, _key_melody),
                     transpose_to_key=None),
        EngineConfig("chord_pitches_improv", IMPROV_RNN,
                     _improv(lambda ns: ns.PitchChordsEncoderDecoder(), _melody_one_hot),
                     transpose_to_key=None),
    )
}


def configs_of(family: str) -> list[str]:
    return sorted(c.config_id for c in CONFIGS.values() if c.family == family)
