"""``psc-looper demo --sound yes``: a demo heard through its own real bridge, recorded to WAV."""

from __future__ import annotations

from pathlib import Path

import pytest

from psc_looper.cli import main
from psc_looper.sc.onsets import levels, load_mono, rms_between
from psc_looper.sessions.reader import read_session

pytestmark = pytest.mark.e2e

DEMO = "1-groove-7-8"  # meter and tempo from the controller, play at ~3 s, a bass line, stop


def test_the_demo_is_heard_and_recorded(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    assert main(["demo", DEMO, "--sound", "yes", "--out", str(tmp_path)]) == 0
    said = capsys.readouterr().out
    assert " dBFS, 0 clipped samples; " in said and ("xruns)" in said or "not ours" in said)
    wav = tmp_path / f"{DEMO}.wav"
    audio, rate = load_mono(wav)
    session = read_session(Path(__file__).resolve().parents[2] / "demos" / f"{DEMO}.mid")
    last = session.inputs[-1].time  # the stop button
    assert len(audio) / rate > last  # the whole performance was recorded
    playing = rms_between(audio, rate, last - 3.0, last - 0.5)  # clicks and the bass loop
    after = rms_between(audio, rate, len(audio) / rate - 0.6, len(audio) / rate)
    assert playing > 0.01 > 0.001 > after
    level = levels(wav)  # the bridge's master stage: headroom, nothing at full scale
    assert level.peak_dbfs <= -1.0 and level.clipped == 0, level
    assert (tmp_path / f"{DEMO}.mid").is_file() and (tmp_path / f"{DEMO}.png").is_file()
