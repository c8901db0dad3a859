import logging
import logging.handlers

import pytest

from psc_looper.commands.logs import setup_logging
from tests.helpers import improv_labelled_bundle


def test_logging_goes_through_a_queue_so_the_loop_thread_never_writes():
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        root.handlers = []
        setup_logging(verbose=False)
        setup_logging(verbose=False)  # idempotent
        handlers = [h for h in root.handlers if isinstance(h, logging.handlers.QueueHandler)]
        assert len(handlers) == 1 and root.handlers == handlers
    finally:
        root.handlers, _ = saved
        root.setLevel(saved[1])


# ---------------------------------------------------------------------- run: the improv bundle
def _run_args(*argv: str):
    from psc_looper.cli import build_parser

    return build_parser().parse_args(["run", *argv])


@pytest.fixture
def shipped_improv(tmp_path, monkeypatch):
    """The shipped improv bundle, present (a file) in a temporary place."""
    from psc_looper.commands import run
    from tests.helpers import fake_shipped_improv

    return fake_shipped_improv(tmp_path, monkeypatch, run)


def test_run_takes_the_shipped_improv_bundle_unless_told(shipped_improv, tmp_path):
    from psc_looper.commands.run import config_from

    assert config_from(_run_args()).improv_bundle == shipped_improv
    assert config_from(_run_args("--no-models")).improv_bundle is None
    own = tmp_path / "own.mag"
    assert config_from(_run_args("--improv-bundle", str(own))).improv_bundle == own
    assert config_from(_run_args("--no-models", "--improv-bundle", str(own))).improv_bundle \
        is None
    melody = tmp_path / "plain.mag"  # a melody bundle given (not an ImprovRNN): both play
    assert config_from(_run_args("--melody-bundle", str(melody))).improv_bundle == shipped_improv
    shipped_improv.unlink()  # not shipped yet: none, as before there was one
    config = config_from(_run_args())
    assert config.improv_bundle is None and config.melody_bundle is not None


def test_run_with_an_improv_bundle_as_the_melody_keeps_it_answering_over_chords(
        shipped_improv, tmp_path):
    from psc_looper.commands.run import config_from

    improv = improv_labelled_bundle(tmp_path / "jazz.mag")
    config = config_from(_run_args("--melody-bundle", str(improv)))
    assert config.melody_bundle == improv and config.improv_bundle is None
    own = tmp_path / "own.mag"  # both given: the improv bundle is the chord model
    config = config_from(_run_args("--melody-bundle", str(improv), "--improv-bundle", str(own)))
    assert config.improv_bundle == own


def test_run_takes_the_improv_bundle_of_a_song(shipped_improv, tmp_path):
    from psc_looper.commands.run import config_from
    from psc_looper.songs.file import save_song
    from psc_looper.songs.song import Song

    song = save_song(Song(name="blue", improv_bundle=str(tmp_path / "models" / "blue.mag")),
                     tmp_path / "blue.toml")
    assert config_from(_run_args("--song", str(song))).improv_bundle == \
        tmp_path / "models" / "blue.mag"
    own = tmp_path / "own.mag"  # the command line wins over the song
    assert config_from(_run_args("--song", str(song), "--improv-bundle", str(own))) \
        .improv_bundle == own
