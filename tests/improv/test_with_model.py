"""Call and response with a real (tiny, untrained) MelodyRNN bundle, generating inline."""

import pytest

from psc_looper.app import BackendConfig
from psc_looper.improv import Phase
from psc_looper.improv.voicing import place_line, reference_pitch
from psc_looper.models import BundleError
from psc_looper.rig import VirtualRig
from tests.helpers import unmatched_notes
from tests.improv.conftest import run_of

pytestmark = pytest.mark.slow


def improvise(improv):
    """20 notes of the pianist, then 12 keys after a rest (the machine's turn)."""
    improv.start()
    improv.play(run_of(20))  # steps 0..38
    keys = [(48 + 2 * i, 60 + i % 3, 1) for i in range(12)]
    improv.play(keys)
    return keys


def test_the_machine_plays_melodyrnn_pitches_in_the_pianists_rhythm(improv_rig, real_model):
    improv = improv_rig(real_model, max_leap=127)  # the line as generated (no leap folding)
    keys = improvise(improv)
    (answer,) = real_model.answers
    assert answer, "the tiny model answered with notes"
    generated = [n.pitch for n in sorted(answer, key=lambda n: (n.start_step, -n.pitch))][:20]
    takeover_key = keys[0][1]
    reference = reference_pitch([*improv.pianist()[-3:], takeover_key])
    expected = place_line(generated, reference)[: len(keys)]
    assert improv.machine() == expected
    assert improv.pianist() == [p for _, p, _ in run_of(20)]
    assert not unmatched_notes(improv.live())


def test_same_seed_same_music(improv_rig, real_model):
    first = improv_rig(real_model)
    improvise(first)
    second = improv_rig(real_model)
    improvise(second)
    assert first.machine() == second.machine() and first.machine()


def test_the_backend_attaches_improv_with_a_bundle_and_refuses_a_bad_one(
    melody_bundle, tmp_path
):
    rig = VirtualRig(BackendConfig(melody_bundle=melody_bundle, inline_generation=True))
    try:
        feature = rig.backend.improv
        assert feature is not None
        assert feature.phase is Phase.LISTENING
        assert "improv" in rig.looper.snapshot().extras
    finally:
        rig.backend.close()
    bad = tmp_path / "bad.mag"
    bad.write_bytes(b"not a bundle")
    with pytest.raises(BundleError):
        VirtualRig(BackendConfig(melody_bundle=bad))
