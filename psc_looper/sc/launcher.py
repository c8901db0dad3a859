"""Start and stop the bridge: JACK (if none is running), then sclang, which boots scsynth.

``with Bridge(BridgeConfig(...)) as bridge:`` returns once the bridge answers a
ping (its OSC commands exist only after scsynth booted and the samples loaded),
and on exit asks it to quit, then ends what is left of each process group
(sclang and its scsynth; jackd if we started it). Every wait has a timeout.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from psc_looper.osc.protocol import BACKEND_HOST, BACKEND_PORT, BRIDGE_PORT
from psc_looper.sc.client import BridgeClient
from psc_looper.sc.jack import JackServer
from psc_looper.sc.procs import stop_group, udp_port_free

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent.parent
BRIDGE_SCRIPT = ROOT / "supercollider" / "psc_bridge.scd"
SAMPLES_DIR = ROOT / "samples"
SERVER_PORT = 57110
READY_LINE = re.compile(r"\[psc-bridge\] ready: port (\d+)")
INSTALL_HINT = "apt-get install supercollider-language supercollider-server jackd2"


class SuperColliderMissing(RuntimeError):
    """sclang, scsynth or jackd is not installed."""


class BridgeError(RuntimeError):
    """The bridge did not start, or died; the message ends with its log's tail."""


@dataclass(frozen=True)
class BridgeConfig:
    """Everything the bridge script reads from its environment (see config.scd)."""

    port: int = BRIDGE_PORT
    server_port: int = SERVER_PORT
    backend_host: str = BACKEND_HOST
    backend_port: int = BACKEND_PORT
    samples_dir: Path = SAMPLES_DIR
    sim: bool = False
    record_path: Path | None = None
    recordings_dir: Path | None = None  # /bridge/record only inside (None: <temp>/psc-recordings)
    midi_out: str | None = None
    ready_interval: float = 2.0
    start_timeout: float = 30.0
    log_path: Path | None = None
    jack_args: tuple[str, ...] | None = None  # None: dummy backend without audio device
    sample_rate: int | None = None  # of a JACK started here (None: 48 kHz)
    period: int | None = None  # frames a period, of a JACK started here (None: 256)
    jack_name: str | None = None  # a JACK server of this name (None: the default server)
    extra_env: dict[str, str] = field(default_factory=dict)

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "PSC_SERVER_PORT": str(self.server_port),
            "PSC_BACKEND_HOST": self.backend_host,
            "PSC_BACKEND_PORT": str(self.backend_port),
            "PSC_SAMPLES_DIR": str(self.samples_dir),
            "PSC_SIM": "1" if self.sim else "0",
            "PSC_READY_INTERVAL": str(self.ready_interval),
            "PSC_BOOT_TIMEOUT": str(max(5.0, self.start_timeout - 5.0)),
            "PSC_PARENT_PID": str(os.getpid()),
            "QT_QPA_PLATFORM": "offscreen",
            "JACK_NO_START_SERVER": "1",
        })
        if os.geteuid() == 0:
            env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
        for key, value in (("PSC_RECORD", self.record_path), ("PSC_MIDI_OUT", self.midi_out),
                           ("PSC_RECORDINGS_DIR", self.recordings_dir)):
            if value is not None:
                env[key] = str(value)
            else:
                env.pop(key, None)
        if self.jack_name is not None:
            env["JACK_DEFAULT_SERVER"] = self.jack_name
        env.update(self.extra_env)
        return env


def require_tools() -> dict[str, str]:
    """Paths of sclang, scsynth and jackd, or SuperColliderMissing with the install line."""
    found = {name: shutil.which(name) for name in ("sclang", "scsynth", "jackd", "jack_wait")}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        raise SuperColliderMissing(
            f"SuperCollider/JACK not found ({', '.join(missing)}); install with: {INSTALL_HINT}")
    return {name: str(path) for name, path in found.items()}


