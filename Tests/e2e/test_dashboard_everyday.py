"""The dashboard's everyday questions, in headless Chromium against the real server reading devchain.

Two devchains: one as Ethereum (chain id 1), one as Polygon (chain id 137), each with a token
called USDC, so one symbol is held on two chains; a Solana wallet holds SOL. Prices are fixed.
Holdings tell their chains and contracts apart (with explorer links) and group across chains on
demand; they sort, filter and hide dust; allocation bars; CSV exports downloaded by the browser;
wallets added with their chain guessed, renamed, removed and imported; phone width, touch
targets, keyboard and axe-core. Screenshots of each state go to $DASHBOARD_SCREENSHOTS (default
`.build/dashboard-screenshots`, e.g. for CI artifacts) and the 1280 px one to docs/dashboard.png.
"""

from __future__ import annotations

import base64
import csv
import io
import time
from pathlib import Path

import pytest
import requests
from axe_selenium_python import Axe
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import REPO_ROOT, random_evm_address
from dashboard_browser import Page, assert_contrast, assert_no_script_errors, browser_driver, row_for, wait_for
from test_chains import DevChain, chain_environment

ETH = 10**18
MAIN = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"
SOL_WALLET = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM"
SOLANA_ADDRESS = "7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV"  # a valid base58 public key


