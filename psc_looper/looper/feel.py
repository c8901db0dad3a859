"""The player's feel: which loop notes sound within a step, and when; quantizing them.

A loop note sounds at its step plus its ``offset`` (``looper.notes``). The step ``p``
plays what falls in ``[p, p + 1)``: its own notes played on or after the step, and the
next step's notes played ahead of it (a pushed note), each with its delay from ``p`` in
steps; the schedule (``timing.schedule``) turns that into a time, swung or not. A pushed
note the step before did not send (the loop just started, or its track just arrived at
this loop start) sounds on its step instead: late by its push, never lost.
``quantized`` moves notes onto a grid (``timing.swing.Grid``): the loop's 16ths, straight
16ths or 8th triplets. Pure functions; the Looper calls them under its lock.
"""

from __future__ import annotations

from collections.abc import Iterable

from sortedcontainers import SortedKeyList

from psc_looper.looper.notes import LoopNote, feel_offset
from psc_looper.looper.recording import quantize
from psc_looper.timing.swing import Grid, snap


def sounding(notes: SortedKeyList, position: int, loop_steps: int,
             sent_early: frozenset[LoopNote]) -> tuple[list[tuple[LoopNote, float]],
                                                       frozenset[LoopNote]]:
    """(note, delay in steps from ``position``) of what sounds within step ``position``,
    and the pushed notes of the next step sent with it (``sent_early`` of the next call)."""
    due = [(n, max(n.offset, 0.0)) for n in notes.irange_key(position, position)
           if n.offset >= 0 or n not in sent_early]
    following = (position + 1) % loop_steps
    pushed = [n for n in notes.irange_key(following, following) if n.offset < 0]
    return due + [(n, 1 + n.offset) for n in pushed], frozenset(pushed)


def quantized(notes: Iterable[LoopNote], grid: Grid, swing: float,
              loop_steps: int) -> list[LoopNote]:
    """``notes`` moved to the nearest point of ``grid`` (at ``swing``), durations kept."""
    out = []
    for note in notes:
        target = snap(note.onset + note.offset, grid, swing)
        step = quantize(target)
        out.append(LoopNote(step % loop_steps, note.track, note.instrument, note.pitch,
                            note.velocity, note.duration, feel_offset(target - step)))
    return sorted(out)
