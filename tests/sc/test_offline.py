"""Launcher, samples and onset finder without starting SuperCollider."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.io import wavfile

from psc_looper.osc.protocol import CLICKS, DRUMS
from psc_looper.sc import launcher
from psc_looper.sc.launcher import BridgeConfig, SuperColliderMissing, require_tools
from psc_looper.sc.onsets import fit_grid, onsets_of, rms_between

SAMPLES = Path(launcher.SAMPLES_DIR)


def test_missing_supercollider_names_the_install_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(launcher.shutil, "which",
                        lambda name: None if name == "sclang" else f"/usr/bin/{name}")
    with pytest.raises(SuperColliderMissing, match="apt-get install supercollider-language"):
        require_tools()


def test_environment_carries_the_settings() -> None:
    env = BridgeConfig(server_port=1234, backend_port=4321, sim=True,
                       record_path=Path("/tmp/x.wav")).environment()
    assert env["PSC_SERVER_PORT"] == "1234"
    assert env["PSC_BACKEND_PORT"] == "4321"
    assert env["PSC_SIM"] == "1"
    assert env["PSC_RECORD"] == "/tmp/x.wav"
    assert env["QT_QPA_PLATFORM"] == "offscreen"
    assert env["JACK_NO_START_SERVER"] == "1"
    assert "PSC_MIDI_OUT" not in BridgeConfig().environment()


@pytest.mark.parametrize("instrument", DRUMS + CLICKS, ids=str)
def test_every_drum_and_click_has_a_short_mono_48k_sample(instrument: str) -> None:
    rate, data = wavfile.read(SAMPLES / f"{instrument}.wav")
    assert (rate, data.dtype, data.ndim) == (48000, np.int16, 1)
    assert 0.05 <= len(data) / rate <= 2.0
    assert np.abs(data).max() > 3000  # not silent
    assert np.abs(data[:48]).max() > 0  # starts at the attack (trimmed)


def test_samples_folder_is_small_and_licensed() -> None:
    assert sum(p.stat().st_size for p in SAMPLES.glob("*.wav")) < 1.5e6
    assert "MIT" in (SAMPLES / "LICENSE.md").read_text()


def test_clicks_are_distinct() -> None:
    spectra = []
    for name in ("click0", "click1", "click2"):
        _, data = wavfile.read(SAMPLES / f"{name}.wav")
        spectrum = np.abs(np.fft.rfft(data[:2048].astype(float), 4096))
        spectra.append(spectrum / np.linalg.norm(spectrum))
    for i in range(3):
        for j in range(i + 1, 3):
            assert float(spectra[i] @ spectra[j]) < 0.9


def test_onsets_found_at_their_sample() -> None:
    rate = 48000
    audio = np.zeros(rate)
    for start in (0.1, 0.35, 0.5):
        n = int(start * rate)
        audio[n:n + 2400] += 0.5 * np.sin(np.arange(2400) * 0.3) * np.exp(-np.arange(2400) / 600)
    found = onsets_of(audio, rate)
    assert len(found) == 3
    assert np.allclose(found, [0.1, 0.35, 0.5], atol=0.0002)


def test_louder_note_over_a_sustained_one_is_an_onset() -> None:
    rate = 48000
    t = np.arange(rate) / rate
    audio = 0.05 * np.sin(2 * np.pi * 110 * t) * (t > 0.2)
    audio += 0.4 * np.sin(2 * np.pi * 220 * t) * (t > 0.6)
    found = onsets_of(audio, rate)
    assert len(found) == 2
    assert abs(found[0] - 0.2) < 0.003 and abs(found[1] - 0.6) < 0.003


def test_grid_fit_follows_a_slow_clock_and_keeps_each_onset_on_its_step() -> None:
    # a recording clock 4% slow: step 15 lands 75 ms early, more than half a step
    steps = [0, 2, 5, 9, 15]
    onsets = [1.0 + k * 0.125 * 0.96 for k in steps]
    onsets[2] += 0.004  # one onset 4 ms late
    fit = fit_grid(onsets, 0.125, origin=1.0)
    assert fit.steps == steps
    assert fit.step == pytest.approx(0.12, abs=0.0005)
    # the late onset shows its whole lateness without moving the grid
    assert fit.residuals == pytest.approx([0, 0, 0.004, 0, 0], abs=1e-6)


def test_grid_fit_of_one_onset_moves_only_the_origin() -> None:
    fit = fit_grid([2.26], 0.125, origin=1.0)
    assert fit.steps == [10] and fit.step == 0.125
    assert fit.origin == pytest.approx(1.01) and fit.residuals == [pytest.approx(0.0)]


def test_rms_of_a_window() -> None:
    rate = 1000
    audio = np.concatenate([np.zeros(500), 0.5 * np.ones(500)])
    assert rms_between(audio, rate, 0.0, 0.5) == 0.0
    assert rms_between(audio, rate, 0.5, 1.0) == pytest.approx(0.5)
    assert rms_between(audio, rate, 2.0, 3.0) == 0.0
