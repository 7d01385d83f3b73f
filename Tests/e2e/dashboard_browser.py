"""Headless Chromium for the dashboard tests: the driver, waits, screenshots and page checks."""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import REPO_ROOT, ServerProcess

# Records each Content-Security-Policy violation the page reports, from before its first script
# (scripts added through DevTools are not subject to the page's policy).
_CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(
  `${e.effectiveDirective} refused ${e.blockedURI || 'inline code'} (${e.sourceFile || 'page'}:${e.lineNumber})`));
"""

SCREENSHOTS = Path(os.environ.get("DASHBOARD_SCREENSHOTS", str(REPO_ROOT / ".build" / "dashboard-screenshots")))
WAIT_SECONDS = 30


def browser_driver() -> webdriver.Chrome:
    """Debian's chromium and chromium-driver; missing ones fail the test (CI installs them)."""
    chromium = os.environ.get("CHROMIUM_BIN") or shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = os.environ.get("CHROMEDRIVER_BIN") or shutil.which("chromedriver")
    if not chromium or not chromedriver:
        pytest.fail(f"chromium ({chromium}) and chromedriver ({chromedriver}) are needed: "
                    "apt-get install chromium chromium-driver")
    options = Options()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                     "--disable-gpu", "--lang=en-US"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _CSP_RECORDER})
    return driver


def wait_for(driver, condition, what: str, timeout: float = WAIT_SECONDS):
    """Waits until `condition(driver)` is truthy; the failure names what was awaited."""
    def probe(d):
        try:
            return condition(d)
        except (NoSuchElementException, StaleElementReferenceException, AttributeError):
            return False
    return WebDriverWait(driver, timeout).until(probe, f"waited {timeout} s for {what}")


def row_for(driver, label: str):
    """The wallets table row whose label (or short address, when it has none) is `label`."""
    for row in driver.find_elements(By.CSS_SELECTOR, "#wallet-table tbody tr"):
        label_text = row.find_element(By.CLASS_NAME, "label-text").text
        address = row.find_element(By.CLASS_NAME, "address-text").text
        if label_text == label or (label_text == "No label" and address == label):
            return row
    return None


def flashed_values(driver) -> list[str]:
    return driver.execute_script("return window.__flashed || []")


def csp_violations(driver) -> list[str]:
    """What the page's Content-Security-Policy refused since the page was loaded."""
    return driver.execute_script("return window.__cspViolations || []")


def assert_no_script_errors(driver) -> None:
    """No uncaught exception or console error from the page (failed requests are network entries),
    and nothing refused by its Content-Security-Policy."""
    log = driver.get_log("browser")
    errors = [e for e in log if e["level"] == "SEVERE" and e.get("source") in ("javascript", "console-api")]
    assert not errors, f"errors in the page: {errors}"
    refused = csp_violations(driver) + [e["message"] for e in log if "Content Security Policy" in e["message"]]
    assert not refused, f"Content-Security-Policy violations: {refused}"


_CONTRAST_SCRIPT = """
const parse = (c) => { const p = c.match(/[\\d.]+/g).map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
const lum = ({r, g, b}) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
  .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
function background(el) {
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c.a > 0) layers.push(c);
    if (c.a >= 1) break;
  }
  let base = layers.length && layers[layers.length - 1].a >= 1 ? layers.pop() : {r: 255, g: 255, b: 255, a: 1};
  for (const top of layers.reverse()) base = {r: top.a * top.r + (1 - top.a) * base.r, g: top.a * top.g + (1 - top.a) * base.g,
                                             b: top.a * top.b + (1 - top.a) * base.b, a: 1};
  return base;
}
const failures = [];
for (const el of document.querySelectorAll('body *')) {
  if (el.closest('svg, .sr-only, [disabled]') || !el.checkVisibility()) continue;
  const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
  if (!text) continue;
  const style = getComputedStyle(el);
  const fg = lum(parse(style.color)), bg = lum(background(el));
  const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
  const needed = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5;
  if (ratio < needed) failures.push(`${el.tagName}.${el.className} "${text.slice(0, 30)}": ${ratio.toFixed(2)} < ${needed}`);
}
return failures;
"""


def assert_contrast(driver) -> None:
    """Every visible text meets WCAG AA contrast against what is behind it."""
    failures = driver.execute_script(_CONTRAST_SCRIPT)
    assert not failures, "text below WCAG AA contrast:\n" + "\n".join(failures)


class Page:
    """The dashboard open in `driver`, served by `server`."""

    def __init__(self, driver, server: ServerProcess):
        self.driver = driver
        self.server = server

    def open(self) -> None:
        self.driver.get(self.server.url("/"))
        wait_for(self.driver, lambda d: d.find_element(By.ID, "connection").get_attribute("data-state") == "live",
                 "the stream to be live")
        wait_for(self.driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-loaded") == "true",
                 "the first snapshot")
        # A marker that only survives if the page is never reloaded, and a record of highlights.
        self.driver.execute_script("""
            window.__sameDocument = 'kept';
            window.__flashed = [];
            new MutationObserver((records) => {
              for (const r of records) if (r.target.classList.contains('flash')) window.__flashed.push(r.target.textContent);
            }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['class']});""")

    def still_same_document(self) -> bool:
        return self.driver.execute_script("return window.__sameDocument") == "kept"

    def connection(self) -> tuple[str, str]:
        badge = self.driver.find_element(By.ID, "connection")
        return badge.get_attribute("data-state"), badge.find_element(By.ID, "connection-text").text

    def wait_flashes_done(self) -> None:
        wait_for(self.driver, lambda d: not d.find_elements(By.CSS_SELECTOR, ".flash"), "highlights to fade")

    def tab_to(self, matches, limit: int = 80):
        """Presses Tab until the focused element matches; fails after `limit` presses."""
        for _ in range(limit):
            ActionChains(self.driver).send_keys(Keys.TAB).perform()
            element = self.driver.switch_to.active_element
            if matches(element):
                return element
        raise AssertionError(f"no matching element within {limit} presses of Tab")

    def focus_ring_visible(self) -> bool:
        style = self.driver.execute_script(
            "const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth];")
        return style[0] != "none" and float(style[1].rstrip("px")) >= 2

    @staticmethod
    def luminance(css_color: str) -> float:
        values = [float(v) for v in css_color[css_color.index("(") + 1:-1].replace(",", " ").split()[:3]]
        def channel(v):
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        r, g, b = (channel(v) for v in values)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    def screenshot(self, name: str) -> Path:
        """The whole page as a PNG in SCREENSHOTS."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        size = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        })
        path = SCREENSHOTS / f"{name}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        return path
