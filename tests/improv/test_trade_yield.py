"""A yield silences the machine at once even where its note's end was within the
lookahead: the machine's note-offs are sent at their time, not ahead with the steps; a
note sent ahead and not yet sounding stops as it sounds. On the virtual clock."""

from __future__ import annotations

import pytest

from psc_looper.looper.engine import STOP_AFTER_SECONDS, Origin
from psc_looper.looper.machine import PhraseNote
from tests.improv.test_trading import keys_hanging, play_phrase, trading_rig


def machine_stops(improv) -> list[tuple[float, int]]:
    return [(at, int(args[0])) for at, address, args in improv.stops if
            address.startswith("/stop")]


def test_the_yield_stops_a_note_whose_end_is_within_the_lookahead(improv_rig, models):
    improv = trading_rig(improv_rig, models, trade_bars=2)
    improv.stops = []  # (the clock time it sounds at, address, args)
    rig = improv.rig

    def listen(messages, at, origin):
        if origin is Origin.MACHINE:
            improv.stops += [(rig.now if at is None else at, a, args) for a, args in messages]

    rig.looper.add_output_listener(listen)
    improv.feature.trader.draw = lambda ask: [  # quarter notes
        PhraseNote(ask.first + s, 60 + s, 80, 4) for s in range(0, ask.steps, 4)]
    play_phrase(improv, 0)
    key_step = 43.5  # the note at 40 ends at 44, its end within the lookahead (0.1 s)
    assert rig.step_time(44) - rig.step_time(key_step) < rig.looper.lookahead
    rig.advance_to_step(key_step)
    assert not [p for _, p in machine_stops(improv) if p == 68]  # 40 + 8: still sounding
    key = rig.now
    rig.note_on(76, 90)  # the melody: the machine yields
    rig.advance_to_step(key_step + 8)
    rig.note_off(76)
    stops = dict((p, at) for at, p in machine_stops(improv) if at >= key - 1e-9)
    assert stops[68] == pytest.approx(key)  # at once, not at step 44
    assert stops[72] == pytest.approx(rig.step_time(44) + STOP_AFTER_SECONDS)  # sent ahead
    assert keys_hanging(improv) == 0
