"""The keys' note path with a huge loop against an empty one (issue 26, item 7).

Each row runs a real backend (UDP in and out, real clock) on the largest loop there is
(4 bars of 16/4: 256 steps) playing, the status view (log mode) taking its snapshot
5 times a second, while a client plays one key every 5 ms and times
``/processnoteon`` in to ``/playwurly`` out (its own socket stands in for the bridge).
Rows: the loop empty (the baseline), dense bass and chords layers at the song limit
(``songs.song.MAX_NOTES_PER_LOOP`` notes, at most ``MAX_NOTES_PER_STEP`` on a step),
and 100,000 notes (what a song may no longer hold, set on the looper directly).

    python -m bench bigloop [--seconds 8]
"""

from __future__ import annotations

import argparse
import socket
import time

from bench.keypath import press_keys
from bench.stats import ratio_lines, summary, table
from psc_looper.app import Backend, BackendConfig
from psc_looper.looper.notes import LoopNote, Track
from psc_looper.osc.protocol import Instrument
from psc_looper.songs.song import MAX_NOTES_PER_LOOP, MAX_NOTES_PER_STEP
from psc_looper.timing.meter import LoopStructure, Meter
from psc_looper.ui.status import StatusView

NOTE_GAP = 0.005
STRUCTURE = LoopStructure(Meter(16, 4), 4)  # the largest loop: 256 steps
COLUMNS = ("p50", "p95", "p99", "max", "keys", "loop")


def dense(total: int) -> list[LoopNote]:
    """``total`` bass and chords notes spread over the loop, stacked on each step."""
    steps = STRUCTURE.steps
    notes = []
    for i in range(total):
        track = Track.BASS if i % 2 else Track.CHORDS
        instrument = Instrument.BASS if track is Track.BASS else Instrument.CHORDS
        notes.append(LoopNote(i % steps, track, instrument, 36 + i % 60, 60, 1))
    return notes


def run_row(notes: list[LoopNote], seconds: float) -> dict[str, float]:
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.bind(("127.0.0.1", 0))
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    client.settimeout(2)
    backend = Backend(BackendConfig(listen_port=0, bridge_port=client.getsockname()[1],
                                    structure=STRUCTURE))
    looper = backend.looper
    for track in (Track.BASS, Track.CHORDS):
        looper.replace_track(track, [n for n in notes if n.track is track])
    backend.start()
    assert backend.server is not None
    port = backend.server.address[1]
    view = StatusView(looper, backend.dispatcher.malformed_counts, tty=False)
    view.start()
    looper.play()
    time.sleep(1.0)
    latencies = press_keys(client, port, seconds, NOTE_GAP, lambda k: 48 + k % 36)
    keys = len(latencies)
    view.stop()
    backend.close()
    client.close()
    return {**summary(latencies), "keys": keys, "loop": len(notes)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    rows = [("empty loop (baseline)", run_row([], args.seconds)),
            (f"{MAX_NOTES_PER_LOOP:,} notes (song limit)",
             run_row(dense(MAX_NOTES_PER_LOOP), args.seconds)),
            ("100,000 notes (beyond it)", run_row(dense(100_000), args.seconds))]
    print(f"keys' note path (ms), {args.seconds:g} s per row, one key every "
          f"{NOTE_GAP * 1000:g} ms; loop {STRUCTURE.bars} bars of {STRUCTURE.meter} "
          f"({STRUCTURE.steps} steps) playing, status view on; song limits: "
          f"{MAX_NOTES_PER_STEP} notes per step, {MAX_NOTES_PER_LOOP:,} per loop")
    print(table(rows, COLUMNS))
    print(ratio_lines(rows, "the empty loop"))


if __name__ == "__main__":
    main()