class World:
    """The devchains, the server and what they hold."""

    def __init__(self, factory):
        self.ethereum = DevChain()
        self.polygon = DevChain("--ethereum-chain-id", "137")
        self.usdc = self.ethereum.control("token", {"chain": "ethereum", "symbol": "USDC", "decimals": 6})["address"]
        self.dust = self.ethereum.control("token", {"chain": "ethereum", "symbol": "DUST", "decimals": 18})["address"]
        self.polygon_usdc = self.polygon.control("token", {"chain": "ethereum", "symbol": "USDC", "decimals": 6})["address"]
        balance = lambda chain, network, address, token, amount: chain.control(  # noqa: E731
            "balance", {"chain": network, "address": address, "token": token, "amount": str(amount)})
        balance(self.ethereum, "ethereum", MAIN, None, 2 * ETH)  # $4,000.00
        balance(self.ethereum, "ethereum", MAIN, self.usdc, 1_500_000_000)  # $1,500.00
        balance(self.ethereum, "ethereum", MAIN, self.dust, ETH // 2)  # $0.50: dust
        balance(self.polygon, "ethereum", MAIN, self.polygon_usdc, 250_000_000)  # $250.00
        balance(self.ethereum, "solana", SOL_WALLET, None, 500_000_000)  # 0.5 SOL, $50.00
        prices = ",".join([
            "ethereum:native=2000", f"ethereum:{self.usdc}=1", f"ethereum:{self.dust}=1",
            f"polygon:{self.polygon_usdc}=1", "solana:native=100",
        ])
        env = chain_environment(
            self.ethereum, ETHEREUM_POLL_INTERVAL="1", SOLANA_POLL_INTERVAL="1", POLYGON_POLL_INTERVAL="1",
            POLYGON_RPC_URL=f"{self.polygon.base}/ethereum", PRICES_SOURCES="fixed", PRICES_FIXED=prices)
        env["POLYGON_ENABLED"] = "true"
        self.server = factory.start(env=env)
        for chain, token in (("ethereum", self.usdc), ("ethereum", self.dust), ("polygon", self.polygon_usdc)):
            added = requests.post(self.server.url("/api/v1/tokens"), json={"chain": chain, "address": token}, timeout=10)
            assert added.status_code == 201, added.text
        self.wallets = {}
        for chain, address, label in (("ethereum", MAIN, "main"), ("polygon", MAIN, "main on polygon"),
                                      ("solana", SOL_WALLET, "sol")):
            answer = requests.post(self.server.url("/api/v1/wallets"),
                                   json={"chain": chain, "address": address, "label": label}, timeout=10)
            assert answer.status_code == 201, answer.text
            wallet = answer.json()
            self.wallets[label] = wallet
            assert requests.post(self.server.url(f"/api/v1/wallets/{wallet['id']}/fetch"), timeout=30).status_code == 200
        self.explorers = {c["name"]: c["explorer"] for c in
                          requests.get(self.server.url("/api/v1/chains"), timeout=10).json()["chains"]}

    def stop(self):
        self.ethereum.stop()
        self.polygon.stop()


@pytest.fixture(scope="module")
def world(module_factory):
    world = World(module_factory)
    yield world
    world.stop()


@pytest.fixture
def downloads(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


@pytest.fixture
def driver(downloads):
    chrome = browser_driver()
    chrome.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    yield chrome
    chrome.quit()


def open_page(driver, world) -> Page:
    page = Page(driver, world.server)
    page.open()
    wait_for(driver, lambda d: d.find_element(By.ID, "total").text == "$5,800.50",
             "the total of $4,000 + $1,500 + $250 + $50 + $0.50")
    wait_for(driver, lambda d: len(holdings(d)) == 4, "four holdings shown (the dust one hidden)")
    return page


def holdings(driver) -> list[dict]:
    """The visible holdings rows in order: asset, chains, contract text, value."""
    rows = []
    for row in driver.find_elements(By.CSS_SELECTOR, "#breakdown tbody tr"):
        if not row.is_displayed():
            continue
        cell = row.find_element(By.CSS_SELECTOR, "th")
        rows.append({
            "asset": driver.execute_script("return arguments[0].firstChild.textContent", cell),
            "chains": [b.text for b in row.find_elements(By.CLASS_NAME, "chain-badge")],
            "contracts": [c.text for c in row.find_elements(By.CLASS_NAME, "contract-text")],
            "links": [a.get_attribute("href") for a in row.find_elements(By.CSS_SELECTOR, ".contract a.explorer-link")],
            "amount": row.find_element(By.CLASS_NAME, "amount").text,
            "usd": row.find_element(By.CLASS_NAME, "usd").text,
            "row": row,
        })
    return rows


def names(driver) -> list[tuple[str, tuple[str, ...]]]:
    return [(r["asset"], tuple(r["chains"])) for r in holdings(driver)]


def short(address: str) -> str:
    return f"{address[:6]}…{address[-4:]}"


def test_same_symbol_on_two_chains_is_told_apart_and_groups_on_demand(driver, world):
    page = open_page(driver, world)
    rows = holdings(driver)
    usdc = [r for r in rows if r["asset"] == "USDC"]
    assert sorted(tuple(r["chains"]) for r in usdc) == [("Ethereum",), ("Polygon",)], rows
    by_chain = {r["chains"][0]: r for r in usdc}
    assert by_chain["Ethereum"]["contracts"] == [short(world.usdc)]
    assert by_chain["Polygon"]["contracts"] == [short(world.polygon_usdc)]
    # Explorer links follow the configured explorer's token template.
    assert by_chain["Ethereum"]["links"] == [world.explorers["ethereum"]["token"].replace("{token}", world.usdc)]
    assert by_chain["Polygon"]["links"] == [world.explorers["polygon"]["token"].replace("{token}", world.polygon_usdc)]
    assert by_chain["Ethereum"]["usd"] == "$1,500.00" and by_chain["Polygon"]["usd"] == "$250.00"
    eth = next(r for r in rows if r["asset"] == "ETH")
    assert eth["chains"] == ["Ethereum"] and eth["contracts"] == [] and eth["links"] == []
    # The wallet rows link their address to the explorer too.
    link = row_for(driver, "sol").find_element(By.CSS_SELECTOR, ".address a.explorer-link")
    assert link.get_attribute("href") == world.explorers["solana"]["address"].replace("{address}", SOL_WALLET)
    assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
    by_chain["Polygon"]["row"].find_element(By.CLASS_NAME, "copy-token").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "announcer").get_attribute("textContent") == "Contract copied.",
             "the contract copied")
    page.screenshot("everyday-01-holdings-per-chain")

    driver.find_element(By.CSS_SELECTOR, "label[for=holdings-group]").click()
    wait_for(driver, lambda d: [r["asset"] for r in holdings(d)].count("USDC") == 1, "USDC grouped into one row")
    grouped = next(r for r in holdings(driver) if r["asset"] == "USDC")
    assert sorted(grouped["chains"]) == ["Ethereum", "Polygon"]
    assert grouped["amount"] == "1,750" and grouped["usd"] == "$1,750.00", grouped
    assert len(grouped["links"]) == 2
    page.screenshot("everyday-02-grouped-across-chains")
    # The switch is remembered.
    driver.refresh()
    wait_for(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-loaded") == "true", "reload")
    wait_for(driver, lambda d: [r["asset"] for r in holdings(d)].count("USDC") == 1, "still grouped after a reload")
    driver.find_element(By.CSS_SELECTOR, "label[for=holdings-group]").click()
    wait_for(driver, lambda d: [r["asset"] for r in holdings(d)].count("USDC") == 2, "USDC per chain again")
    assert_no_script_errors(driver)


def test_sort_by_value_amount_and_name_and_filter(driver, world):
    page = open_page(driver, world)
    # By value, largest first.
    assert [r["usd"] for r in holdings(driver)] == ["$4,000.00", "$1,500.00", "$250.00", "$50.00"]
    value = driver.find_element(By.CSS_SELECTOR, "#breakdown button.sort[data-sort=value]")
    assert value.find_element(By.XPATH, "..").get_attribute("aria-sort") == "descending"
    value.click()
    wait_for(driver, lambda d: holdings(d)[0]["usd"] == "$50.00", "smallest value first")
    assert value.find_element(By.XPATH, "..").get_attribute("aria-sort") == "ascending"
    driver.find_element(By.CSS_SELECTOR, "#breakdown button.sort[data-sort=name]").click()
    wait_for(driver, lambda d: [n for n, _ in names(d)] == ["ETH", "SOL", "USDC", "USDC"], "sorted by name")
    assert value.find_element(By.XPATH, "..").get_attribute("aria-sort") == "none"
    # By amount with the keyboard: 1,500 USDC, 250 USDC, 2 ETH, 0.5 SOL; the focus ring shows.
    amount = driver.find_element(By.CSS_SELECTOR, "#breakdown button.sort[data-sort=amount]")
    page.tab_to(lambda e: e.get_attribute("data-sort") == "amount")
    assert page.focus_ring_visible()
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait_for(driver, lambda d: [r["amount"] for r in holdings(d)] == ["1,500", "250", "2", "0.5"],
             "sorted by amount, largest first")
    assert amount.find_element(By.XPATH, "..").get_attribute("aria-sort") == "descending"

    box = driver.find_element(By.ID, "holdings-filter")
    box.send_keys("polygon")
    wait_for(driver, lambda d: names(d) == [("USDC", ("Polygon",))], "only the Polygon holding")
    box.clear()
    box.send_keys("so")
    wait_for(driver, lambda d: names(d) == [("SOL", ("Solana",))], "only SOL")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(world.usdc[-6:].lower())  # both devchains made their USDC at one address
    wait_for(driver, lambda d: sorted(names(d)) == [("USDC", ("Ethereum",)), ("USDC", ("Polygon",))],
             "the holdings found by their contract")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("nothing like it")
    wait_for(driver, lambda d: names(d) == [], "no holdings")
    assert "No holdings match" in driver.find_element(By.ID, "holdings-hidden").text
    page.screenshot("everyday-03-filtered")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    wait_for(driver, lambda d: len(holdings(d)) == 4, "every holding again")
    # The group switch by keyboard alone.
    switch = page.tab_to(lambda e: e.get_attribute("id") == "holdings-group")
    assert page.focus_ring_visible()
    switch.send_keys(Keys.SPACE)
    wait_for(driver, lambda d: [n for n, _ in names(d)].count("USDC") == 1, "USDC grouped by keyboard")
    assert_no_script_errors(driver)


def test_dust_is_hidden_below_the_kept_threshold(driver, world):
    page = open_page(driver, world)
    assert "DUST" not in [n for n, _ in names(driver)]
    # DUST's $0.50, and Polygon's native coin, which the wallet does not hold.
    assert "2 zero or dust holdings hidden" in driver.find_element(By.ID, "holdings-hidden").text
    switch = driver.find_element(By.ID, "holdings-hide-dust")
    assert switch.is_selected()
    driver.find_element(By.CSS_SELECTOR, "label[for=holdings-hide-dust]").click()
    wait_for(driver, lambda d: "DUST" in [n for n, _ in names(d)], "the dust holding shown")
    dust = next(r for r in holdings(driver) if r["asset"] == "DUST")
    assert dust["usd"] == "$0.50"
    driver.find_element(By.CSS_SELECTOR, "label[for=holdings-hide-dust]").click()
    wait_for(driver, lambda d: "DUST" not in [n for n, _ in names(d)], "the dust hidden again")
    # A lower threshold in the settings shows it; a higher one hides SOL too; the setting is kept.
    driver.find_element(By.CSS_SELECTOR, ".dust-settings summary").click()
    threshold = driver.find_element(By.ID, "dust-threshold")
    assert threshold.get_attribute("value") == "1"
    threshold.clear()
    threshold.send_keys("0.25")
    wait_for(driver, lambda d: "DUST" in [n for n, _ in names(d)], "$0.50 above a $0.25 threshold")
    threshold.clear()
    threshold.send_keys("100")
    wait_for(driver, lambda d: [n for n, _ in names(d)] == ["ETH", "USDC", "USDC"], "SOL's $50 hidden under $100")
    page.screenshot("everyday-04-dust-threshold")
    driver.refresh()
    wait_for(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-loaded") == "true", "reload")
    wait_for(driver, lambda d: [n for n, _ in names(d)] == ["ETH", "USDC", "USDC"], "the threshold kept over a reload")
    assert driver.find_element(By.ID, "dust-threshold").get_attribute("value") == "100"
    assert driver.execute_script("return localStorage.getItem('portfolio-dust-usd')") == "100"
    assert_no_script_errors(driver)


def test_allocation_per_asset_and_per_chain(driver, world):
    open_page(driver, world)
    wait_for(driver, lambda d: d.find_element(By.ID, "allocation").is_displayed(), "the allocation")

    def bars(list_id):
        return {
            item.find_element(By.CLASS_NAME, "allocation-name").text: (
                item.find_element(By.CLASS_NAME, "allocation-share").text,
                float(item.find_element(By.CSS_SELECTOR, "rect.bar-fill").get_attribute("width")))
            for item in driver.find_elements(By.CSS_SELECTOR, f"#{list_id} li")
        }
    # $5,800.50 in all: ETH $4,000 (69.0%), USDC $1,750 over two chains (30.2%), SOL $50 (0.9%).
    assets = bars("allocation-assets")
    assert assets["ETH"][0] == "69.0%" and assets["USDC"][0] == "30.2%" and assets["SOL"][0] == "0.9%", assets
    assert abs(assets["ETH"][1] - 68.96) < 0.1
    chains = bars("allocation-chains")
    # Ethereum $5,500.50 (94.8%), Polygon $250 (4.3%), Solana $50 (0.9%).
    assert {k: v[0] for k, v in chains.items()} == {"Ethereum": "94.8%", "Polygon": "4.3%", "Solana": "0.9%"}
    assert list(chains) == ["Ethereum", "Polygon", "Solana"]


def downloaded(folder: Path, prefix: str, timeout: float = 30) -> Path:
    deadline = time.time() + timeout
    while time.time() < deadline:
        done = [p for p in folder.iterdir() if p.name.startswith(prefix) and not p.name.endswith(".crdownload")]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {prefix}* download in {timeout} s: {list(folder.iterdir())}")


def new_download(folder: Path, action, timeout: float = 30) -> Path:
    """The file that `action()` makes the browser download into `folder`."""
    before = set(folder.iterdir())
    action()
    deadline = time.time() + timeout
    while time.time() < deadline:
        new = [p for p in set(folder.iterdir()) - before if not p.name.endswith(".crdownload")]
        if new:
            return new[0]
        time.sleep(0.2)
    raise AssertionError(f"no new download in {timeout} s: {list(folder.iterdir())}")


def test_csv_exports_download_the_servers_files(driver, world, downloads):
    open_page(driver, world)
    driver.find_element(By.ID, "export-holdings").click()
    holdings_file = downloaded(downloads, "holdings-")
    assert holdings_file.suffix == ".csv"
    rows = list(csv.DictReader(io.StringIO(holdings_file.read_text())))
    usdc = sorted((r["chain"], r["usd"]) for r in rows if r["asset"] == "USDC")
    assert usdc == [("ethereum", "1500.00"), ("polygon", "250.00")], rows

    driver.find_element(By.ID, "export-wallets").click()
    wallets_file = downloaded(downloads, "wallets")
    wallets = list(csv.DictReader(io.StringIO(wallets_file.read_text())))
    assert {w["label"] for w in wallets} >= {"main", "main on polygon", "sol"}

    history_file = new_download(downloads, lambda: driver.find_element(By.ID, "export-history").click())
    history = list(csv.DictReader(io.StringIO(history_file.read_text())))
    assert history and {"time", "usd"} <= set(history[0]), history[:2]

    changes_file = new_download(downloads, row_for(driver, "main").find_element(By.CLASS_NAME, "export-history").click)
    changes = list(csv.DictReader(io.StringIO(changes_file.read_text())))
    assert any(c["asset"] == "USDC" and c["new"] == "1500" for c in changes), changes
    assert_no_script_errors(driver)


def test_add_a_wallet_with_the_chain_guessed(driver, world):
    page = open_page(driver, world)
    chain = Select(driver.find_element(By.ID, "wallet-chain"))
    # The menu holds the server's chains, not a fixed list.
    assert sorted(o.get_attribute("value") for o in chain.options) == ["ethereum", "polygon", "solana"]
    address = driver.find_element(By.ID, "wallet-address")
    address.send_keys(SOLANA_ADDRESS)
    wait_for(driver, lambda d: Select(d.find_element(By.ID, "wallet-chain")).first_selected_option.get_attribute("value")
             == "solana", "Solana guessed from a base58 address")
    assert "Solana" in driver.find_element(By.ID, "wallet-chain-guess").text
    address.clear()
    evm = random_evm_address()
    address.send_keys(evm)
    wait_for(driver, lambda d: chain.first_selected_option.get_attribute("value") == "ethereum",
             "Ethereum guessed from a 0x address")
    # An EVM chain picked by hand stays picked for an EVM address.
    chain.select_by_value("polygon")
    address.clear()
    address.send_keys(evm)
    assert chain.first_selected_option.get_attribute("value") == "polygon"
    driver.find_element(By.ID, "wallet-label").send_keys("guessed")
    driver.find_element(By.CSS_SELECTOR, "#add-wallet button[type=submit]").click()
    wait_for(driver, lambda d: row_for(d, "guessed") is not None, "the new wallet's row")
    assert row_for(driver, "guessed").find_element(By.CLASS_NAME, "chain").text == "Polygon"
    page.screenshot("everyday-05-wallet-added")

    # A Solana address typed into the form lands on Solana without touching the menu.
    address.send_keys(SOLANA_ADDRESS)
    driver.find_element(By.ID, "wallet-label").send_keys("guessed sol")
    driver.find_element(By.CSS_SELECTOR, "#add-wallet button[type=submit]").click()
    wait_for(driver, lambda d: row_for(d, "guessed sol") is not None, "the Solana wallet's row")
    assert row_for(driver, "guessed sol").find_element(By.CLASS_NAME, "chain").text == "Solana"
    listed = requests.get(world.server.url("/api/v1/wallets"), params={"limit": 500}, timeout=10).json()["wallets"]
    assert {(w["chain"], w["label"]) for w in listed} >= {("polygon", "guessed"), ("solana", "guessed sol")}
    for w in listed:
        if w["label"] in ("guessed", "guessed sol"):
            requests.delete(world.server.url(f"/api/v1/wallets/{w['id']}"), timeout=10)
    assert_no_script_errors(driver)


def test_rename_inline_and_remove_with_confirmation(driver, world):
    wallet = requests.post(world.server.url("/api/v1/wallets"),
                           json={"chain": "ethereum", "address": random_evm_address(), "label": "old name"},
                           timeout=10).json()
    open_page(driver, world)
    wait_for(driver, lambda d: row_for(d, "old name") is not None, "the wallet's row")
    row_for(driver, "old name").find_element(By.CLASS_NAME, "rename").click()
    field = driver.switch_to.active_element
    assert field.tag_name == "input" and field.get_attribute("value") == "old name"
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("new name", Keys.ENTER)
    wait_for(driver, lambda d: row_for(d, "new name") is not None, "the new label shown")
    stored = requests.get(world.server.url(f"/api/v1/wallets/{wallet['id']}"), timeout=10).json()
    assert stored["label"] == "new name"

    row_for(driver, "new name").find_element(By.CLASS_NAME, "delete").click()
    confirm = row_for(driver, "new name").find_element(By.CLASS_NAME, "confirm")
    assert "Stop tracking new name?" in confirm.text
    # Cancel keeps it; confirming removes it.
    confirm.find_element(By.XPATH, ".//button[text()='Cancel']").click()
    assert requests.get(world.server.url(f"/api/v1/wallets/{wallet['id']}"), timeout=10).status_code == 200
    row_for(driver, "new name").find_element(By.CLASS_NAME, "delete").click()
    row_for(driver, "new name").find_element(By.CSS_SELECTOR, ".confirm button.danger").click()
    wait_for(driver, lambda d: row_for(d, "new name") is None, "the row gone")
    assert requests.get(world.server.url(f"/api/v1/wallets/{wallet['id']}"), timeout=10).status_code == 404
    assert_no_script_errors(driver)


def test_import_pasted_lines_and_a_file_shows_each_rows_result(driver, world, tmp_path):
    page = open_page(driver, world)
    first = random_evm_address()
    driver.find_element(By.CSS_SELECTOR, "#import-wallets summary").click()
    driver.find_element(By.ID, "import-text").send_keys(
        f"{first}, imported one\n"
        f"solana, {SOLANA_ADDRESS}, imported sol\n"
        "0x1234, broken\n"
        f"{MAIN}, already there\n")
    driver.find_element(By.CSS_SELECTOR, "#import-form button[type=submit]").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "import-results").is_displayed(), "the import's results")
    rows = [(r.find_element(By.TAG_NAME, "th").text, r.get_attribute("data-status"),
             r.find_element(By.CLASS_NAME, "import-detail").text)
            for r in driver.find_elements(By.CSS_SELECTOR, "#import-results tbody tr")]
    assert [(n, s) for n, s, _ in rows] == [("1", "created"), ("2", "created"), ("3", "invalid"), ("4", "exists")], rows
    assert rows[0][2] == "imported one on Ethereum" and rows[1][2] == "imported sol on Solana"
    assert rows[2][2].startswith("address: Invalid ethereum address"), rows[2]
    assert "2 created, 1 already tracked, 1 invalid" in driver.find_element(By.ID, "import-status").text
    wait_for(driver, lambda d: row_for(d, "imported one") is not None and row_for(d, "imported sol") is not None,
             "the imported wallets in the table")
    page.screenshot("everyday-06-import-results")

    # A CSV file goes as is: its header names the columns.
    from_file = random_evm_address()
    sheet = tmp_path / "wallets.csv"
    sheet.write_text(f"label,address,chain\nimported from file,{from_file},polygon\n")
    driver.find_element(By.ID, "import-file").send_keys(str(sheet))
    driver.find_element(By.CSS_SELECTOR, "#import-form button[type=submit]").click()
    wait_for(driver, lambda d: "1 created, 0 already tracked, 0 invalid" in d.find_element(By.ID, "import-status").text,
             "the file's import")
    detail = driver.find_element(By.CSS_SELECTOR, "#import-results tbody tr .import-detail").text
    assert detail == "imported from file on Polygon"
    wait_for(driver, lambda d: row_for(d, "imported from file") is not None, "the wallet from the file in the table")
    for w in requests.get(world.server.url("/api/v1/wallets"), params={"limit": 500}, timeout=10).json()["wallets"]:
        if (w["label"] or "").startswith("imported"):
            requests.delete(world.server.url(f"/api/v1/wallets/{w['id']}"), timeout=10)
    assert_no_script_errors(driver)


