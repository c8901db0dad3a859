"""Running ``psc-looper run`` on a terminal for the status-view tests: a pseudo-terminal
we type into, or a tmux pane we read the screen of."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_command(*extra: str) -> list[str]:
    """``psc-looper run`` on loopback ports of its own, no SuperCollider, no models."""
    return [sys.executable, "-m", "psc_looper", "run", "--no-sc", "--no-models",
            "--status", "tty", "--listen-port", str(free_port()),
            "--bridge-port", str(free_port()), *extra]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color"}


class Pane:
    """A detached tmux session running one command in a fixed-size window."""

    def __init__(self, command: list[str], width: int = 120, height: int = 40) -> None:
        self.tmux = shutil.which("tmux")
        if self.tmux is None:
            raise RuntimeError("tmux is not installed (scripts/setup.sh --test installs it)")
        self.name = f"psc-test-{os.getpid()}-{time.monotonic_ns()}"
        env = environment()
        exports = " ".join(f"{k}={v}" for k, v in (("PYTHONPATH", env["PYTHONPATH"]),))
        line = f"env {exports} " + " ".join(f"'{c}'" for c in command)
        subprocess.run([self.tmux, "new-session", "-d", "-s", self.name, "-x", str(width),
                        "-y", str(height), line + "; sleep 30"], check=True, env=env)

    def screen(self) -> str:
        return subprocess.run([self.tmux, "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=True).stdout

    def keys(self, *keys: str) -> None:
        subprocess.run([self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not on the screen:\n{screen}")
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run([self.tmux, "kill-session", "-t", self.name], capture_output=True)
