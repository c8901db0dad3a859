"""Two models: the chord model (an ImprovRNN) answers, over the exact chords, whenever the
harmony is known (a chart, or a recorded chord loop); the plain MelodyRNN answers, without
chords, when it is not. The choice is made at each request; both models are closed once."""

from pathlib import Path

import pytest

from psc_looper.app import BackendConfig
from psc_looper.bundles import DEFAULT_MELODY_BUNDLE
from psc_looper.improv import ImprovFeature
from psc_looper.improv.options import Boundary
from psc_looper.looper.notes import Track
from psc_looper.looper.recording import quantize
from psc_looper.models import BundleError, ImprovModel, MelodyModel
from psc_looper.rig import VirtualRig
from tests.improv.conftest import ScriptedMelody, run_of
from tests.improv.test_changes import (
    CHORD_LOOP,
    CMAJ7,
    DM7,
    G7,
    C,
    F,
    ScriptedImprov,
    pitch_classes,
)

QUICK = {"threshold": 4, "boundary": Boundary.NONE, "breath_steps": 0}


def the_call(model, first_onset, index=0):
    """(absolute step of primer step 0, chords given, primer steps, generated steps)."""
    primer, num_steps, options = model.calls[index]
    origin = quantize(first_onset) - primer[0].start_step
    return origin, pitch_classes(options["chords"]), options["primer_steps"], num_steps


def test_with_a_chart_the_chord_model_answers_over_its_chords(improv_rig):
    plain, chords_model = ScriptedMelody(), ScriptedImprov()
    improv = improv_rig(plain, chord_model=chords_model, changes="Dm7 G7 | Cmaj7 |")
    improv.start()
    improv.play(run_of(20, start=20))
    improv.rig.advance_to_step(80)
    assert plain.calls == [] and len(chords_model.calls) == 1
    origin, chords, primer_steps, num_steps = the_call(chords_model, 20)

    def sounding(step):
        bar, in_bar = divmod(step, 16)
        return CMAJ7 if bar % 2 else (DM7 if in_bar < 8 else G7)

    assert len(chords) == primer_steps + num_steps
    assert chords == [sounding(origin + k) for k in range(len(chords))]
    assert improv.feature.describe().endswith("ImprovRNN over chart")


def test_with_a_recorded_chord_loop_the_chord_model_hears_it_at_every_step(improv_rig):
    plain, chords_model = ScriptedMelody(), ScriptedImprov()
    improv = improv_rig(plain, chord_model=chords_model)
    improv.rig.looper.replace_track(Track.CHORDS, CHORD_LOOP)
    improv.start()
    improv.play(run_of(20, start=40, every=1.5))  # steps 40..68.5: loops 2 and 3
    improv.rig.advance_to_step(80)
    assert plain.calls == [] and len(chords_model.calls) == 1
    origin, chords, primer_steps, num_steps = the_call(chords_model, 40)
    assert len(chords) == primer_steps + num_steps and origin + len(chords) > 96
    assert chords == [C if (origin + k) % 32 < 16 else F for k in range(len(chords))]
    assert improv.feature.describe().endswith("ImprovRNN over loop chords")


def test_without_harmony_the_plain_model_answers_without_chords(improv_rig):
    plain, chords_model = ScriptedMelody(), ScriptedImprov()
    improv = improv_rig(plain, chord_model=chords_model)
    assert improv.feature.describe().endswith("MelodyRNN (no chords known)")
    improv.start()
    improv.play(run_of(20))
    improv.rig.advance_to_step(64)
    assert chords_model.calls == [] and len(plain.calls) == 1
    assert "chords" not in plain.calls[0][2]


def test_the_model_follows_the_harmony_request_by_request(improv_rig):
    plain, chords_model = ScriptedMelody([]), ScriptedImprov([])  # silence: listen again
    improv = improv_rig(plain, chord_model=chords_model, **QUICK)
    improv.start()
    improv.play(run_of(4))
    improv.rig.advance_to_step(12)
    assert (len(plain.calls), len(chords_model.calls)) == (1, 0)
    assert improv.feature.set_changes("Bb7 |")  # a chart set later: the chord model answers
    assert improv.feature.describe().endswith("ImprovRNN over chart")
    improv.play(run_of(4, start=16))
    improv.rig.advance_to_step(28)
    assert (len(plain.calls), len(chords_model.calls)) == (1, 1)
    chords = chords_model.calls[0][2]["chords"]
    assert chords and {c.name() for c in chords} == {"Bb7"}  # type: ignore[union-attr]
    assert improv.feature.set_changes("")  # chart gone, no chord loop: MelodyRNN again
    improv.play(run_of(4, start=32))
    improv.rig.advance_to_step(44)
    assert (len(plain.calls), len(chords_model.calls)) == (2, 1)
    assert "chords" not in plain.calls[1][2]
    improv.rig.looper.replace_track(Track.CHORDS, CHORD_LOOP)  # a chord loop recorded
    improv.play(run_of(4, start=64))  # after the loop start, where the loop is re-read
    improv.rig.advance_to_step(76)
    assert (len(plain.calls), len(chords_model.calls)) == (2, 2)
    assert set(pitch_classes(chords_model.calls[1][2]["chords"])) == {C, F}


