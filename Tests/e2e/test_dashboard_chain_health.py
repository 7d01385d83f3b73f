"""The dashboard in headless Chromium while a chain's node fails: the badge leaves plain "Live"
and names the chain, a banner says since when, the chain's wallets show their balances' age,
and all of it goes away when the node recovers. Screenshots go to $DASHBOARD_SCREENSHOTS."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from conftest import add_wallet
from dashboard_browser import Page, assert_contrast, assert_no_script_errors, browser_driver, row_for, wait_for
from test_chains import chain_environment, devchain  # noqa: F401  (devchain is a fixture)

WALLET = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"
ETH = 10**18


@pytest.fixture
def driver():
    chrome = browser_driver()
    yield chrome
    chrome.quit()


def banner(driver):
    return driver.find_element(By.ID, "chain-problem")


def test_a_failing_chain_shows_in_the_badge_banner_and_rows_then_clears(driver, server_factory, devchain):
    devchain.control("balance", {"chain": "ethereum", "address": WALLET, "token": None, "amount": str(2 * ETH)})
    server = server_factory.start(
        env=chain_environment(devchain, ETHEREUM_POLL_INTERVAL="0.2", SOLANA_POLL_INTERVAL="0.2"))
    add_wallet(server, WALLET, label="main")
    page = Page(driver, server)
    page.open()
    wait_for(driver, lambda d: "2 ETH" in row_for(d, "main").find_element(By.CLASS_NAME, "balances").text,
             "the wallet's balance")
    wait_for(driver, lambda d: page.connection() == ("live", "Live"), "plain Live with every chain ok")
    assert not banner(driver).is_displayed()
    assert banner(driver).get_attribute("role") == "status"

    devchain.control("fault", {"chain": "ethereum", "kind": "500"})
    wait_for(driver, lambda d: page.connection()[1] == "Live, Ethereum down", "the badge to name ethereum down")
    badge = driver.find_element(By.ID, "connection")
    assert badge.get_attribute("data-state") == "live" and badge.get_attribute("data-chains") == "down"
    shown = banner(driver)
    assert shown.is_displayed()
    line = shown.find_element(By.CSS_SELECTOR, ".chain-line[data-chain=ethereum]")
    assert line.text.startswith("Ethereum is down since "), line.text
    since = line.find_element(By.TAG_NAME, "time")
    # Shown in the viewer's time zone, with how long ago; the exact instant is the datetime.
    assert since.get_attribute("datetime").endswith("Z"), since.get_attribute("datetime")
    assert "ago" in since.text or "just now" in since.text, since.text
    assert "Balances are as of" in line.text and "HTTP 500" in line.text, line.text
    assert "Solana" not in shown.text
    fresh = row_for(driver, "main").find_element(By.CLASS_NAME, "fresh")
    wait_for(driver, lambda d: "stale" in fresh.get_attribute("class"), "the row's age marked stale")
    assert "Ethereum down" in fresh.text and ("ago" in fresh.text or "just now" in fresh.text), fresh.text
    page.screenshot("chain-health-01-down")
    assert_contrast(driver)

    # A phone's width: the banner and the longer badge wrap instead of scrolling sideways.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True})
    widths = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"horizontal scrolling at 375 px: {widths}"
    page.screenshot("chain-health-02-down-phone")
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    devchain.control("fault", {"chain": "ethereum", "kind": "none"})
    # The breaker lets a probe through after its 10 s cool-down.
    wait_for(driver, lambda d: page.connection() == ("live", "Live"), "plain Live once ethereum recovers", 45)
    assert not banner(driver).is_displayed()
    assert driver.find_element(By.ID, "connection").get_attribute("data-chains") == "ok"
    wait_for(driver, lambda d: "stale" not in fresh.get_attribute("class"), "the row no longer stale")
    assert "Ethereum" not in fresh.text, fresh.text
    assert page.still_same_document()
    assert_no_script_errors(driver)


def test_every_chain_failing_never_says_plain_live(driver, server_factory, devchain):
    """Both chains' nodes fail from the start: the page says so and its layout holds."""
    for chain in ("ethereum", "solana"):
        devchain.control("fault", {"chain": chain, "kind": "500"})
    server = server_factory.start(
        env=chain_environment(devchain, ETHEREUM_POLL_INTERVAL="0.2", SOLANA_POLL_INTERVAL="0.2"))
    page = Page(driver, server)
    page.open()
    wait_for(driver, lambda d: page.connection()[1] == "Live, 2 chains down", "the badge to count two chains down")
    lines = banner(driver).find_elements(By.CLASS_NAME, "chain-line")
    assert [line.get_attribute("data-chain") for line in lines] == ["ethereum", "solana"]
    assert all("is down since" in line.text for line in lines), [line.text for line in lines]
    page.screenshot("chain-health-03-all-down")
    assert_contrast(driver)
    assert_no_script_errors(driver)
