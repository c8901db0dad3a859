"""The bundles we ship: present, small, of the right kind, and they play."""

import pytest

from psc_looper.bundles import BUNDLE_DIR, DEFAULT_DRUMS_BUNDLE, DEFAULT_MELODY_BUNDLE
from psc_looper.models import DrumHit, DrumsModel, MelodyModel, Note

pytestmark = pytest.mark.slow
MAX_BYTES = 10 * 2**20


@pytest.mark.parametrize("path", [DEFAULT_MELODY_BUNDLE, DEFAULT_DRUMS_BUNDLE])
def test_bundle_is_small_and_has_its_held_out_list(path):
    assert 0 < path.stat().st_size <= MAX_BYTES
    held_out = path.with_suffix(".heldout.txt").read_text().split("\n")
    assert len([line for line in held_out if line]) >= 20
    assert path.name in (BUNDLE_DIR / "MODEL_CARD.md").read_text()


def test_melody_bundle_continues_a_primer_reproducibly():
    model = MelodyModel.load(DEFAULT_MELODY_BUNDLE)
    try:
        assert model.config_id == "attention_rnn"
        primer = [Note(s, s + 2, p) for s, p in zip(range(0, 32, 2), [67, 69, 71, 72] * 4,
                                                      strict=True)]
        first = model.generate(primer, 32, primer_steps=32, seed=3)
        assert first == model.generate(primer, 32, primer_steps=32, seed=3)
        assert first and all(32 <= n.start_step < n.end_step <= 64 for n in first)
        assert all(48 <= n.pitch <= 84 for n in first)
    finally:
        model.close()


def test_drums_bundle_continues_a_primer_reproducibly():
    model = DrumsModel.load(DEFAULT_DRUMS_BUNDLE)
    try:
        assert model.config_id == "drum_kit"
        primer = [DrumHit(s, 51) for s in range(0, 32, 4)] + [DrumHit(s, 44) for s in (4, 12)]
        first = model.generate(primer, 32, 32, seed=3)
        assert first == model.generate(primer, 32, 32, seed=3)
        assert first and all(0 <= h.step < 32 for h in first)
    finally:
        model.close()
