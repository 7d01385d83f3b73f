"""The dashboard in a real headless Chromium, against the real server reading devchain.

A wallet is added through the page, its balance shows, the balance moves on devchain and the
page follows without a reload; a bad address shows the API's own message next to the field.
Also: the dark theme, phone width without horizontal scrolling, keyboard-only use, the row
actions, and a server restart that the page resumes from. Every test saves screenshots to
$DASHBOARD_SCREENSHOTS (default `.build/dashboard-screenshots`).
"""

from __future__ import annotations

import socket
import sqlite3
import time

import pytest
import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import add_wallet
from dashboard_browser import (
    Page, assert_contrast, assert_no_script_errors, browser_driver, flashed_values, row_for, wait_for,
)
from test_chains import DevChain, chain_environment, devchain  # noqa: F401  (devchain is a fixture)

WALLET = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"
OTHER = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
BAD_CHECKSUM = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeD"
ETH = 10**18


@pytest.fixture
def driver():
    chrome = browser_driver()
    yield chrome
    chrome.quit()


def set_eth(chain: DevChain, address: str, wei: int) -> None:
    chain.control("balance", {"chain": "ethereum", "address": address, "token": None, "amount": str(wei)})


def start_server(server_factory, chain: DevChain, poll: str = "0.5", port: int | None = None, database=None):
    env = chain_environment(chain, ETHEREUM_POLL_INTERVAL=poll, SOLANA_POLL_INTERVAL=poll)
    if port is None:
        return server_factory.start(env=env)
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--database", str(database)]
    return server_factory.start(args, env)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_add_a_wallet_and_follow_its_balance_live(driver, server_factory, devchain):
    set_eth(devchain, WALLET, 3 * ETH // 2)
    server = start_server(server_factory, devchain)
    page = Page(driver, server)
    page.open()
    assert "Add a wallet" in driver.find_element(By.ID, "total-note").text
    assert driver.find_element(By.ID, "wallets-empty").is_displayed()
    page.screenshot("01-desktop-light-empty")

    Select(driver.find_element(By.ID, "wallet-chain")).select_by_value("ethereum")
    driver.find_element(By.ID, "wallet-address").send_keys(WALLET)
    driver.find_element(By.ID, "wallet-label").send_keys("main")
    driver.find_element(By.CSS_SELECTOR, "#add-wallet button[type=submit]").click()

    wait_for(driver, lambda d: "1.5 ETH" in row_for(d, "main").find_element(By.CLASS_NAME, "balances").text,
             "the new wallet's balance of 1.5 ETH")
    row = row_for(driver, "main")
    assert row.find_element(By.CLASS_NAME, "chain").text == "Ethereum"
    assert row.find_element(By.CLASS_NAME, "address-text").text == "0xd8dA…6045"
    assert row.find_element(By.CLASS_NAME, "address-text").get_attribute("title") == WALLET
    assert "Added main on Ethereum" in driver.find_element(By.ID, "form-status").text
    wait_for(driver, lambda d: "1.5" in d.find_element(By.ID, "total").text, "the total of 1.5 ETH")
    assert "ETH" in driver.find_element(By.ID, "breakdown").text

    set_eth(devchain, WALLET, 17 * ETH // 4)
    wait_for(driver, lambda d: "4.25 ETH" in row_for(d, "main").find_element(By.CLASS_NAME, "balances").text,
             "the balance moving to 4.25 ETH without a reload")
    wait_for(driver, lambda d: "4.25" in d.find_element(By.ID, "total").text, "the total moving to 4.25")
    assert page.still_same_document(), "the page reloaded instead of updating in place"
    assert "4.25" in flashed_values(driver), f"no highlight on the changed value: {flashed_values(driver)}"
    assert driver.execute_script("""
        const probe = document.createElement('span'); probe.className = 'flash'; document.body.append(probe);
        const name = getComputedStyle(probe).animationName; probe.remove(); return name;""") == "flash"
    assert page.connection() == ("live", "Live")

    # The history chart draws the ETH series, and its summary ends at the new balance.
    wait_for(driver, lambda d: "to 4.25 ETH" in d.find_element(By.ID, "history-summary").text,
             "the history summary to reach 4.25 ETH")
    assert driver.find_element(By.ID, "history").get_attribute("data-series") == "ethereum|"
    assert driver.find_elements(By.CSS_SELECTOR, "#chart svg path.line")
    assert "Added main on Ethereum." == driver.find_element(By.ID, "form-status").text
    page.wait_flashes_done()
    page.screenshot("02-desktop-light-live-update")

    # Every range reads the history endpoint and draws the same latest balance.
    for value, words in (("7d", "the last 7 days"), ("30d", "the last 30 days"), ("all", "all time"),
                         ("24h", "the last 24 hours")):
        driver.find_element(By.CSS_SELECTOR, f"label[for=range-{value}]").click()
        wait_for(driver, lambda d: d.find_element(By.ID, "history-summary").text.startswith(f"ETH on Ethereum, {words}:")
                 and "to 4.25 ETH" in d.find_element(By.ID, "history-summary").text, f"the {value} history")
    assert driver.find_element(By.ID, "history-empty").is_displayed() is False
    assert_contrast(driver)
    assert_no_script_errors(driver)


def test_a_bad_address_shows_the_api_message_by_the_field(driver, server_factory, devchain):
    server = start_server(server_factory, devchain)
    problem = requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": BAD_CHECKSUM},
                            timeout=10).json()
    assert problem["field"] == "address" and problem["suggestion"] == OTHER, problem
    page = Page(driver, server)
    page.open()

    address = driver.find_element(By.ID, "wallet-address")
    address.send_keys(BAD_CHECKSUM)
    driver.find_element(By.CSS_SELECTOR, "#add-wallet button[type=submit]").click()
    error = driver.find_element(By.ID, "wallet-address-error")
    wait_for(driver, lambda d: problem["detail"] in error.text, "the API's detail next to the address field")
    assert address.get_attribute("aria-invalid") == "true"
    assert error.get_attribute("id") in address.get_attribute("aria-describedby")
    assert driver.switch_to.active_element == address, "focus did not return to the field in error"
    suggestion = error.find_element(By.CSS_SELECTOR, "button.suggestion")
    assert suggestion.text == "Use 0x5aAe…eAed"
    page.screenshot("03-desktop-light-bad-address")

    suggestion.click()
    assert address.get_attribute("value") == OTHER
    assert address.get_attribute("aria-invalid") is None and error.text == ""
    driver.find_element(By.CSS_SELECTOR, "#add-wallet button[type=submit]").click()
    wait_for(driver, lambda d: row_for(d, "0x5aAe…eAed") is not None, "the wallet added with the suggested address")

    # A second add of the same wallet answers 409; the page says so and offers to show the row.
    address.send_keys(OTHER)
    driver.find_element(By.CSS_SELECTOR, "#add-wallet button[type=submit]").click()
    status = driver.find_element(By.ID, "form-status")
    wait_for(driver, lambda d: "already tracked" in status.text, "the conflict message")
    assert status.find_element(By.TAG_NAME, "button").text == "Show it"
    assert_no_script_errors(driver)


def open_with_one_wallet(driver, server_factory, devchain, eth: int, label: str, **media: str) -> Page:
    """The page over a server that tracks WALLET holding `eth` ETH, under emulated media features."""
    set_eth(devchain, WALLET, eth * ETH)
    server = start_server(server_factory, devchain)
    add_wallet(server, WALLET, label=label)
    features = [{"name": name.replace("_", "-"), "value": value} for name, value in media.items()]
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": features})
    page = Page(driver, server)
    page.open()
    return page


def test_dark_theme(driver, server_factory, devchain):
    page = open_with_one_wallet(
        driver, server_factory, devchain, 2, "vault", prefers_color_scheme="dark", prefers_reduced_motion="reduce")
    assert driver.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches")
    # Under reduced motion a changed value is tinted while marked, not animated.
    animation, tint = driver.execute_script("""
        const probe = document.createElement('span'); probe.className = 'flash'; document.body.append(probe);
        const s = getComputedStyle(probe); const r = [s.animationName, s.backgroundColor]; probe.remove(); return r;""")
    assert animation == "none" and tint not in ("rgba(0, 0, 0, 0)", "transparent"), (animation, tint)
    wait_for(driver, lambda d: "2 ETH" in row_for(d, "vault").find_element(By.CLASS_NAME, "balances").text,
             "the balance in the dark theme")
    background, text = driver.execute_script(
        "const s = getComputedStyle(document.body); return [s.backgroundColor, s.color];")
    assert page.luminance(background) < 0.05, f"the dark theme's background is {background}"
    assert page.luminance(text) > 0.6, f"the dark theme's text is {text}"
    page.wait_flashes_done()
    page.screenshot("04-desktop-dark")
    assert_contrast(driver)
    assert_no_script_errors(driver)


def test_the_theme_switch_overrides_the_system_and_is_remembered(driver, server_factory, devchain):
    page = open_with_one_wallet(driver, server_factory, devchain, 3, "switch", prefers_color_scheme="light")
    background = "return getComputedStyle(document.body).backgroundColor"
    switch = driver.find_element(By.ID, "theme")
    assert switch.text == "Theme: system"
    assert page.luminance(driver.execute_script(background)) > 0.8

    switch.click()  # light: the same as the system here
    assert switch.text == "Theme: light"
    switch.click()
    assert switch.text == "Theme: dark"
    wait_for(driver, lambda d: page.luminance(d.execute_script(background)) < 0.05, "the dark background")
    wait_for(driver, lambda d: "3 ETH" in row_for(d, "switch").find_element(By.CLASS_NAME, "balances").text,
             "the balance")
    assert_contrast(driver)

    # The pick outlives a reload, and applies before the page's scripts run.
    page.open()
    assert driver.find_element(By.ID, "theme").text == "Theme: dark"
    assert driver.execute_script("return document.documentElement.dataset.theme") == "dark"
    assert page.luminance(driver.execute_script(background)) < 0.05
    page.wait_flashes_done()
    page.screenshot("08-desktop-dark-by-switch")

    driver.find_element(By.ID, "theme").click()
    assert driver.find_element(By.ID, "theme").text == "Theme: system"
    wait_for(driver, lambda d: page.luminance(d.execute_script(background)) > 0.8, "the system's light background")
    assert driver.execute_script("return localStorage.getItem('portfolio-theme')") is None
    assert_no_script_errors(driver)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_width_has_no_horizontal_scrolling(driver, server_factory, devchain, scheme):
    set_eth(devchain, WALLET, 123456789 * ETH // 1000)
    server = start_server(server_factory, devchain)
    add_wallet(server, WALLET, label="a rather long label for a phone screen")
    add_wallet(server, "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM", chain="solana", label="sol")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    page = Page(driver, server)
    page.open()
    wait_for(driver, lambda d: "123,456.789 ETH" in d.find_element(By.ID, "wallet-table").text,
             "the balance at phone width")
    wait_for(driver, lambda d: "0 SOL" in row_for(d, "sol").text, "the zero SOL balance")
    assert driver.execute_script("return innerWidth") == 375
    widths = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"horizontal scrolling at 375 px: scrollWidth {widths[0]} > {widths[1]}"
    wide = driver.execute_script("""
        return [...document.querySelectorAll('body *')]
          .filter(e => e.checkVisibility() && !e.closest('.sr-only') && e.getBoundingClientRect().right > innerWidth + 0.5)
          .map(e => e.tagName + '.' + e.className);""")
    assert not wide, f"elements past the right edge at 375 px: {wide}"
    # The wallets table turns into one card per wallet: its rows are blocks.
    assert driver.execute_script(
        "return getComputedStyle(document.querySelector('#wallet-table tbody tr')).display") == "block"
    page.wait_flashes_done()
    page.screenshot(f"0{5 if scheme == 'light' else 6}-phone-{scheme}")
    assert_contrast(driver)
    assert_no_script_errors(driver)


def test_keyboard_only_add_rename_and_delete(driver, server_factory, devchain):
    set_eth(devchain, WALLET, ETH)
    server = start_server(server_factory, devchain)
    page = Page(driver, server)
    page.open()
    keys = ActionChains(driver)
    keys.send_keys(Keys.TAB).perform()
    assert driver.switch_to.active_element.text == "Skip to content", "the skip link is not the first stop"

    page.tab_to(lambda e: e.get_attribute("id") == "wallet-chain")
    assert page.focus_ring_visible(), "the focused field shows no focus ring"
    keys.send_keys(Keys.TAB).send_keys(WALLET).send_keys(Keys.TAB).send_keys("keys").send_keys(Keys.ENTER).perform()
    wait_for(driver, lambda d: "1 ETH" in row_for(d, "keys").find_element(By.CLASS_NAME, "balances").text,
             "the wallet added from the keyboard")

    page.tab_to(lambda e: e.get_attribute("aria-label") == "Rename keys")
    assert page.focus_ring_visible(), "the focused button shows no focus ring"
    keys.send_keys(Keys.ENTER).perform()
    field = driver.switch_to.active_element
    assert field.tag_name == "input" and field.get_attribute("value") == "keys"
    keys.send_keys("cold").send_keys(Keys.ENTER).perform()  # the text was selected: this replaces it
    wait_for(driver, lambda d: row_for(d, "cold") is not None, "the new label")
    wallet_id = row_for(driver, "cold").get_attribute("data-key")
    assert requests.get(server.url(f"/api/v1/wallets/{wallet_id}"), timeout=10).json()["label"] == "cold"
    assert driver.switch_to.active_element.get_attribute("aria-label") == "Rename cold"

    page.tab_to(lambda e: e.get_attribute("aria-label") == "Delete cold")
    keys.send_keys(Keys.ENTER).perform()
    assert driver.switch_to.active_element.text == "Delete", "focus is not on the confirming button"
    keys.send_keys(Keys.ENTER).perform()
    wait_for(driver, lambda d: d.find_element(By.ID, "wallets-empty").is_displayed(), "the wallet removed")
    assert requests.get(server.url("/api/v1/wallets"), timeout=10).json()["wallets"] == []
    assert driver.switch_to.active_element.get_attribute("id") == "wallets-title"
    assert_no_script_errors(driver)


def test_refresh_reads_the_chain_now(driver, server_factory, devchain):
    set_eth(devchain, WALLET, ETH)
    # The poller waits a minute: only the Refresh button can bring the new balance in time.
    server = start_server(server_factory, devchain, poll="60")
    add_wallet(server, WALLET, label="slow")
    page = Page(driver, server)
    page.open()
    wait_for(driver, lambda d: "1 ETH" in row_for(d, "slow").text, "the first balance")
    set_eth(devchain, WALLET, 5 * ETH)
    row_for(driver, "slow").find_element(By.CLASS_NAME, "refresh").click()
    wait_for(driver, lambda d: "5 ETH" in row_for(d, "slow").find_element(By.CLASS_NAME, "balances").text,
             "the refreshed balance")
    assert page.still_same_document()
    assert_no_script_errors(driver)


def test_the_page_resumes_after_a_server_restart(driver, server_factory, devchain):
    set_eth(devchain, WALLET, ETH)
    port = free_port()
    database = server_factory.database_path("restart.sqlite")
    server = start_server(server_factory, devchain, port=port, database=database)
    add_wallet(server, WALLET, label="steady")
    page = Page(driver, server)
    page.open()
    wait_for(driver, lambda d: "1 ETH" in row_for(d, "steady").text, "the first balance")

    assert server.stop() == 0
    wait_for(driver, lambda d: page.connection()[0] in ("reconnecting", "offline"), "the page to see the drop")
    assert "1 ETH" in row_for(driver, "steady").text, "the page dropped what it showed"
    page.screenshot("07-desktop-light-reconnecting")

    set_eth(devchain, WALLET, 7 * ETH)
    start_server(server_factory, devchain, port=port, database=database)
    wait_for(driver, lambda d: "7 ETH" in row_for(d, "steady").text, "the change made while the server was down")
    wait_for(driver, lambda d: page.connection() == ("live", "Live"), "the connection to come back live")
    assert page.still_same_document(), "the page reloaded instead of resuming"
    position = driver.execute_script("return JSON.parse(sessionStorage.getItem('portfolio-stream-position'))")
    log = requests.get(f"http://127.0.0.1:{port}/api/v1/portfolio", timeout=10).json()
    assert position["seq"] == log["seq"], (position, log["seq"])
    assert_no_script_errors(driver)


def test_the_portfolio_in_usd(driver, server_factory, devchain):
    """USD headline, price, value and share per holding, an unpriced token marked as such, and a
    price move followed live. Figures worked out by hand: 1.5 ETH at $3,000.50 = $4,500.75; at
    $3,100 = $4,650.00; 250 USDC at $1.0001 = $250.025 → $250.03 shown; shares of $4,750.775."""
    token = devchain.control("token", {"chain": "ethereum", "symbol": "PEPE", "decimals": 18})["address"]
    usdc = devchain.control("token", {"chain": "ethereum", "symbol": "USDC", "decimals": 6})["address"]
    set_eth(devchain, WALLET, 3 * ETH // 2)
    devchain.control("balance", {"chain": "ethereum", "address": WALLET, "token": token, "amount": str(7 * ETH)})
    devchain.control("balance", {"chain": "ethereum", "address": WALLET, "token": usdc, "amount": "250000000"})
    devchain.control("price", {"coin": "ethereum", "usd": "3000.5"})
    devchain.control("price", {"platform": "ethereum", "contract": usdc, "usd": "1.0001"})
    env = chain_environment(
        devchain, ETHEREUM_POLL_INTERVAL="0.5", PRICES_SOURCES="coingecko",
        COINGECKO_API_URL=f"{devchain.base}/coingecko/api/v3", COINGECKO_REQUESTS_PER_MINUTE="0",
        PRICES_REFRESH_INTERVAL="0.5")
    server = server_factory.start(env=env)
    for address in (token, usdc):
        added = requests.post(server.url("/api/v1/tokens"), json={"chain": "ethereum", "address": address}, timeout=10)
        assert added.status_code == 201, added.text
    add_wallet(server, WALLET, label="main")
    page = Page(driver, server)
    page.open()

    wait_for(driver, lambda d: d.find_element(By.ID, "total").text == "$4,750.78",
             "the USD total of $4,500.75 + $250.025")
    cells = lambda asset: {  # noqa: E731
        cell.get_attribute("class").split()[-1]: cell.text
        for cell in driver.find_element(By.XPATH, f"//table[@id='breakdown']//th[text()='{asset}']/..")
        .find_elements(By.TAG_NAME, "td")
    }
    eth = cells("ETH")
    assert (eth["price"], eth["usd"], eth["share"]) == ("$3,000.50", "$4,500.75", "94.7%")
    usdc_row = cells("USDC")
    assert (usdc_row["price"], usdc_row["usd"], usdc_row["share"]) == ("$1.00", "$250.03", "5.3%")
    pepe = driver.find_element(By.XPATH, "//table[@id='breakdown']//th[text()='PEPE']/..")
    assert "unpriced" in pepe.get_attribute("class")
    assert pepe.find_element(By.CLASS_NAME, "price").text == "no price"
    assert "PEPE" in driver.find_element(By.ID, "total-note").text
    # The wallet's own value, with its unpriced holding counted apart.
    assert row_for(driver, "main").find_element(By.CLASS_NAME, "wallet-usd").text == "$4,750.78 + 1 unpriced"
    page.screenshot("usd-01-priced")

    # The price moves: the value frame updates the page in place.
    devchain.control("price", {"coin": "ethereum", "usd": "3100"})
    wait_for(driver, lambda d: d.find_element(By.ID, "total").text == "$4,900.03",
             "the total after ETH moved to $3,100 ($4,650.00 + $250.025)")
    assert page.still_same_document()
    assert cells("ETH")["price"] == "$3,100.00"
    # The chart plots the portfolio's USD value.
    wait_for(driver, lambda d: d.find_element(By.ID, "history").get_attribute("data-series") == "usd",
             "the history chart to show the USD value")
    wait_for(driver, lambda d: "$4,900.03" in d.find_element(By.ID, "history-summary").text,
             "the history summary to end at the new value")
    page.wait_flashes_done()
    page.screenshot("usd-02-price-moved")
    assert_contrast(driver)
    assert_no_script_errors(driver)


def test_the_headline_shows_the_change_over_24_hours(driver, server_factory, devchain, tmp_path):
    """A portfolio that held 2 ETH at $3,000 25 hours ago (written into the database before the
    server starts) and holds 2 ETH at $3,300 now: $6,000.00 then, $6,600.00 now, +$600.00 (+10.0%)."""
    database = tmp_path / "day.sqlite"
    migrated = server_factory.run(["migrate", "--database", str(database)])
    assert migrated.returncode == 0, migrated.stderr
    day_ago_ms = int((time.time() - 25 * 3600) * 1000)
    hour = day_ago_ms // 3_600_000
    with sqlite3.connect(database) as db:
        db.execute("INSERT INTO wallets (id, user_id, chain, address, label, created_at, updated_at) "
                   "VALUES (?, 1, 'ethereum', ?, 'main', ?, ?)",
                   ("3f1c4c1e-9f6b-4a53-8d1a-0d6f3f9b2a10", WALLET, day_ago_ms, day_ago_ms))
        db.execute("INSERT INTO balances (wallet_id, token, symbol, decimals, raw, block, updated_at) "
                   "VALUES (?, '', 'ETH', 18, ?, 1, ?)",
                   ("3f1c4c1e-9f6b-4a53-8d1a-0d6f3f9b2a10", str(2 * ETH), day_ago_ms))
        db.execute("INSERT INTO changes (wallet_id, chain, token, symbol, decimals, raw_old, raw_new, block, at) "
                   "VALUES (?, 'ethereum', '', 'ETH', 18, '0', ?, 1, ?)",
                   ("3f1c4c1e-9f6b-4a53-8d1a-0d6f3f9b2a10", str(2 * ETH), day_ago_ms))
        # The hourly rollup is the first user's (owner, id 1), whose wallet this is.
        db.execute("INSERT INTO history_assets (user_id, chain, token, symbol, decimals, moves) "
                   "VALUES (1, 'ethereum', '', 'ETH', 18, 1)")
        db.execute("INSERT INTO asset_hours (user_id, chain, token, hour, raw) VALUES (1, 'ethereum', '', ?, ?)",
                   (hour, str(2 * ETH)))
        db.execute("INSERT INTO price_history (chain, token, price, source, source_at, at, seq) "
                   "VALUES ('ethereum', '', '3000', 'coingecko', ?, ?, NULL)", (day_ago_ms, day_ago_ms))
        db.execute("INSERT INTO price_hours VALUES ('ethereum', '', ?, '3000')", (hour,))
    set_eth(devchain, WALLET, 2 * ETH)
    devchain.control("price", {"coin": "ethereum", "usd": "3300"})
    env = chain_environment(
        devchain, ETHEREUM_POLL_INTERVAL="0.5", PRICES_SOURCES="coingecko",
        COINGECKO_API_URL=f"{devchain.base}/coingecko/api/v3", COINGECKO_REQUESTS_PER_MINUTE="0",
        PRICES_REFRESH_INTERVAL="0.5")
    server = server_factory.start(["serve", "--database", str(database), "--port", "0"], env)
    page = Page(driver, server)
    page.open()
    wait_for(driver, lambda d: d.find_element(By.ID, "total").text == "$6,600.00", "the value now: 2 × $3,300")
    wait_for(driver, lambda d: d.find_element(By.ID, "total-change").text == "+$600.00 (+10.0%) in 24 h",
             "the change against $6,000.00 a day ago")
    assert driver.find_element(By.ID, "total-change").get_attribute("data-direction") == "up"
    page.screenshot("usd-03-day-change")
    assert_contrast(driver)
    assert_no_script_errors(driver)


def test_the_usd_dashboard_passes_axe(driver, server_factory, devchain):
    """axe-core finds no serious or critical accessibility violation on the priced dashboard, in
    either theme."""
    from axe_selenium_python import Axe

    usdc = devchain.control("token", {"chain": "ethereum", "symbol": "USDC", "decimals": 6})["address"]
    set_eth(devchain, WALLET, 3 * ETH // 2)
    devchain.control("balance", {"chain": "ethereum", "address": WALLET, "token": usdc, "amount": "250000000"})
    devchain.control("price", {"coin": "ethereum", "usd": "3000.5"})
    env = chain_environment(
        devchain, ETHEREUM_POLL_INTERVAL="0.5", PRICES_SOURCES="coingecko",
        COINGECKO_API_URL=f"{devchain.base}/coingecko/api/v3", COINGECKO_REQUESTS_PER_MINUTE="0",
        PRICES_REFRESH_INTERVAL="0.5")
    server = server_factory.start(env=env)
    added = requests.post(server.url("/api/v1/tokens"), json={"chain": "ethereum", "address": usdc}, timeout=10)
    assert added.status_code == 201, added.text
    add_wallet(server, WALLET, label="main")
    page = Page(driver, server)
    page.open()
    wait_for(driver, lambda d: d.find_element(By.ID, "total").text == "$4,500.75", "the USD total")
    page.wait_flashes_done()
    for theme in ("light", "dark"):
        driver.execute_script("document.documentElement.dataset.theme = arguments[0];", theme)
        axe = Axe(driver)
        axe.inject()
        results = axe.run()
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"] if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"{theme}: {serious}"