def test_an_improv_model_alone_gets_no_chord_when_no_harmony_is_known(improv_rig):
    model = ScriptedImprov()
    improv = improv_rig(model)
    assert improv.feature.chord_model is model
    assert improv.feature.describe().endswith("ImprovRNN (no chords known)")
    improv.start()
    improv.play(run_of(20))
    improv.rig.advance_to_step(64)
    (_, num_steps, options), = model.calls
    assert options["chords"] == (None,) * (options["primer_steps"] + num_steps)


def test_a_melody_model_alone_has_no_chord_model_and_no_model_word(improv_rig):
    improv = improv_rig(ScriptedMelody(), changes="Dm7 G7 | Cmaj7 |")
    assert improv.feature.chord_model is None
    assert "RNN" not in improv.feature.describe()


class Closable(ScriptedMelody):
    def __init__(self) -> None:
        super().__init__()
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


class ClosableImprov(Closable):
    config_id = "chord_pitches_improv"


def test_close_closes_both_models_once_each():
    rig = VirtualRig()
    plain, chords_model = Closable(), ClosableImprov()
    ImprovFeature(plain, chord_model=chords_model, inline=True).close()
    assert (plain.closed, chords_model.closed) == (1, 1)
    alone = ClosableImprov()  # the model is its own chord model: closed once
    ImprovFeature(alone, inline=True).close()
    assert alone.closed == 1
    rig.backend.close()


# ---------------------------------------------------------------------- the backend's models
@pytest.fixture
def fake_loads(monkeypatch):
    """Backend.load_model answers fakes by kind; every bundle reads as a MelodyRNN one."""
    loaded: dict[type, Closable] = {MelodyModel: Closable(), ImprovModel: ClosableImprov()}
    monkeypatch.setattr("psc_looper.app.melody_model_class", lambda path: MelodyModel)
    monkeypatch.setattr("psc_looper.app.Backend.load_model",
                        lambda self, kind, path: loaded[kind])
    return loaded


def improv_feature(rig: VirtualRig) -> ImprovFeature:
    feature = rig.backend.improv
    assert feature is not None
    return feature


def test_the_backend_gives_the_improv_bundle_as_the_chord_model(fake_loads):
    rig = VirtualRig(BackendConfig(melody_bundle=Path("m.mag"), improv_bundle=Path("i.mag"),
                                   inline_generation=True))
    feature = improv_feature(rig)
    assert feature.model is fake_loads[MelodyModel]
    assert feature.chord_model is fake_loads[ImprovModel]
    rig.backend.close()
    assert fake_loads[MelodyModel].closed == 1 and fake_loads[ImprovModel].closed == 1


def test_an_improv_bundle_alone_is_the_only_model(fake_loads):
    rig = VirtualRig(BackendConfig(improv_bundle=Path("i.mag"), inline_generation=True))
    feature = improv_feature(rig)
    assert feature.model is feature.chord_model is fake_loads[ImprovModel]
    rig.backend.close()
    assert fake_loads[ImprovModel].closed == 1 and fake_loads[MelodyModel].closed == 0


def test_a_melody_bundle_as_the_improv_bundle_is_one_line_naming_it():
    with pytest.raises(BundleError) as caught:
        VirtualRig(BackendConfig(improv_bundle=DEFAULT_MELODY_BUNDLE, inline_generation=True))
    message = str(caught.value)
    assert message.startswith(f"{DEFAULT_MELODY_BUNDLE}: ") and "\n" not in message
    assert "is a melody_rnn bundle, not improv_rnn" in message


def test_the_melody_model_is_closed_when_the_improv_bundle_fails(fake_loads, monkeypatch):
    def load(self, kind, path):
        if kind is ImprovModel:
            raise BundleError(f"{path}: no such bundle file")
        return fake_loads[kind]

    monkeypatch.setattr("psc_looper.app.Backend.load_model", load)
    with pytest.raises(BundleError, match="no such bundle file"):
        VirtualRig(BackendConfig(melody_bundle=Path("m.mag"), improv_bundle=Path("i.mag"),
                                 inline_generation=True))
    assert fake_loads[MelodyModel].closed == 1


def test_without_chart_or_loop_the_left_hands_chord_is_the_harmony(improv_rig):
    plain, chords_model = ScriptedMelody(), ScriptedImprov()
    improv = improv_rig(plain, chord_model=chords_model, split="59")
    improv.start()
    comping = [(at, p, 6) for at in (18, 34, 50, 66) for p in (48, 50, 53, 57)]  # Dm7 low
    improv.play(comping + run_of(20, start=20))
    improv.rig.advance_to_step(80)
    assert plain.calls == [] and len(chords_model.calls) == 1
    _, chords, _, _ = the_call(chords_model, 20)
    assert set(chords) == {DM7}
    assert improv.feature.describe().endswith("ImprovRNN over the left hand's chord")
    assert {48, 50, 53, 57} <= set(improv.pianist())  # the accompaniment passes through


def test_a_left_hand_gone_quiet_leaves_the_harmony_unknown(improv_rig):
    plain, chords_model = ScriptedMelody(), ScriptedImprov()
    improv = improv_rig(plain, chord_model=chords_model, split="59")
    improv.start()
    improv.play([(2, p, 6) for p in (48, 50, 53, 57)] + run_of(20, start=20))
    improv.rig.advance_to_step(80)
    assert chords_model.calls == [] and len(plain.calls) == 1  # struck more than a bar ago