def phone(driver, scheme="light"):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 360, "height": 780, "deviceScaleFactor": 2, "mobile": True})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"features": [{"name": "prefers-color-scheme", "value": scheme}]})


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_width_fits_and_touch_targets_are_large(driver, world, scheme):
    phone(driver, scheme)
    page = open_page(driver, world)
    driver.find_element(By.CSS_SELECTOR, "#import-wallets summary").click()
    driver.find_element(By.CSS_SELECTOR, ".dust-settings summary").click()
    assert driver.execute_script("return innerWidth") == 360
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 360, f"horizontal scrolling at 360 px: scrollWidth {width}"
    small = driver.execute_script("""
        const selector = 'button.sort, button.export, .copy-token, .contract a.explorer-link, .wallet-table a.explorer-link,'
          + ' .wallet-table button, #holdings-filter, #import-wallets summary, .dust-settings summary,'
          + ' #import-form button, #import-text, #dust-threshold';
        return [...document.querySelectorAll(selector)].filter((e) => e.checkVisibility())
          .map((e) => [e.className || e.id || e.tagName, e.getBoundingClientRect()])
          .filter(([, r]) => r.height < 44 || r.width < 44).map(([n, r]) => `${n}: ${r.width}x${r.height}`);""")
    assert not small, f"touch targets under 44 px: {small}"
    count = driver.execute_script(
        "return document.querySelectorAll('button.sort, button.export, .copy-token, a.explorer-link').length")
    assert count >= 10
    page.screenshot(f"everyday-07-phone-{scheme}")
    if scheme == "dark":
        background = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
        assert Page.luminance(background) < 0.1, background
    page.wait_flashes_done()
    assert_contrast(driver)
    assert_no_script_errors(driver)


