"""``psc-looper devices``: the MIDI inputs and outputs and the audio devices this machine
has (what ``run --midi-in``, ``--midi-out``, ``--clock-in/out`` name), and JACK's settings.

MIDI ports are read from the ALSA sequencer's client list (the ports SuperCollider's
MIDIClient sees on Linux), sound cards from ALSA's card list; both are plain files
under ``/proc/asound``, so listing starts nothing.
"""

from __future__ import annotations

import argparse
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from psc_looper.sc import jack
from psc_looper.sc.period import CANDIDATES

ASOUND = Path("/proc/asound")
_CLIENT = re.compile(r'^Client\s+(\d+)\s*:\s*"(.*)"')
_PORT = re.compile(r'^\s+Port\s+(\d+)\s*:\s*"(.*)"\s*\((.{4})\)')
_CARD = re.compile(r"^\s*(\d+)\s+\[(\S+)\s*\]:\s*(.*)$")
SYSTEM_CLIENTS = ("System", "Midi Through")


@dataclass(frozen=True)
class MidiPort:
    client: str
    port: str
    readable: bool  # a source (an input to us)
    writable: bool  # a destination (an output from us)

    @property
    def name(self) -> str:
        return f"{self.client}: {self.port}"


def midi_ports(root: Path = ASOUND) -> list[MidiPort]:
    """The ALSA sequencer's ports (system clients left out); none without ALSA."""
    path = root / "seq" / "clients"
    if not path.is_file():
        return []
    ports, client = [], ""
    for line in path.read_text(errors="replace").splitlines():
        if (found := _CLIENT.match(line)) is not None:
            client = found.group(2)
        elif (port := _PORT.match(line)) is not None and client not in SYSTEM_CLIENTS:
            flags = port.group(3)
            ports.append(MidiPort(client, port.group(2), flags[0] == "R", flags[1] == "W"))
    return ports


DUMMY = "dummy"


@dataclass(frozen=True)
class Card:
    number: int
    id: str  # ALSA's short name: the device is hw:<id>
    description: str

    def __str__(self) -> str:
        return f"{self.number} [{self.id}]: {self.description}"


def cards(root: Path | None = None) -> list[Card]:
    """ALSA's sound cards (none without ALSA)."""
    path = (root or ASOUND) / "cards"
    if not path.is_file():
        return []
    return [Card(int(m.group(1)), m.group(2), m.group(3))
            for line in path.read_text(errors="replace").splitlines()
            if (m := _CARD.match(line)) is not None]


def sound_cards(root: Path | None = None) -> list[str]:
    """'0 [PCH]: HDA-Intel - HDA Intel PCH' for each ALSA card; none without ALSA."""
    return [str(card) for card in cards(root)]


def audio_device(name: str, root: Path | None = None) -> tuple[str, ...]:
    """The jackd driver arguments for ``run --audio-device NAME``: ``dummy``, or the one
    sound card whose line in ``devices`` contains NAME (any case); ValueError naming the
    choices otherwise (nothing is started)."""
    if name.lower() == DUMMY:
        return jack.DUMMY_ARGS
    found = [card for card in cards(root) if name.lower() in str(card).lower()]
    choices = ", ".join([*(card.id for card in cards(root)), DUMMY])
    if not found:
        raise ValueError(f"{name!r}: no such audio device (psc-looper devices lists them: "
                         f"{choices})")
    if len(found) > 1:
        raise ValueError(f"{name!r} names {len(found)} audio devices "
                         f"({', '.join(card.id for card in found)}): say which")
    return (*jack.ALSA_ARGS[:2], "-d", f"hw:{found[0].id}", *jack.ALSA_ARGS[2:])


def report(root: Path = ASOUND) -> list[str]:
    """The lines ``psc-looper devices`` prints."""
    ports = midi_ports(root)
    lines = ["MIDI inputs (run --midi-in NAME, --clock-in NAME; default: every input):"]
    lines += [f"  {p.name}" for p in ports if p.readable] or ["  none found"]
    lines.append("MIDI outputs (run --midi-out NAME, --clock-out NAME):")
    lines += [f"  {p.name}" for p in ports if p.writable] or ["  none found"]
    lines.append("audio devices (run --audio-device NAME; default: the first card, else "
                 "the dummy):")
    lines += [f"  {card}" for card in sound_cards(root)]
    lines.append(f"  {DUMMY}: JACK's dummy driver (no sound card: silent, keeps time)")
    running = jack.jack_running()
    frames = jack.running_period() if running else None
    lines.append(f"JACK: {'running' if running else 'not running'}"
                 f"{f' at {frames} frames a period' if frames else ''}"
                 f"{' (its settings stand)' if running else ''}; run starts one at "
                 f"{jack.SAMPLE_RATE} Hz and the smallest period of "
                 f"{'/'.join(map(str, CANDIDATES))} without xruns in a short probe "
                 "(--sample-rate, --period)")
    if running:
        lines += [f"  {port}" for port in _jack_ports()]
    return lines


def _jack_ports() -> list[str]:
    try:
        out = subprocess.run(["jack_lsp"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    return out.split()


def register(sub: argparse._SubParsersAction) -> None:
    devices = sub.add_parser("devices", help="list MIDI inputs and outputs and audio devices")
    devices.set_defaults(func=main)


def main(_args: argparse.Namespace) -> int:
    print("\n".join(report()))
    return 0
