"""The computer keys' map answers only the keys' own source: a ``/ccevent`` with no source
(any local process, or the original's two-argument bridge messages) never drives it."""

from __future__ import annotations

from psc_looper.looper.notes import Mode, Track
from psc_looper.osc.protocol import CC_EVENT
from psc_looper.rig import VirtualRig
from psc_looper.ui.keys import KEYS_SOURCE


def test_a_cc_with_no_source_does_not_press_a_key():
    rig = VirtualRig()
    for args in ([1, 127], [1, 127, 0], [1, 127, 0, ""], [10, 127], [10, 127, 0, ""],
                 [7, 100], [21, 127, 0, "computer"]):
        rig.send(CC_EVENT, *args)
        snapshot = rig.looper.snapshot()
        assert not snapshot.playing and snapshot.mode is not Mode.IMPROV, args


def test_the_keys_own_source_still_presses_them():
    rig = VirtualRig()
    rig.send(CC_EVENT, 1, 127, 0, KEYS_SOURCE)
    assert rig.looper.snapshot().playing


def test_a_two_argument_cc_reaches_the_controller_as_in_the_original():
    rig = VirtualRig()
    rig.send(CC_EVENT, 1, 64)  # nanoKONTROL2's bass slider, not the keys' play/stop
    assert not rig.looper.snapshot().playing
    assert abs(rig.looper.snapshot().volumes[Track.BASS] - 64 / 127) < 1e-9
