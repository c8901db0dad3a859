"""A song must play on time: more notes than a step or a loop may hold (``songs.song``
limits) is refused at load, by the real commands, and at save."""

from __future__ import annotations

import pytest

from psc_looper.config.performer import PerformerSettings
from psc_looper.looper.notes import TRACK_INSTRUMENT, LoopNote, Track
from psc_looper.songs import file as song_file_module
from psc_looper.songs.file import load_song, save_song
from psc_looper.songs.song import MAX_NOTES_PER_LOOP, MAX_NOTES_PER_STEP, Song, SongError, SongLayer
from psc_looper.timing.meter import LoopStructure, Meter
from tests.files.cli import RUN, refused

LARGEST = PerformerSettings(structure=LoopStructure(Meter(16, 4), 4))  # 256 steps


def _layer(notes: int, steps: int, track: Track = Track.BASS, replaces: bool = True,
           first: int = 0):
    return SongLayer(track, replaces, tuple(
        LoopNote(first + i % steps, track, TRACK_INSTRUMENT[track], 30 + i % 60, 80, 1)
        for i in range(notes)))


def _written(tmp_path, monkeypatch, *layers: SongLayer):
    """A song file holding ``layers`` as written (the save's own check skipped)."""
    monkeypatch.setattr(song_file_module, "check_playable", lambda song: None)
    path = save_song(Song("stacked", LARGEST, layers=layers), tmp_path / "stacked.toml")
    monkeypatch.undo()
    return path


@pytest.mark.parametrize("command, notes", [(["song", "check"], 100_000),
                                            (["song", "show"], 5000),
                                            ([*RUN, "--song"], 5000)])
def test_a_layer_of_100000_notes_in_a_short_loop_is_refused(tmp_path, monkeypatch, capsys,
                                                            command, notes):
    path = _written(tmp_path, monkeypatch, _layer(notes, 16))
    refused([*command, str(path)], path,
            "track 'bass 1 record': more than the 4,096 notes a loop may hold", capsys)


def test_the_limits_per_step_and_per_loop(tmp_path, monkeypatch):
    steps = LARGEST.structure.steps
    full = _written(tmp_path, monkeypatch, _layer(MAX_NOTES_PER_STEP, 1),
                    _layer(MAX_NOTES_PER_LOOP - MAX_NOTES_PER_STEP, steps - 1, Track.CHORDS,
                           first=1))
    assert len(load_song(full).layers) == 2  # at the limits: plays
    step = _written(tmp_path, monkeypatch, _layer(MAX_NOTES_PER_STEP + 1, 1))
    with pytest.raises(SongError, match="65 notes on step 0, more than the 64 a step may hold"):
        load_song(step)
    loop = _written(tmp_path, monkeypatch, _layer(3000, steps),
                    _layer(3000, steps, Track.CHORDS))
    with pytest.raises(SongError, match="6,000 notes sound together, more than the 4,096"):
        load_song(loop)
    replaced = _written(tmp_path, monkeypatch, _layer(3000, steps), _layer(3000, steps))
    assert len(load_song(replaced).layers) == 2  # a record replaces: 3,000 sound


def test_a_song_over_the_limits_is_not_saved(tmp_path):
    with pytest.raises(SongError, match="not saved: 65 notes on step 0"):
        save_song(Song("dense", layers=(_layer(65, 1),)), tmp_path / "dense.toml")
    assert not list(tmp_path.iterdir())
