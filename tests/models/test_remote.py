"""A model in a child process gives the same music as in-process, and fails cleanly."""

import os
import signal

import pytest

from psc_looper.models import BundleError, DrumHit, DrumsModel, GenerationError, MelodyModel, Note
from psc_looper.models.remote import RemoteModel

pytestmark = pytest.mark.slow

PRIMER = [Note(0, 2, 60), Note(2, 4, 62), Note(4, 8, 64)]


def test_remote_generation_equals_local_with_the_same_seed(melody_bundle, drums_bundle):
    remote = RemoteModel("MelodyModel", melody_bundle)
    local = MelodyModel.load(melody_bundle)
    drums_remote = RemoteModel("DrumsModel", drums_bundle)
    drums_local = DrumsModel.load(drums_bundle)
    try:
        assert remote.generate(PRIMER, 16, seed=7) == local.generate(PRIMER, 16, seed=7)
        beat = [DrumHit(0, 36), DrumHit(4, 38)]
        assert drums_remote.generate(beat, 8, primer_steps=8, seed=3) == drums_local.generate(
            beat, 8, primer_steps=8, seed=3)
        assert remote.config_id == local.config_id
        assert remote._proc.pid != os.getpid()
    finally:
        for model in (remote, local, drums_remote, drums_local):
            model.close()


def test_a_bad_bundle_fails_at_start_naming_the_file(tmp_path):
    bad = tmp_path / "broken.mag"
    bad.write_bytes(b"not a bundle")
    with pytest.raises(BundleError, match="broken"):
        RemoteModel("MelodyModel", bad)


def test_generation_errors_come_back_as_errors_and_the_process_serves_on(melody_bundle):
    remote = RemoteModel("MelodyModel", melody_bundle)
    try:
        with pytest.raises(GenerationError, match="pitch"):
            remote.generate([Note(0, 1, 200)], 8)
        assert remote.generate(PRIMER, 8, seed=1)
    finally:
        remote.close()


def test_a_dead_model_process_is_a_generation_error_not_a_hang(melody_bundle):
    remote = RemoteModel("MelodyModel", melody_bundle)
    os.kill(remote._proc.pid, signal.SIGKILL)
    remote._proc.join(5)
    with pytest.raises(GenerationError, match=r"died|gone|closed"):
        remote.generate(PRIMER, 8)
    remote.close()


def test_closing_never_hangs_on_a_stuck_model_process(melody_bundle, monkeypatch):
    import threading
    import time

    from psc_looper.models import remote as remote_module

    monkeypatch.setattr(remote_module, "CLOSE_WAIT_SECONDS", 0.5)
    remote = RemoteModel("MelodyModel", melody_bundle)
    os.kill(remote._proc.pid, signal.SIGSTOP)  # stuck: never answers
    errors = []

    def generate():
        try:
            errors.append(remote.generate(PRIMER, 8))
        except GenerationError as exc:
            errors.append(exc)

    caller = threading.Thread(target=generate)
    caller.start()
    time.sleep(0.3)  # the generation holds the model's lock
    began = time.monotonic()
    remote.close()
    assert time.monotonic() - began < 5
    caller.join(5)
    assert not caller.is_alive() and not remote._proc.is_alive()
    assert errors and isinstance(errors[0], GenerationError), errors
