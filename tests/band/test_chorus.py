"""The band's next chorus: generated ahead on its worker, late ones counted (the last
chorus plays again), varied from chorus to chorus unless held, the same for a seed."""

from __future__ import annotations

from collections.abc import Callable

from psc_looper.app import BackendConfig
from psc_looper.background import Done, Job, Outcome, Submitted
from psc_looper.band import BandOptions
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.rig import VirtualRig
from psc_looper.timing.meter import LoopStructure
from tests.band.test_feature import band_rig, rigs  # noqa: F401
from tests.band.test_walker import BLUES

LOOP = 192


class HeldWorker:
    """A worker whose jobs run only when ``run`` says so (a slow machine)."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Job, Done]] = []

    def submit(self, job: Job, on_done: Done) -> Submitted:
        self.jobs.append((job, on_done))
        return Submitted.STARTED

    def run(self) -> None:
        jobs, self.jobs = self.jobs, []
        for job, on_done in jobs:
            on_done(Outcome(result=job()))

    def wait_idle(self, timeout: float | None = None) -> bool:
        return True

    def close(self) -> None:
        pass


def choruses(rig: VirtualRig, loops: int, each: Callable[[], None] = lambda: None
             ) -> list[tuple[list[LoopNote], list[LoopNote]]]:
    """The (bass, drums) the loop held in each of ``loops`` loops of a playing rig."""
    out = []
    for loop in range(loops):
        rig.advance_to_step(loop * LOOP + 1)
        each()
        out.append((rig.looper.track_notes(Track.BASS), rig.looper.track_notes(Track.DRUMS)))
    return out


def test_choruses_vary_and_the_same_seed_plays_the_same_band(
        rigs: list[VirtualRig]) -> None:  # noqa: F811
    first, second = band_rig(rigs, bars=12, on=True), band_rig(rigs, bars=12, on=True)
    other = band_rig(rigs, bars=12, on=True)
    other.backend.band._seed = 4  # another run's seed
    played = []
    for rig in (first, second, other):
        rig.looper.play()
        played.append(choruses(rig, 4))
    assert played[0] == played[1]
    assert played[0] != played[2]
    basses = [tuple(b) for b, _ in played[0]]
    drums = [tuple(d) for _, d in played[0]]
    assert len(set(basses)) == 4 and len(set(drums)) == 4


def test_held_the_chorus_repeats_and_released_it_varies_again(
        rigs: list[VirtualRig]) -> None:  # noqa: F811
    rig = band_rig(rigs, bars=12, on=True)
    rig.looper.play()
    rig.advance_to_step(LOOP + 1)  # the chorus of loop 2 is ready by now
    rig.backend.actions.run("band_hold", None, 127)
    assert "(held)" in rig.backend.band.describe()
    held = choruses(rig, 5)[2:]  # loops 2, 3, 4
    assert held[0] == held[1] == held[2]
    rig.backend.actions.run("band_hold", None, 127)
    rig.advance_to_step(6 * LOOP + 1)
    assert rig.looper.track_notes(Track.BASS) != held[0][0]


def test_generated_a_loop_ahead_on_a_worker_thread_never_late(
        rigs: list[VirtualRig]) -> None:  # noqa: F811
    options = BandOptions(on=True, chart=BLUES)
    rig = VirtualRig(BackendConfig(inline_generation=False, seed=3, band=options,
                                   structure=LoopStructure(bars=12)))
    rigs.append(rig)
    band = rig.backend.band
    assert band.wait_idle(5)
    rig.looper.play()
    for loop in range(6):
        rig.advance_to_step(loop * LOOP + 1)
        assert band.wait_idle(5)
        # the next loop's chorus is handed over a whole loop before it plays
        assert rig.looper.snapshot().pending_notes.get(Track.BASS) == 48
    assert band.late == 0 and "late" not in band.describe()


def test_a_late_chorus_plays_the_last_one_again_and_is_counted(
        rigs: list[VirtualRig]) -> None:  # noqa: F811
    rig = band_rig(rigs, bars=12, on=True)
    worker = HeldWorker()
    rig.backend.band._worker = worker  # type: ignore[assignment]
    rig.looper.play()
    rig.advance_to_step(1)
    worker.run()  # in time: loop 1's chorus
    rig.advance_to_step(LOOP + 1)
    in_time = rig.looper.track_notes(Track.BASS), rig.looper.track_notes(Track.DRUMS)
    rig.advance_to_step(2 * LOOP + 1)  # loop 2's chorus was never generated
    assert rig.backend.band.late == 1
    assert (rig.looper.track_notes(Track.BASS), rig.looper.track_notes(Track.DRUMS)) == in_time
    assert rig.backend.band.describe().endswith(", 1 late")
    worker.run()  # it comes now, too late: dropped; loop 3's comes in time
    assert (rig.looper.track_notes(Track.BASS), rig.looper.track_notes(Track.DRUMS)) == in_time
    rig.advance_to_step(3 * LOOP + 1)
    assert rig.looper.track_notes(Track.BASS) != in_time[0]
    assert rig.backend.band.late == 1


def test_stop_and_play_again_is_not_late(rigs: list[VirtualRig]) -> None:  # noqa: F811
    rig = band_rig(rigs, bars=12, on=True)
    rig.looper.play()
    rig.advance_to_step(LOOP + 20)
    rig.looper.stop()
    rig.advance(1.0)
    rig.looper.play()
    sent = len(rig.sent)
    rig.advance_to_step(2 * LOOP + 1)
    bass = [m for m in rig.sent[sent:] if m.address == "/playbass" and m.at is not None]
    assert len(bass) == 2 * 48 + 1 and rig.backend.band.late == 0
