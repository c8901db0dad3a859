"""Demo 6 (a two-song set list) replayed without models: what the looper itself plays."""

from psc_looper.rig.demos import Bundles, run_demo
from psc_looper.sessions.format import qpm_of

HIGH_LINE = {62, 65, 69, 67, 64, 60}  # the overdub that is undone
STEPS_PER_LOOP_1 = 32  # song 1: 4/4, 2 bars


def test_the_gig_demo_switches_songs_and_takes_an_overdub_back(tmp_path):
    run = run_demo("6-gig-set-list", tmp_path, bundles=Bundles(None, None))
    out = run.output
    per_step = out.ticks_per_beat / 4
    assert [round(qpm_of(s.us_per_beat)) for s in out.tempo.segments] == [100, 132]
    switch = out.tempo.segments[1].tick / per_step
    first_click = min(n.start for n in out.notes if n.track == "click") / per_step
    assert switch - first_click == 7 * STEPS_PER_LOOP_1  # song 2 from a loop start
    # the overdub loops once (loop 2) and is gone after the undo
    loops = {int((n.start / per_step - first_click) // STEPS_PER_LOOP_1)
             for n in out.notes if n.track == "bass" and n.pitch in HIGH_LINE
             and n.start / per_step < switch}
    assert loops == {2}
    # song 2's own layers play after the switch: its waltz bass (43..50) and chords
    after = [n for n in out.notes if n.start / per_step >= switch]
    assert {n.pitch for n in after if n.track == "bass"} >= {43, 47, 50, 45, 48}
    assert any(n.track == "chords" for n in after)
    # nothing of song 1 sounds past the switch
    assert not [n for n in out.notes if n.start / per_step < switch < n.end / per_step - 0.01
                and n.track in ("bass", "chords")]
    assert "song: Waltz for G | chart Gmaj7 | Am7 D7" in "\n".join(run.result.summary())
