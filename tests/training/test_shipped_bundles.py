"""The bundles we ship: present, small, of the right kind, and they play."""

import pytest

from psc_looper.bundles import (
    BUNDLE_DIR,
    DEFAULT_BASS_MODEL,
    DEFAULT_DRUMS_BUNDLE,
    DEFAULT_IMPROV_BUNDLE,
    DEFAULT_MELODY_BUNDLE,
)
from psc_looper.harmony.chords import parse_chord
from psc_looper.models import DrumHit, DrumsModel, ImprovModel, MelodyModel, Note
from psc_looper.training.wjazzd import solo_infos

pytestmark = pytest.mark.slow
MAX_BYTES = 10 * 2**20


FOLK_BUNDLE = BUNDLE_DIR / "folk.mag"


@pytest.mark.parametrize("path", [DEFAULT_MELODY_BUNDLE, DEFAULT_IMPROV_BUNDLE,
                                  DEFAULT_DRUMS_BUNDLE, FOLK_BUNDLE, DEFAULT_BASS_MODEL])
def test_bundle_is_small_and_has_its_held_out_list(path):
    assert 0 < path.stat().st_size <= MAX_BYTES
    held_out = path.with_suffix(".heldout.txt").read_text().split("\n")
    assert len([line for line in held_out if line]) >= 20
    assert path.name in (BUNDLE_DIR / "MODEL_CARD.md").read_text()


II_V_I = [parse_chord(c) for bar in ("Dm7", "G7", "Cmaj7", "Cmaj7") for c in [bar] * 16]


@pytest.mark.parametrize(("kind", "path", "config_id", "harmony"), [
    (MelodyModel, DEFAULT_MELODY_BUNDLE, "attention_rnn", {}),
    (ImprovModel, DEFAULT_IMPROV_BUNDLE, "chord_pitches_improv", {"chords": II_V_I}),
], ids=["melody", "improv"])
def test_melody_bundles_continue_a_primer_reproducibly(kind, path, config_id, harmony):
    model = kind.load(path)
    try:
        assert model.config_id == config_id
        primer = [Note(s, s + 2, p) for s, p in zip(range(0, 32, 2), [62, 65, 69, 72] * 4,
                                                      strict=True)]
        first = model.generate(primer, 32, primer_steps=32, seed=3, **harmony)
        assert first == model.generate(primer, 32, primer_steps=32, seed=3, **harmony)
        assert first and all(32 <= n.start_step < n.end_step <= 64 for n in first)
        assert all(48 <= n.pitch <= 84 for n in first)
    finally:
        model.close()


def test_drums_bundle_continues_a_primer_reproducibly():
    model = DrumsModel.load(DEFAULT_DRUMS_BUNDLE)
    try:
        assert model.config_id == "drum_kit"
        primer = [DrumHit(s, 51) for s in range(0, 32, 4)] + [DrumHit(s, 44) for s in (4, 12)]
        first = model.generate(primer, 32, primer_steps=32, seed=3)
        assert first == model.generate(primer, 32, primer_steps=32, seed=3)
        assert first and all(0 <= h.step < 32 for h in first)
    finally:
        model.close()


def test_the_jazz_bundles_hold_out_the_same_whole_solos():
    melody, improv = (p.with_suffix(".heldout.txt").read_text().split()
                      for p in (DEFAULT_MELODY_BUNDLE, DEFAULT_IMPROV_BUNDLE))
    assert melody == improv and set(melody) <= set(solo_infos())