def serious_violations(driver) -> list[str]:
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width,scheme", [(1280, "light"), (360, "light"), (1280, "dark")])
def test_axe_finds_no_serious_violation(driver, world, width, scheme):
    if width == 360:
        phone(driver, scheme)
    else:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                               {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    page = open_page(driver, world)
    driver.find_element(By.CSS_SELECTOR, "#import-wallets summary").click()
    driver.find_element(By.CSS_SELECTOR, ".dust-settings summary").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "allocation").is_displayed(), "the allocation")
    page.wait_flashes_done()
    found = serious_violations(driver)
    assert not found, "\n".join(found)


def test_history_starts_when_tracking_began_and_has_a_year(driver, world):
    # The server answers every bucket of a range, zeros before the first wallet was read.
    now = time.time()
    answer = requests.get(world.server.url("/api/v1/portfolio/history"),
                          params={"from": int(now - 7 * 86400), "to": int(now), "interval": "hour"}, timeout=10).json()
    assert answer["totals"][0]["usd"] in ("0.00", "0"), answer["totals"][:2]
    open_page(driver, world)
    wait_for(driver, lambda d: d.find_element(By.ID, "history").get_attribute("data-series") == "usd",
             "the USD history")
    for value in ("7d", "30d", "1y", "all", "24h"):
        driver.find_element(By.CSS_SELECTOR, f"label[for=range-{value}]").click()
        wait_for(driver, lambda d: d.find_element(By.ID, "history-summary").text.startswith("Portfolio value (USD)")
                 and "$0.00" not in d.find_element(By.ID, "history-summary").text.split(" to ")[0],
                 f"the {value} history starting at a held value, not at zero")
        # The table's first row is at or after the first wallet's creation (within a bucket).
        first = driver.find_element(By.CSS_SELECTOR, "#history-table tbody tr td").get_attribute("textContent")
        assert first != "$0.00", value
    driver.find_element(By.CSS_SELECTOR, "label[for=range-1y]").click()
    wait_for(driver, lambda d: "the last year" in d.find_element(By.ID, "history-summary").text, "the 1y range")


def test_screenshot_for_the_readme(driver, world):
    page = open_page(driver, world)
    wait_for(driver, lambda d: d.find_element(By.ID, "allocation").is_displayed(), "the allocation")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#chart svg path.line"), "the chart")
    page.wait_flashes_done()
    assert driver.execute_script("return innerWidth") == 1280
    page.screenshot("everyday-00-dashboard")
    # The README's picture: the page 1280 px wide, its first 1,600 px.
    height = min(1600, driver.execute_script("return document.documentElement.scrollHeight"))
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1}})
    target = REPO_ROOT / "docs" / "dashboard.png"
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(base64.b64decode(shot["data"]))
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(data[16:20], "big") == 1280
