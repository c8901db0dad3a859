"""The JACK server scsynth needs: reuse a running one, else start our own and stop it later.

Without an audio device (servers, CI) ours uses the dummy backend:
``jackd --realtime -d dummy -r 48000 -p 256``. Realtime scheduling keeps the dummy
driver's sample clock steady when other processes load the cores (without it a
starved driver drops periods: the recording lags the wall clock by a few percent);
where it is not permitted jackd says so and runs without. It runs in its own
process group and dies with its parent (``PR_SET_PDEATHSIG``) if Python is killed.
"""

from __future__ import annotations

import logging
import os
import subprocess
import threading
import time
from pathlib import Path

from psc_looper.sc.procs import die_with_parent, stop_group

log = logging.getLogger(__name__)

SAMPLE_RATE, PERIOD = 48000, 256  # the defaults; ``run --sample-rate/--period`` choose
SAMPLE_RATES = (22050, 32000, 44100, 48000, 88200, 96000, 192000)
PERIODS = tuple(2 ** k for k in range(4, 13))  # 16 .. 4096 frames
DUMMY_ARGS = ("--realtime", "-d", "dummy", "-r", "48000", "-p", "256")
NO_REALTIME_DUMMY_ARGS = ("--no-realtime", *DUMMY_ARGS[1:])
ALSA_ARGS = ("-d", "alsa", "-r", "48000", "-p", "256")


def with_rate(args: tuple[str, ...], rate: int, period: int) -> tuple[str, ...]:
    """jackd ``args`` with their ``-r`` and ``-p`` values replaced by ``rate`` and ``period``."""
    out = list(args)
    for flag, value in (("-r", rate), ("-p", period)):
        if flag in out:
            out[out.index(flag) + 1] = str(value)
        else:
            out += [flag, str(value)]
    return tuple(out)


def sample_rate(text: str) -> int:
    """A ``--sample-rate`` value, or ValueError naming what is allowed."""
    if not text.isdigit() or int(text) not in SAMPLE_RATES:
        raise ValueError(f"{text!r}: want one of {', '.join(map(str, SAMPLE_RATES))}")
    return int(text)


def period(text: str) -> int:
    """A ``--period`` value (frames), or ValueError naming what is allowed."""
    if not text.isdigit() or int(text) not in PERIODS:
        raise ValueError(f"{text!r}: want a power of two from {PERIODS[0]} to {PERIODS[-1]}")
    return int(text)


def count_xruns(log_text: str) -> int:
    """The xruns a jackd log reports: its lines naming one (any case)."""
    return sum(1 for line in log_text.splitlines() if "xrun" in line.lower())


def server_env(name: str | None = None) -> dict[str, str]:
    """The environment a JACK client needs to find server ``name`` (None: the default
    server), never starting one by itself."""
    env = {**os.environ, "JACK_NO_START_SERVER": "1"}
    if name is not None:
        env["JACK_DEFAULT_SERVER"] = name
    return env


def jack_running(name: str | None = None) -> bool:
    """True when a JACK server (jackd or PipeWire's JACK) answers (``name``: that one)."""
    try:
        result = subprocess.run(["jack_wait", "-c"], capture_output=True, timeout=5,
                                env=server_env(name))
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.stdout.strip() == b"running"


def running_period(name: str | None = None) -> int | None:
    """The frames a period of the JACK server running (None: none answers)."""
    try:
        result = subprocess.run(["jack_bufsize"], capture_output=True, timeout=5,
                                env=server_env(name), text=True)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = result.stdout.strip()
    return int(text) if result.returncode == 0 and text.isdigit() else None


def has_audio_device() -> bool:
    return any(Path("/dev/snd").glob("pcmC*D*p")) if Path("/dev/snd").exists() else False


class JackServer:
    """``ensure()`` returns once a JACK server runs; ``stop()`` ends only one we started."""

    def __init__(self, args: tuple[str, ...] | None = None, log_path: Path | None = None,
                 timeout: float = 10.0, rate: int | None = None,
                 period: int | None = None, name: str | None = None) -> None:
        """``rate``/``period``: the sample rate and frames a period of a JACK started here
        (None: ``args``' own, else 48 kHz and 256); a running JACK keeps its own.
        ``name``: a server of that name (``jackd -n``; None: the default server)."""
        self.args = args
        self.name = name
        self.rate, self.period = rate, period
        self.started = False  # a jackd of ours ran (its log counts the xruns)
        self.log_path = log_path or Path(os.devnull)
        self.timeout = timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self._xrun_lock = threading.Lock()  # the status view and the probe both ask
        self._log_read = 0  # bytes of the log counted so far (guarded by _xrun_lock)
        self._xruns = 0  # xruns counted in them (guarded by _xrun_lock)

    def ensure(self) -> float:
        """Start jackd unless a server runs; returns the seconds it took (0 if reused)."""
        if self.proc is not None:
            return 0.0
        if jack_running(self.name):
            if self.rate is not None or self.period is not None or self.args is not None:
                log.warning("a JACK server already runs: its own device, sample rate and "
                            "period stand (--audio-device/--sample-rate/--period set a JACK "
                            "started here)")
            return 0.0
        args = self.args or (ALSA_ARGS if has_audio_device() else DUMMY_ARGS)
        if self.rate is not None or self.period is not None:
            args = with_rate(args, self.rate or SAMPLE_RATE, self.period or PERIOD)
        begin = time.perf_counter()
        with open(self.log_path, "ab") as log_file:
            with self._xrun_lock:  # a log kept from an earlier jackd: count only this one's
                self._log_read, self._xruns = log_file.tell(), 0
            self.proc = subprocess.Popen(
                ["jackd", *(("-n", self.name) if self.name else ()), *args],
                stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent)
        try:
            subprocess.run(["jack_wait", "-w", "-t", str(int(self.timeout))],
                           capture_output=True, timeout=self.timeout + 2, check=True,
                           env=server_env(self.name))
        except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as exc:
            self.stop()
            if jack_running(self.name):  # another process started the server meanwhile: share it
                log.info("jackd: another process started the server first; using it")
                return 0.0
            raise RuntimeError(f"jackd {' '.join(args)} did not start; see {self.log_path}"
                               ) from exc
        self.started = True
        log.info("jackd %s up in %.2f s", " ".join(args), time.perf_counter() - begin)
        return time.perf_counter() - begin

    def xruns(self) -> int | None:
        """The xruns our jackd logged so far (None: a JACK server not ours played). Reads
        only what the log gained since the last call (the status view asks often)."""
        if not self.started:
            return None
        with self._xrun_lock:
            try:
                with open(self.log_path, "rb") as log_file:
                    log_file.seek(self._log_read)
                    text = log_file.read()
            except OSError:
                return None
            whole = text.rfind(b"\n") + 1  # a line still being written waits
            self._log_read += whole
            self._xruns += count_xruns(text[:whole].decode(errors="replace"))
            return self._xruns

    def stop(self) -> None:
        if self.proc is None:
            return
        stop_group(self.proc)
        self.proc = None