class Bridge:
    """The running bridge: a context manager; ``client`` talks to it once started."""

    def __init__(self, config: BridgeConfig | None = None) -> None:
        self.config = config or BridgeConfig()
        self.tools = require_tools()
        self.log_path = self.config.log_path or Path(
            tempfile.mkstemp(prefix="psc-bridge-", suffix=".log")[1])
        self.jack = JackServer(self.config.jack_args, self.log_path.with_suffix(".jackd.log"),
                               rate=self.config.sample_rate, period=self.config.period,
                               name=self.config.jack_name)
        self.client: BridgeClient | None = None
        self.timings: dict[str, float] = {}
        self._proc: subprocess.Popen[bytes] | None = None
        self.pid: int | None = None  # sclang's, which leads its process group (with scsynth)

    @property
    def port(self) -> int:
        return self.config.port

    def start(self) -> Bridge:
        if not udp_port_free(self.config.port):  # sclang would silently take the next one
            raise BridgeError(f"UDP port {self.config.port} is in use (another bridge?)")
        if not udp_port_free(self.config.server_port):
            raise BridgeError(f"scsynth's UDP port {self.config.server_port} is in use "
                              "(another scsynth? --sc-server-port)")
        begin = time.perf_counter()
        self.timings["jackd"] = self.jack.ensure()
        started = time.perf_counter()
        with open(self.log_path, "ab") as log_file:
            self._proc = subprocess.Popen(
                [self.tools["sclang"], "-u", str(self.config.port), str(BRIDGE_SCRIPT)],
                stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                env=self.config.environment(), cwd=BRIDGE_SCRIPT.parent,
                start_new_session=True)
        self.pid = self._proc.pid
        try:
            self.client = BridgeClient(self.config.port)
            self._wait_ready(started + self.config.start_timeout)
        except BaseException:
            self.stop()
            raise
        self.timings["bridge"] = time.perf_counter() - started
        self.timings["total"] = time.perf_counter() - begin
        log.info("bridge up on port %d in %.2f s", self.config.port, self.timings["total"])
        return self

    def _wait_ready(self, deadline: float) -> None:
        assert self._proc is not None and self.client is not None
        while time.perf_counter() < deadline:
            if self._proc.poll() is not None:
                raise BridgeError(f"sclang exited with code {self._proc.returncode}"
                                  + self.log_tail())
            moved = READY_LINE.search(self.log_path.read_text(errors="replace"))
            if moved and int(moved.group(1)) != self.config.port:
                raise BridgeError(f"sclang listens on {moved.group(1)}, not {self.config.port}"
                                  + self.log_tail())
            try:
                self.client.ping(timeout=0.25)
            except TimeoutError:
                continue
            port = self.client.status()["port"]
            if port != self.config.port:  # sclang takes the next port when it is busy
                raise BridgeError(f"sclang listens on {port}, not {self.config.port}"
                                  + self.log_tail())
            return
        raise BridgeError(f"the bridge did not answer within {self.config.start_timeout} s"
                          + self.log_tail())

    def xruns(self) -> int | None:
        """The xruns our jackd logged so far (None: a JACK server not ours plays)."""
        return self.jack.xruns()

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        """Ask sclang to quit (it quits scsynth), then end both process groups."""
        self._end(graceful=True)
        self.jack.stop()

    def restart(self) -> Bridge:
        """End sclang and its scsynth together (the whole process group, so no orphaned
        scsynth keeps a port or a note), then start both again on the same ports."""
        self._end(graceful=False)
        return self.start()

    def _end(self, graceful: bool) -> None:
        if self._proc is not None:
            if graceful and self.client is not None and self._proc.poll() is None:
                self.client.quit()
                try:
                    self._proc.wait(timeout=4)
                except subprocess.TimeoutExpired:
                    log.warning("sclang did not quit; terminating it")
            stop_group(self._proc)
            self._proc = None
        if self.client is not None:
            self.client.close()
            self.client = None

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n--- bridge log (" + str(self.log_path) + ") ---\n" + "\n".join(text[-lines:])

    def __enter__(self) -> Bridge:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
