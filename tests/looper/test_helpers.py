"""The Looper's helpers alone: the layer tracks, the staged switch and the count-in."""

import pytest
from sortedcontainers import SortedKeyList

from psc_looper.looper.countin import CountIn
from psc_looper.looper.layers import LayerTracks
from psc_looper.looper.notes import TRACK_INSTRUMENT, LoopNote, Track
from psc_looper.looper.switch import LoopSettings, StagedSwitch
from psc_looper.osc.protocol import Instrument
from psc_looper.timing.tempo import TempoError


def note(pitch, track=Track.BASS, onset=0):
    instrument = Instrument.CLICK_BEAT if track is Track.CLICK else TRACK_INSTRUMENT[track]
    return LoopNote(onset, track, instrument, pitch, 100, 4)


@pytest.fixture
def sounded():
    return {}


@pytest.fixture
def tracks(sounded):
    return LayerTracks(lambda track, notes: sounded.__setitem__(track, [n.pitch for n in notes]))


def test_a_take_sounds_at_once_and_an_overdub_adds_to_it(tracks, sounded):
    tracks.commit(Track.BASS, [note(40)], overdub=False)
    assert sounded == {Track.BASS: [40]}
    tracks.commit(Track.BASS, [note(43, onset=4)], overdub=True)
    assert sounded[Track.BASS] == [40, 43]
    tracks.commit(Track.BASS, [note(45)], overdub=False)
    assert sounded[Track.BASS] == [45]


def test_undo_while_playing_waits_for_the_loop_start(tracks, sounded):
    tracks.commit(Track.BASS, [note(40)], overdub=False)
    layer = tracks.undo(None)
    tracks.changed(layer, playing=True)
    assert sounded[Track.BASS] == [40]  # still sounding
    tracks.sound_due()
    assert sounded[Track.BASS] == []
    tracks.changed(tracks.redo(Track.BASS), playing=False)  # stopped: at once
    assert sounded[Track.BASS] == [40]


def test_clear_without_a_track_takes_the_last_changed_and_nothing_recorded_is_none(tracks):
    assert tracks.clear(None) is None
    tracks.commit(Track.CHORDS, [note(60, Track.CHORDS)], overdub=False)
    layer = tracks.clear(None)
    assert layer is not None and layer.track is Track.CHORDS and layer.kind == "clear"


def test_late_notes_revise_a_layer_unless_it_was_undone(tracks, sounded):
    layer = tracks.commit(Track.BASS, [note(40)], overdub=False)
    tracks.revise(layer, [note(40), note(41, onset=31)])
    assert sounded[Track.BASS] == [40, 41]
    tracks.undo(Track.BASS)
    tracks.revise(layer, [note(47)])
    assert sounded[Track.BASS] == [40, 41]  # undone: the late notes go nowhere


def test_history_is_a_copy_and_restore_sounds_every_layered_track(tracks, sounded):
    tracks.commit(Track.BASS, [note(40)], overdub=False)
    done, _undone = tracks.history()
    done[0].notes = ()
    assert tracks.history()[0][0].notes == (note(40),)
    tracks.restore([], [])
    assert sounded == {Track.BASS: [], Track.CHORDS: []}
    assert tracks.counts() == {Track.BASS: (0, 0), Track.CHORDS: (0, 0)}


def test_a_staged_switch_is_taken_once_and_a_later_one_replaces_it():
    switch = StagedSwitch()
    switch.stage(LoopSettings("a", qpm=100))
    switch.stage(LoopSettings("b", qpm=110))
    assert switch.take() == LoopSettings("b", qpm=110)
    assert switch.take() is None


def test_a_switch_with_a_bad_tempo_stages_nothing():
    switch = StagedSwitch()
    switch.stage(LoopSettings("a"))
    with pytest.raises(TempoError):
        switch.stage(LoopSettings("b", qpm=1e6))
    assert switch.take() == LoopSettings("a")


def test_count_in_starts_a_bar_early_only_when_on_and_recording():
    count = CountIn()
    assert count.first_step(recording=True, steps_per_bar=16) == 0
    assert count.toggle() is True
    assert count.first_step(recording=False, steps_per_bar=16) == 0
    assert count.first_step(recording=True, steps_per_bar=12) == -12
    assert count.counting(-0.6) and not count.counting(-0.4)


def test_the_count_plays_only_the_first_bars_click():
    notes = SortedKeyList([note(40, onset=0), note(1, Track.CLICK, onset=0),
                           note(2, Track.CLICK, onset=4)], key=lambda n: n.onset)
    assert [n.pitch for n in CountIn.notes_at(notes, -16, 16)] == [1]
    assert [n.pitch for n in CountIn.notes_at(notes, -12, 16)] == [2]
    assert sorted(n.pitch for n in CountIn.notes_at(notes, 0, 16)) == [1, 40]
