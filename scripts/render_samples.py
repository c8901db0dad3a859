"""Render the drum and click one-shots in ``samples/`` from the FluidR3_GM SoundFont.

Each sample is one General MIDI percussion note written to a small MIDI file with
mido, rendered by the fluidsynth command-line program (no reverb, no chorus),
then folded to mono, trimmed to its onset, cut to a fixed length with a short
fade-out and saved as 16-bit 48 kHz WAV. Drums share one gain (the kit keeps its
balance); the clicks are normalised on their own.

    apt-get install fluidsynth fluid-soundfont-gm
    .venv/bin/python scripts/render_samples.py [--sf2 PATH] [--out samples]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import mido
import numpy as np
from scipy.io import wavfile

RATE = 48000
DEFAULT_SF2 = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
JAZZ_KIT, BRUSH_KIT, STANDARD_KIT = 32, 40, 0  # GM percussion programs on bank 128
DRUM_PEAK = 0.89  # -1 dBFS for the loudest drum
CLICK_PEAK = 0.7
ONSET_THRESHOLD = 0.01  # relative to the sample's peak
FADE_SECONDS = 0.03


@dataclass(frozen=True)
class Shot:
    """One sample to render: file stem, kit program, GM note, velocity, length."""

    name: str
    program: int
    note: int
    velocity: int
    seconds: float
    group: str = "drums"


SHOTS: tuple[Shot, ...] = (
    Shot("kick", JAZZ_KIT, 36, 110, 0.5),
    Shot("snare", JAZZ_KIT, 38, 105, 0.45),
    Shot("clhat", JAZZ_KIT, 42, 95, 0.2),
    Shot("ophat", JAZZ_KIT, 46, 95, 0.8),
    Shot("lowtom", JAZZ_KIT, 45, 105, 0.6),
    Shot("midtom", JAZZ_KIT, 47, 105, 0.55),
    Shot("hightom", JAZZ_KIT, 50, 105, 0.5),
    Shot("crash", JAZZ_KIT, 49, 100, 1.6),
    Shot("ride", JAZZ_KIT, 51, 100, 1.2),
    Shot("snare_brush", BRUSH_KIT, 38, 110, 0.45),
    Shot("click0", STANDARD_KIT, 56, 120, 0.12, "clicks"),  # cowbell: start of sequence
    Shot("click1", STANDARD_KIT, 76, 120, 0.08, "clicks"),  # high wood block: bar
    Shot("click2", STANDARD_KIT, 77, 100, 0.08, "clicks"),  # low wood block: beat
)


def write_midi(shot: Shot, path: Path) -> None:
    """One note on the percussion channel, after selecting the kit."""
    track = mido.MidiTrack()
    track.append(mido.Message("control_change", channel=9, control=0, value=0, time=0))
    track.append(mido.Message("program_change", channel=9, program=shot.program, time=0))
    track.append(mido.Message("note_on", channel=9, note=shot.note, velocity=shot.velocity,
                              time=48))
    track.append(mido.Message("note_off", channel=9, note=shot.note, velocity=0, time=480))
    track.append(mido.MetaMessage("end_of_track", time=int(shot.seconds * 960) + 960))
    midi = mido.MidiFile(ticks_per_beat=480)  # 120 bpm: 960 ticks a second
    midi.tracks.append(track)
    midi.save(path)


def render(sf2: Path, midi: Path, wav: Path) -> np.ndarray:
    """Render with fluidsynth; return mono float samples at RATE."""
    cmd = ["fluidsynth", "-ni", "-q", "-R", "0", "-C", "0", "-g", "1.0",
           "-r", str(RATE), "-F", str(wav), str(sf2), str(midi)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=60)
    rate, data = wavfile.read(wav)
    if rate != RATE:
        raise RuntimeError(f"fluidsynth wrote {rate} Hz, expected {RATE}")
    audio = data.astype(np.float64) / 32768.0
    return audio.mean(axis=1) if audio.ndim == 2 else audio


def shape(audio: np.ndarray, seconds: float) -> np.ndarray:
    """Trim to the onset, cut to ``seconds`` and fade the tail out."""
    peak = float(np.max(np.abs(audio)))
    if peak == 0.0:
        raise RuntimeError("rendered silence")
    start = int(np.argmax(np.abs(audio) > ONSET_THRESHOLD * peak))
    start = max(0, start - 16)  # keep the attack's first samples
    out = audio[start:start + int(seconds * RATE)].copy()
    fade = min(len(out), int(FADE_SECONDS * RATE))
    out[len(out) - fade:] *= np.linspace(1.0, 0.0, fade) ** 2
    return out


def save(path: Path, audio: np.ndarray, gain: float) -> None:
    pcm = np.clip(np.round(audio * gain * 32767.0), -32768, 32767).astype(np.int16)
    wavfile.write(path, RATE, pcm)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sf2", type=Path, default=DEFAULT_SF2)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent.parent / "samples")
    args = parser.parse_args(argv)
    if shutil.which("fluidsynth") is None or not args.sf2.exists():
        print("needs: apt-get install fluidsynth fluid-soundfont-gm", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    shaped: dict[Shot, np.ndarray] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for shot in SHOTS:
            midi, wav = Path(tmp) / f"{shot.name}.mid", Path(tmp) / f"{shot.name}.wav"
            write_midi(shot, midi)
            shaped[shot] = shape(render(args.sf2, midi, wav), shot.seconds)
    for group, target in (("drums", DRUM_PEAK), ("clicks", CLICK_PEAK)):
        members = [s for s in SHOTS if s.group == group]
        loudest = max(float(np.max(np.abs(shaped[s]))) for s in members)
        for shot in members:
            gain = target / loudest if group == "drums" else target / np.max(np.abs(shaped[shot]))
            save(args.out / f"{shot.name}.wav", shaped[shot], float(gain))
    total = sum(p.stat().st_size for p in args.out.glob("*.wav"))
    print(f"wrote {len(SHOTS)} samples to {args.out} ({total / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
