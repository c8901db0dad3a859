"""The seam: a feature plugs in through ``Backend.attach`` and sees only the ``Host``."""

from psc_looper.host import Host
from psc_looper.osc.events import InputEvent, NoteOn
from psc_looper.rig import VirtualRig


class Counter:
    """A feature as a new one would be written: an action, a status line, an input watcher."""

    def __init__(self) -> None:
        self.presses: list[int] = []
        self.actions = 0
        self.closed = 0

    def attach(self, host: Host) -> None:
        host.actions.register("count", lambda _arg, _value: self._count())
        host.looper.add_status("counter", lambda: f"{len(self.presses)} keys")
        host.watch_input(self._watch)

    def close(self) -> None:
        self.closed += 1

    def _count(self) -> None:
        self.actions += 1

    def _watch(self, event: InputEvent) -> None:
        if isinstance(event, NoteOn):
            self.presses.append(event.note)


def test_an_attached_feature_gets_actions_status_and_typed_input_and_is_closed():
    rig = VirtualRig()
    feature = rig.backend.attach(Counter())
    rig.note_on(60)
    rig.note_off(60)
    rig.note_on(62, velocity=0)  # a release, not a press
    rig.backend.actions.run("count", None, 127)
    assert feature.presses == [60] and feature.actions == 1
    assert rig.looper.snapshot().extras["counter"] == "1 keys"
    rig.backend.close()
    assert feature.closed == 1


def test_the_backend_keeps_its_features_in_named_slots():
    rig = VirtualRig()
    assert rig.backend.drums is not None and rig.backend.songs is not None
    assert rig.backend.improv is None and rig.backend.recorder is None  # no bundle, no recording
    rig.backend.close()


def test_a_watcher_that_fails_does_not_stop_the_keys():
    rig = VirtualRig()

    def broken(_event: InputEvent) -> None:
        raise RuntimeError("bug")

    rig.backend.watch_input(broken)
    rig.note_on(64)
    assert [s.args[0] for s in rig.sent if s.address.startswith("/play")] == [64]
    assert rig.backend.dispatcher.malformed_counts() == {"handler-error": 1}
    rig.backend.close()
