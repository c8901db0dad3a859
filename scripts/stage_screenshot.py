"""Draw docs/stage-view.png: the stage view of ``psc-looper run --web`` in headless
Chromium (Debian's, through Selenium; ``scripts/setup.sh --test`` installs both).

    PYTHONPATH=. .venv/bin/python scripts/stage_screenshot.py [OUT.png]

Runs the instrument with its SuperCollider bridge (JACK's period probed, as ``run``
does; the audio line shows it), the shipped models, on a set list of the demo songs
(demo 8's twelve-bar blues in trade mode first), presses Play, Improv and Band on the
page and takes the picture while it is the machine's turn.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from psc_looper.sc.procs import free_udp_port
from tests.stage.test_browser import open_browser

ROOT = Path(__file__).resolve().parent.parent
SONGS = ["demos/8-trading-fours/trading-fours.toml", "demos/7-swing-blues/swing-blues.toml",
         "demos/6-gig-set-list/1-dolphin-steps.toml", "demos/6-gig-set-list/2-waltz-for-g.toml"]
WIDTH, HEIGHT = 1280, 800  # a 10-inch tablet held landscape


def main(out: Path) -> int:
    with tempfile.TemporaryDirectory() as folder:
        setlist = Path(folder) / "setlist.toml"
        songs = ", ".join(f'"{ROOT / s}"' for s in SONGS)
        setlist.write_text(f'format = 1\nname = "Friday"\nsongs = [{songs}]\n')
        run = subprocess.Popen(
            [sys.executable, "-m", "psc_looper", "run", "--no-record", "--status", "off",
             "--listen-port", str(free_udp_port()), "--bridge-port", str(free_udp_port()),
             "--sc-server-port", str(free_udp_port()), "--setlist", str(setlist), "--web",
             "--web-port", "0", "--duration", "180"],
            stdout=subprocess.PIPE, text=True, cwd=folder)
        try:
            url = _stage_url(run)
            browser = open_browser(WIDTH, HEIGHT)
            try:
                browser.get(url)
                _wait(lambda: browser.find_element("id", "audio").is_displayed(), 90,
                      "the bridge's audio line never came")
                for action in ("toggle_play", "mode:improv", "band_on"):
                    browser.find_element("css selector", f"button[data-action='{action}']").click()
                _wait(lambda: _shown(browser) == ("MACHINE", "trade: 3 bars left"), 60,
                      "the machine's turn never came")  # into its turn
                browser.save_screenshot(str(out))
            finally:
                browser.quit()
        finally:
            run.terminate()
            run.wait(timeout=30)
    print(f"wrote {out}")
    return 0


def _wait(done: Callable[[], bool], seconds: float, failed: str) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(failed)
        time.sleep(0.05)


def _shown(browser: Any) -> tuple[str, str]:
    return browser.find_element("id", "who").text, browser.find_element("id", "left").text


def _stage_url(run: subprocess.Popen[str]) -> str:
    assert run.stdout is not None
    for line in run.stdout:
        found = re.search(r"stage view at (\S+)", line)
        if found:
            return found.group(1)
    raise SystemExit("psc-looper run did not print the stage view's address")


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "stage-view.png"))
