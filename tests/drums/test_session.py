"""A scripted session on the virtual rig: record a bass line, build the beat, groove on it."""

from psc_looper.looper.notes import Track
from tests.drums.conftest import drum_hits, drums_of, part_hits
from tests.helpers import plays, unmatched_notes
from tests.looper.test_engine import record

PLAY, STOP, BASS_REC, BUILD_BEAT, GENERATE = 41, 42, 65, 34, 66
LOOP = 32


def test_bass_line_then_beat_then_groove(drums_rig):
    rig = drums_rig()
    feature = drums_of(rig)
    rig.press(PLAY)
    rig.advance_to_step(0)
    record(rig, BASS_REC, [(0, 36, 4), (6.2, 43, 2), (11.8, 41, 2), (20, 38, 4)])
    rig.advance_to_step(LOOP + 1)
    assert [n.onset for n in rig.looper.track_notes(Track.BASS)] == [0, 6, 12, 20]

    rig.press(BUILD_BEAT)
    rig.advance_to_step(2 * LOOP + 5)
    rig.press(GENERATE)
    rig.advance_to_step(4 * LOOP)
    beat = drum_hits(rig, 2 * LOOP, 3 * LOOP)
    assert sorted(k for k, sound, _ in beat if sound == "snare") == [0, 6, 12, 20]
    assert sorted(k for k, sound, _ in beat if sound == "kick") == [0, 16]
    assert sorted(k for k, sound, _ in beat if sound == "clhat") == list(range(0, LOOP, 2))
    assert drum_hits(rig, 3 * LOOP, 4 * LOOP) == part_hits(feature.current.notes)
    start, end = rig.step_time(3 * LOOP), rig.step_time(4 * LOOP)
    bass = [s for s in plays(rig.sent, "bass") if s.at is not None and start <= s.at < end]
    assert len(bass) == 4  # the bass line loops on under the groove

    rig.press(STOP)
    assert unmatched_notes(rig.sent) == {}
    looped_drum_stops = [s for s in rig.sent if s.at is not None and s.address.startswith("/stop")
                         and s.address[5:] in {"kick", "snare", "clhat"}]
    assert looped_drum_stops, "the loop stops each drum hit itself, not only on stop"
