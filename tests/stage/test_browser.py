"""The stage view in a real headless browser (Debian's Chromium, driven by Selenium
through Debian's chromedriver; ``scripts/setup.sh --test`` installs both): the page
follows the loop bar by bar, a button changes the looper, the audio line lights up when
xruns grow, and a phone's width holds every button. A real-time backend over UDP, as
``run`` builds it, with a recording peer in place of the bridge (and a stand-in for its
jackd's xrun count)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from psc_looper.app import Backend, BackendConfig
from psc_looper.commands.bridge import watch_audio
from psc_looper.looper.notes import Mode
from psc_looper.osc.capture import UdpCapture
from psc_looper.stage import StageFeature, StageServer
from psc_looper.timing.meter import LoopStructure
from tests.devices.test_period import FakeBridge

WAIT_SECONDS = 15
TOKEN = "browser-test-token"
PHONE = 412, 915  # CSS pixels, a common Android phone held upright


def chromium() -> tuple[str, str]:
    """Debian's browser and driver (a clear failure, not a skip, when setup has not run)."""
    browser = shutil.which("chromium")
    driver = shutil.which("chromedriver")
    assert browser and driver, "apt-get install chromium chromium-driver (scripts/setup.sh --test)"
    return browser, driver


def open_browser(width: int = 1280, height: int = 800) -> webdriver.Chrome:
    browser, driver = chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--hide-scrollbars"):
        options.add_argument(arg)
    chrome = webdriver.Chrome(options=options, service=Service(driver))
    chrome.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {  # the page's own size
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    return chrome


@pytest.fixture
def stage() -> Iterator[tuple[Backend, StageServer, FakeBridge]]:
    peer = UdpCapture()
    backend = Backend(BackendConfig(listen_port=0, bridge_port=peer.port, qpm=200,
                                    structure=LoopStructure(bars=4)))
    jack = FakeBridge(64, 0)
    watch_audio(backend.looper, jack, 64, 48000)
    server = StageServer("0.0.0.0", 0, TOKEN)  # off loopback: the token in the URL
    backend.stage = backend.attach(StageFeature(server, backend.songs, backend.improv))
    backend.start()
    yield backend, server, jack
    backend.close()
    peer.close()


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    driver = open_browser()
    yield driver
    driver.quit()


def lit_bar(driver: webdriver.Chrome) -> str | None:
    lit = driver.find_elements(By.CSS_SELECTOR, "#chart .bar.lit")
    return lit[0].get_attribute("data-bar") if lit else None


def test_the_page_follows_the_loop_and_a_button_changes_the_looper(stage, browser):
    backend, server, jack = stage
    browser.get(f"http://127.0.0.1:{server.port}/?token={TOKEN}")
    wait = WebDriverWait(browser, WAIT_SECONDS)
    wait.until(lambda d: d.find_element(By.ID, "state").text == "stopped")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#chart .bar")) == 4

    browser.find_element(By.CSS_SELECTOR, "button[data-action='toggle_play']").click()
    wait.until(lambda d: d.find_element(By.ID, "state").text == "PLAYING")
    assert backend.looper.snapshot().playing
    seen: list[str] = []
    deadline = time.monotonic() + WAIT_SECONDS
    while len(set(seen)) < 3 and time.monotonic() < deadline:  # a bar lasts 1.2 s at 200 qpm
        bar = lit_bar(browser)
        if bar is not None and (not seen or seen[-1] != bar):
            seen.append(bar)
        time.sleep(0.05)
    assert len(set(seen)) >= 3, seen
    moves = [(int(a) - int(b)) % 4 for a, b in zip(seen[1:], seen, strict=False)]
    assert moves.count(1) >= len(moves) - 1 and set(moves) <= {1, 2}, seen  # forward, in order

    browser.find_element(By.CSS_SELECTOR, "button[data-action='record:bass']").click()
    wait.until(lambda _d: backend.looper.mode is Mode.BASS)
    wait.until(lambda d: d.find_element(By.ID, "armed").text.startswith("ARMED bass"))
    browser.find_element(By.CSS_SELECTOR, "button[data-action='panic']").click()
    browser.find_element(By.CSS_SELECTOR, "button[data-action='toggle_play']").click()
    wait.until(lambda _d: not backend.looper.snapshot().playing)
    wait.until(lambda d: d.find_element(By.ID, "state").text == "stopped")

    audio = browser.find_element(By.ID, "audio")  # the bridge's xruns, lit while they grow
    assert audio.text == "JACK 64 · 0 xruns" and "alert" not in audio.get_attribute("class")
    jack.count += 1
    wait.until(lambda _d: "alert" in audio.get_attribute("class"))
    assert audio.text == "JACK 64 · 1 xrun"
    browser.find_element(By.CSS_SELECTOR, "button[data-action='band_on']").click()
    wait.until(lambda _d: backend.band.on)
    wait.until(lambda d: d.find_element(By.ID, "band-on").text == "Band off")
    assert browser.find_element(By.ID, "band-state").text == "swing"

    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True})
    wait.until(lambda d: d.execute_script("return window.innerWidth") == PHONE[0])
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    for button in browser.find_elements(By.CSS_SELECTOR, "button"):  # all there, none cut
        left, right = browser.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.left, r.right];", button)
        assert left >= 0 and right <= PHONE[0], button.text
        assert button.size["height"] >= 48, button.text  # a finger's width at least


def test_a_page_without_the_token_is_refused_and_changes_nothing(stage, browser):
    backend, server, _jack = stage
    browser.get(f"http://127.0.0.1:{server.port}/")
    assert "wrong or missing token" in browser.find_element(By.TAG_NAME, "body").text
    assert not backend.looper.snapshot().playing
