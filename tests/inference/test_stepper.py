"""The stepper: per-step logits equal the engine's full-sequence pass over the same events
(ImprovRNN over its chords, MelodyRNN attention), a seeded run repeats, the chord weight
moves probability onto chord tones, and the line keeps the primer's register."""

from __future__ import annotations

import numpy as np
import pytest

from psc_looper.bundles import DEFAULT_IMPROV_BUNDLE, DEFAULT_MELODY_BUNDLE
from psc_looper.harmony.chords import parse_chord
from psc_looper.inference.configs import IMPROV_RNN, MELODY_RNN
from psc_looper.inference.loader import load_generator
from psc_looper.inference.stepper import NO_EVENT, NOTE_OFF, Stepper, octave_shift

DM7, G7, CMAJ7 = parse_chord("Dm7"), parse_chord("G7"), parse_chord("Cmaj7")
PRIMER = [74, NO_EVENT, 72, NOTE_OFF, 69, NO_EVENT, NO_EVENT, 65, NO_EVENT, 64, 62, NOTE_OFF]


@pytest.fixture(scope="module")
def improv():
    return load_generator(DEFAULT_IMPROV_BUNDLE, IMPROV_RNN)


@pytest.fixture(scope="module")
def melody():
    return load_generator(DEFAULT_MELODY_BUNDLE, MELODY_RNN)


def chord_at(step):
    return (DM7, G7, CMAJ7, None)[(step // 8) % 4]


def stepped_logits(stepper, steps, rng):
    """Run ``steps`` sampled steps; the logits each one was drawn from."""
    logits = []
    for k in range(steps):
        chord = chord_at(len(PRIMER) + k)
        logits.append(stepper.logits(chord).copy())
        stepper.advance(stepper.sample(rng, chord, 3.0), chord)
    return logits


def full_sequence_logits(generator, stepper):
    """The engine's pass over the stepper's whole line at once (as its search primes)."""
    ns_events, chords = stepper.model_events, stepper.model_chords
    search = generator.search
    melody = stepper._melody
    if stepper.takes_chords:
        ns = stepper._ns
        controls = ns.ChordProgression([*chords, chords[-1]])
        inputs = search.encoder.get_inputs_batch([controls], [melody], True)
    else:
        inputs = search.encoder.get_inputs_batch([melody], True)
    assert len(inputs[0]) == len(ns_events)
    logits, _ = search.network.run(np.asarray(inputs, np.float32), search.network.zero_state(1))
    return logits[0]


@pytest.mark.parametrize("which", ["improv", "melody"])
def test_per_step_logits_equal_the_full_sequence_pass(which, request):
    generator = request.getfixturevalue(which)
    stepper = Stepper(generator)
    stepper.start(PRIMER, [chord_at(k) for k in range(len(PRIMER))])
    stepped = stepped_logits(stepper, 40, np.random.default_rng(3))
    full = full_sequence_logits(generator, stepper)
    # full[i] predicts event i + 1: the stepped ones start after the primer
    expected = full[len(PRIMER) - 1 : len(PRIMER) - 1 + 40]
    assert np.max(np.abs(np.array(stepped) - expected)) < 1e-5


def test_the_chord_changes_the_improv_distribution_and_not_the_melody_one(improv, melody):
    for generator, differs in ((improv, True), (melody, False)):
        stepper = Stepper(generator)
        stepper.start(PRIMER, [DM7] * len(PRIMER))
        assert (not np.allclose(stepper.logits(G7), stepper.logits(CMAJ7))) is differs


def test_a_seeded_run_repeats_and_another_seed_differs(improv):
    def run(seed):
        stepper = Stepper(improv)
        stepper.start(PRIMER, [DM7] * len(PRIMER))
        stepped_logits(stepper, 48, np.random.default_rng(seed))
        return stepper.model_events

    assert run(5) == run(5)
    assert run(5) != run(6)


def test_chord_weight_moves_probability_onto_chord_tones(improv):
    stepper = Stepper(improv)
    stepper.start(PRIMER, [DM7] * len(PRIMER))
    events = stepper.events()
    tones = [i for i, e in enumerate(events) if e >= 0 and e % 12 in G7.pitch_classes]
    plain, weighted = stepper.weighted(G7, 1.0), stepper.weighted(G7, 3.0)
    assert weighted.sum() == pytest.approx(1.0)
    share, heavier = plain[tones].sum(), weighted[tones].sum()
    assert heavier == pytest.approx(3 * share / (3 * share + 1 - share))
    assert np.allclose(stepper.weighted(None, 3.0), stepper.distribution(None))


def test_the_line_continues_in_the_primer_register(improv):
    high = [p + 24 if p >= 0 else p for p in PRIMER]  # two octaves up: outside the model range
    stepper = Stepper(improv)
    stepper.start(high, [DM7] * len(high))
    assert stepper.shift == -24
    rng = np.random.default_rng(1)
    pitches = []
    for _ in range(64):
        event = stepper.sample(rng, G7)
        stepper.advance(event, G7)
        pitches += [event] if event >= 0 else []
    assert pitches and min(pitches) >= 48 + 24 - 12 and np.median(pitches) > 84


def test_octave_shift_centres_the_line_and_bad_primers_are_refused(improv):
    assert octave_shift([96, 100], 48, 84) == -36
    assert octave_shift([], 48, 84) == 0
    stepper = Stepper(improv)
    with pytest.raises(ValueError, match="at least one step"):
        stepper.start([])
    with pytest.raises(ValueError, match="one chord per primer step"):
        stepper.start([60, NO_EVENT], [DM7])


@pytest.mark.parametrize("which", ["improv", "melody"])
def test_events_are_plain_ints_that_osc_can_send(which, request):
    from pythonosc.osc_message_builder import build_msg

    stepper = Stepper(request.getfixturevalue(which))
    chords = [chord_at(k) for k in range(len(PRIMER))] if which == "improv" else None
    stepper.start(PRIMER, chords)
    event = stepper.sample(np.random.default_rng(1), chord_at(len(PRIMER)), 2.0)
    assert type(stepper.shift) is int and type(event) is int  # numpy integers are not
    assert build_msg("/playwurly", [event, 100]).dgram  # python-osc refuses numpy integers
