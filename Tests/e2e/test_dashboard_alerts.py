"""The dashboard's alerts panel, the webhook log's "Resend from here" and the service worker's
renewal of a push subscription, in headless Chromium against the real server and devchain.

Rules are made through the form and checked in GET /api/v1/alerts; they fire from real balance
changes on devchain (read at once with POST …/fetch, as test_alerts.py does) and show in the
page from the stream's `alert` frames. A resend is checked at a real receiving HTTP server: the
events come again under their first `webhook-id`, signed with the webhook's secret.

Headless Chromium reaches no push service and never fires `pushsubscriptionchange` by itself,
so those tests dispatch the event in the service worker over DevTools and stand in for the
browser's push manager (its `subscribe` in the worker, its `getSubscription` in the page); the
worker's and the page's own code run unchanged, against the real server.
"""

from __future__ import annotations

import base64
import json
import os
import time

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from websockets.sync.client import connect

from conftest import random_evm_address
from dashboard_browser import Page, assert_contrast, assert_no_script_errors, browser_driver, wait_for
from test_chains import chain_environment, devchain  # noqa: F401  (devchain is a fixture)
from test_dashboard_auth import (
    ALICE_WALLET, axe_violations, bearer, open_signed_out, sign_in, start_auth_server, wait_dashboard,
)
from test_dashboard_notifications import signature_ok, state_of, wait_webhooks_loaded
from test_webhooks import Receiver

ETH = 10**18
# What the page's controls must measure at least, at phone width (WCAG 2.5.5's 44 CSS px).
TOUCH_PX = 44


@pytest.fixture
def driver():
    chrome = browser_driver()
    yield chrome
    chrome.quit()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def start_server(server_factory, devchain):
    """Prices fixed at $1,000 an ETH; balances are read when a test asks (POST …/fetch)."""
    return server_factory.start(env=chain_environment(
        devchain, ETHEREUM_POLL_INTERVAL="60", NOTIFICATIONS_ALLOW_PRIVATE_TARGETS="true",
        NOTIFICATIONS_RETRY_INITIAL="0.2", NOTIFICATIONS_RETRY_MAX_INTERVAL="0.5",
        PRICES_SOURCES="fixed", PRICES_FIXED="ethereum:native=1000"))


def add_wallet(server, devchain, label: str, eth: float) -> tuple[str, str]:
    """A wallet holding `eth`, read once: (its address, its id)."""
    address = random_evm_address()
    devchain.control("balance", {"chain": "ethereum", "address": address, "token": None, "amount": str(int(eth * ETH))})
    made = requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": address, "label": label},
                         timeout=10)
    assert made.status_code == 201, made.text
    wallet = made.json()["id"]
    assert requests.post(server.url(f"/api/v1/wallets/{wallet}/fetch"), timeout=10).status_code == 200
    return address, wallet


def set_eth(server, devchain, address: str, wallet: str, eth: float) -> None:
    devchain.control("balance", {"chain": "ethereum", "address": address, "token": None, "amount": str(int(eth * ETH))})
    assert requests.post(server.url(f"/api/v1/wallets/{wallet}/fetch"), timeout=10).status_code == 200


def rules_of(server, headers=None) -> list[dict]:
    answer = requests.get(server.url("/api/v1/alerts"), headers=headers or {}, timeout=5)
    assert answer.status_code == 200, answer.text
    return answer.json()["alerts"]


def wait_alerts_loaded(driver) -> None:
    wait_for(driver, lambda d: d.find_element(By.ID, "alerts").get_attribute("data-loaded") == "true",
             "the alert rules to be read")


def rule_item(driver, title: str):
    for item in driver.find_elements(By.CSS_SELECTOR, "#alert-list > li"):
        if item.find_element(By.CLASS_NAME, "rule-title").text == title:
            return item
    return None


def rule_titles(driver) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#alert-list > li .rule-title")]


def fired_titles(driver) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#fired-list > li .fired-title")]


def fill_rule(driver, kind: str, *, wallet: str = "", asset: str | None = None, threshold: str | None = None,
              percent: bool | None = None, direction: str | None = None, name: str | None = None) -> None:
    """Fills the add-alert form as a person would (only the fields the kind shows) and sends it."""
    Select(driver.find_element(By.ID, "alert-kind")).select_by_value(kind)
    Select(driver.find_element(By.ID, "alert-wallet")).select_by_value(wallet)
    if asset is not None:
        field = driver.find_element(By.ID, "alert-asset")
        field.clear()
        field.send_keys(asset)
    if percent is not None:
        driver.find_element(By.CSS_SELECTOR, f"label[for=alert-by-{'percent' if percent else 'amount'}]").click()
    if threshold is not None:
        field = driver.find_element(By.ID, "alert-threshold")
        field.clear()
        field.send_keys(threshold)
    if direction is not None:
        driver.find_element(By.CSS_SELECTOR, f"label[for=alert-direction-{direction}]").click()
    if name is not None:
        field = driver.find_element(By.ID, "alert-name")
        field.clear()
        field.send_keys(name)
    driver.find_element(By.CSS_SELECTOR, "#add-alert button[type=submit]").click()


def form_status(driver) -> str:
    return driver.find_element(By.ID, "alert-form-status").text


def add_rule(driver, title: str, kind: str, **fields) -> object:
    """Adds a rule through the form; answers its list item once the page shows it."""
    before = form_status(driver)
    fill_rule(driver, kind, **fields)
    wait_for(driver, lambda d: form_status(d) != before and form_status(d) == f"Added {title}.",
             f"the rule {title} to be added")
    return wait_for(driver, lambda d: rule_item(d, title), f"{title} in the list")


def problem_of(server, body: dict) -> dict:
    answer = requests.post(server.url("/api/v1/alerts"), json=body, timeout=5)
    assert answer.status_code == 400, answer.text
    return answer.json()


def small_targets(driver, selector: str) -> list[str]:
    """The visible controls matching `selector` under TOUCH_PX in either direction."""
    return driver.execute_script("""
        return [...document.querySelectorAll(arguments[0])].filter((e) => e.checkVisibility())
          .map((e) => [e, e.getBoundingClientRect()])
          .filter(([, r]) => r.height < arguments[1] || r.width < arguments[1])
          .map(([e, r]) => `${e.tagName}.${e.className} "${e.textContent.trim().slice(0, 20)}" ${r.width}x${r.height}`);""",
                                 selector, TOUCH_PX)


def no_horizontal_scroll(driver) -> None:
    widths = driver.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"horizontal scrolling: {widths}"


# --- rules ----------------------------------------------------------------------------------------

def test_each_kind_of_rule_is_made_in_the_form_listed_and_kept_by_the_server(driver, server_factory, devchain):
    server = start_server(server_factory, devchain)
    _, main = add_wallet(server, devchain, "main", 1)
    page = Page(driver, server)
    page.open()
    wait_alerts_loaded(driver)
    assert driver.find_element(By.ID, "alerts-empty").is_displayed()
    assert not driver.find_element(By.ID, "alerts-read-only-note").is_displayed()
    wait_for(driver, lambda d: "main (Ethereum)" in d.find_element(By.ID, "alert-wallet").text, "main in the menu")

    # The form shows the fields of the chosen kind only.
    kind = Select(driver.find_element(By.ID, "alert-kind"))
    wallet_menu = Select(driver.find_element(By.ID, "alert-wallet"))
    threshold = driver.find_element(By.ID, "alert-threshold")
    kind.select_by_value("value_above")
    assert driver.find_element(By.ID, "alert-threshold-label").text == "Level in USD"
    assert not driver.find_element(By.ID, "alert-asset").is_displayed()
    assert not driver.find_element(By.ID, "alert-direction-any").is_displayed()
    assert wallet_menu.options[0].text == "The whole portfolio"
    kind.select_by_value("activity")
    assert not threshold.is_displayed() and driver.find_element(By.ID, "alert-direction-any").is_displayed()
    assert wallet_menu.options[0].text == "Any wallet"
    kind.select_by_value("balance_change")
    assert driver.find_element(By.ID, "alert-asset").is_displayed() and threshold.is_displayed()
    driver.find_element(By.CSS_SELECTOR, "label[for=alert-by-percent]").click()
    assert driver.find_element(By.ID, "alert-threshold-label").text == "Percent"

    over = add_rule(driver, "Over 1.5k", "value_above", threshold="1500", name="Over 1.5k")
    assert over.find_element(By.CLASS_NAME, "rule-what").text == "Portfolio value above $1,500"
    assert over.find_element(By.CLASS_NAME, "rule-state").text == "Enabled"
    below = add_rule(driver, "Value below a level", "value_below", wallet=main, threshold="500")
    assert below.find_element(By.CLASS_NAME, "rule-what").text == "Value of main below $500"
    share = add_rule(driver, "Balance move", "balance_change", asset="ETH", percent=True, threshold="50")
    assert share.find_element(By.CLASS_NAME, "rule-what").text == "ETH in any wallet moves by 50% or more"
    amount = add_rule(driver, "Quarter ETH", "balance_change", wallet=main, asset="ETH", percent=False,
                      threshold="0.25", name="Quarter ETH")
    assert amount.find_element(By.CLASS_NAME, "rule-what").text == "ETH in main moves by 0.25 ETH or more"
    deposits = add_rule(driver, "Deposits", "activity", wallet=main, direction="incoming", name="Deposits")
    assert deposits.find_element(By.CLASS_NAME, "rule-what").text == "Anything received by main"
    # The form keeps the kind and the wallet, and empties what was typed.
    assert threshold.get_attribute("value") == "" and driver.find_element(By.ID, "alert-name").get_attribute("value") == ""

    kept = [(r["kind"], r["name"], r["wallet_id"], r["asset"], r["threshold"], r["percent"], r["direction"], r["enabled"])
            for r in rules_of(server)]
    assert sorted(kept, key=str) == sorted([
        ("value_above", "Over 1.5k", None, None, "1500", False, None, True),
        ("value_below", None, main, None, "500", False, None, True),
        ("balance_change", None, None, "ETH", "50", True, None, True),
        ("balance_change", "Quarter ETH", main, "ETH", "0.25", False, None, True),
        ("activity", "Deposits", main, None, None, False, "incoming", True),
    ], key=str)
    assert rule_titles(driver) == ["Over 1.5k", "Value below a level", "Balance move", "Quarter ETH", "Deposits"]
    assert not driver.find_element(By.ID, "alerts-empty").is_displayed()
    page.screenshot("alerts-01-rules")

    # Disable, then enable again: the server and the page agree.
    deposits_id = next(r["id"] for r in rules_of(server) if r["name"] == "Deposits")
    toggle = deposits.find_element(By.CLASS_NAME, "rule-toggle")
    assert toggle.text == "Disable" and toggle.get_attribute("aria-label") == "Disable Deposits"
    toggle.click()
    wait_for(driver, lambda d: deposits.find_element(By.CLASS_NAME, "rule-state").text == "Disabled", "disabled")
    assert requests.get(server.url(f"/api/v1/alerts/{deposits_id}"), timeout=5).json()["enabled"] is False
    assert deposits.get_attribute("data-enabled") == "false"
    assert driver.switch_to.active_element == toggle
    toggle.click()
    wait_for(driver, lambda d: deposits.find_element(By.CLASS_NAME, "rule-state").text == "Enabled", "enabled again")
    assert requests.get(server.url(f"/api/v1/alerts/{deposits_id}"), timeout=5).json()["enabled"] is True

    # Delete asks first: Cancel (or Escape) keeps the rule, Delete removes it.
    deposits.find_element(By.CLASS_NAME, "rule-delete").click()
    confirm = deposits.find_element(By.CLASS_NAME, "confirm")
    assert confirm.text.startswith("Delete Deposits?")
    assert not deposits.find_element(By.CLASS_NAME, "rule-actions").is_displayed()
    assert driver.switch_to.active_element == confirm.find_element(By.CLASS_NAME, "confirm-delete")
    confirm.find_element(By.CLASS_NAME, "confirm-cancel").click()
    assert not deposits.find_elements(By.CLASS_NAME, "confirm")
    assert driver.switch_to.active_element == deposits.find_element(By.CLASS_NAME, "rule-delete")
    assert len(rules_of(server)) == 5
    deposits.find_element(By.CLASS_NAME, "rule-delete").click()
    deposits.find_element(By.CLASS_NAME, "confirm-delete").click()
    wait_for(driver, lambda d: rule_item(d, "Deposits") is None, "the rule to go")
    assert deposits_id not in [r["id"] for r in rules_of(server)]
    assert requests.get(server.url(f"/api/v1/alerts/{deposits_id}"), timeout=5).status_code == 404
    assert driver.switch_to.active_element.get_attribute("id") == "alerts-title"
    found = axe_violations(driver)
    assert found == [], "\n".join(found)
    assert_contrast(driver)
    assert_no_script_errors(driver)


def test_a_bad_rule_is_refused_at_the_field_the_server_names(driver, server_factory, devchain):
    server = start_server(server_factory, devchain)
    page = Page(driver, server)
    page.open()
    wait_alerts_loaded(driver)
    threshold = driver.find_element(By.ID, "alert-threshold")
    error = driver.find_element(By.ID, "alert-threshold-error")

    for level in ("-5", "1e9", "12.5.1"):
        expected = problem_of(server, {"kind": "value_above", "threshold": level})
        assert expected["field"] == "threshold"
        fill_rule(driver, "value_above", threshold=level)
        wait_for(driver, lambda d: error.text != "", f"the refusal of {level} by the level")
        assert error.text == expected["detail"], level
        assert threshold.get_attribute("aria-invalid") == "true"
        assert "alert-threshold-error" in threshold.get_attribute("aria-describedby")
        assert driver.switch_to.active_element == threshold
        assert form_status(driver) == ""
        # Typing again clears it.
        threshold.send_keys("0")
        assert error.text == "" and threshold.get_attribute("aria-invalid") is None

    # A balance rule without its asset: said by the asset field, in the server's words.
    expected = problem_of(server, {"kind": "balance_change", "threshold": "1", "percent": False})
    assert expected["field"] == "asset"
    fill_rule(driver, "balance_change", asset="", percent=False, threshold="1")
    asset_error = driver.find_element(By.ID, "alert-asset-error")
    wait_for(driver, lambda d: asset_error.text != "", "the refusal by the asset field")
    assert asset_error.text == expected["detail"]
    assert driver.switch_to.active_element == driver.find_element(By.ID, "alert-asset")
    assert rules_of(server) == []
    assert list(driver.find_elements(By.CSS_SELECTOR, "#alert-list > li")) == []
    page.screenshot("alerts-02-refused")
    assert_no_script_errors(driver)


def test_a_rule_that_fires_shows_in_the_fired_list(driver, server_factory, devchain):
    server = start_server(server_factory, devchain)
    address, main = add_wallet(server, devchain, "main", 1)  # $1,000
    page = Page(driver, server)
    page.open()
    wait_alerts_loaded(driver)
    assert driver.find_element(By.ID, "fired-empty").is_displayed()
    over = add_rule(driver, "Over 1.5k", "value_above", threshold="1500", name="Over 1.5k")
    incoming = add_rule(driver, "Incoming", "activity", direction="incoming", name="Incoming")

    set_eth(server, devchain, address, main, 1.2)  # received; $1,200 only teaches the value rule its side
    wait_for(driver, lambda d: fired_titles(d) == ["ETH received"], "the activity alert")
    assert not driver.find_element(By.ID, "fired-empty").is_displayed()
    assert incoming.find_element(By.CLASS_NAME, "rule-fired").text.startswith("Last fired ")
    assert not over.find_element(By.CLASS_NAME, "rule-fired").is_displayed()

    set_eth(server, devchain, address, main, 2)  # $2,000: crosses above, and received again
    wait_for(driver, lambda d: len(fired_titles(d)) == 3, "two more alerts")
    assert fired_titles(driver) == ["Over 1.5k above $1500", "ETH received", "ETH received"]
    newest = driver.find_element(By.CSS_SELECTOR, "#fired-list > li")
    assert newest.find_element(By.CLASS_NAME, "fired-message").text == "Over 1.5k is worth $2000, above $1500."
    assert newest.find_element(By.CLASS_NAME, "fired-rule").text == "Rule: Over 1.5k"
    assert newest.find_element(By.TAG_NAME, "time").get_attribute("datetime")
    assert over.find_element(By.CLASS_NAME, "rule-fired").text.startswith("Last fired ")

    # A disabled rule fires no more; the other still does once per crossing.
    incoming.find_element(By.CLASS_NAME, "rule-toggle").click()
    wait_for(driver, lambda d: incoming.find_element(By.CLASS_NAME, "rule-state").text == "Disabled", "disabled")
    set_eth(server, devchain, address, main, 1)  # back below: re-armed
    set_eth(server, devchain, address, main, 1.6)  # received, and above again
    wait_for(driver, lambda d: len(fired_titles(d)) == 4, "the second crossing")
    # The activity alert would have come first, in the same commit: it did not.
    assert fired_titles(driver) == ["Over 1.5k above $1500", "Over 1.5k above $1500", "ETH received", "ETH received"]
    page.screenshot("alerts-03-fired")
    # A new page reads the fired alerts back from the server, and each rule's last firing.
    driver.refresh()
    wait_for(driver, lambda d: len(fired_titles(d)) == 4, "the fired alerts after a reload")
    assert fired_titles(driver) == ["Over 1.5k above $1500", "Over 1.5k above $1500", "ETH received", "ETH received"]
    wait_for(driver, lambda d: all(e.text.startswith("Last fired ") for e in
                                   d.find_elements(By.CSS_SELECTOR, "#alert-list .rule-fired")), "last fired")
    found = axe_violations(driver)
    assert found == [], "\n".join(found)
    assert_no_script_errors(driver)


# --- the webhook log's resend ---------------------------------------------------------------------

def log_rows(item) -> list:
    return item.find_elements(By.CSS_SELECTOR, ".hook-log tbody tr")


def test_resend_from_the_log_sends_the_events_again_under_their_ids(driver, server_factory, devchain, receiver):
    server = start_server(server_factory, devchain)
    hook = requests.post(server.url("/api/v1/webhooks"), timeout=10, json={
        "url": receiver.url, "description": "ci receiver", "event_types": ["wallet.added", "balance.changed"]}).json()
    add_wallet(server, devchain, "main", 1)
    first = receiver.wait_for(2)
    first_ids = [m["headers"]["webhook-id"] for m in first]
    first_types = [json.loads(m["body"])["type"] for m in first]
    assert first_types == ["wallet.added", "balance.changed"]

    page = Page(driver, server)
    page.open()
    wait_webhooks_loaded(driver)
    item = driver.find_element(By.CSS_SELECTOR, "#webhook-list > li")
    item.find_element(By.CSS_SELECTOR, ".hook-log summary").click()
    wait_for(driver, lambda d: len(log_rows(item)) == 2, "the two attempts in the log")
    oldest = log_rows(item)[-1]
    assert "Wallet added" in oldest.text
    seq = int(oldest.get_attribute("data-seq"))
    logged = requests.get(server.url(f"/api/v1/webhooks/{hook['id']}/deliveries"), timeout=5).json()["deliveries"]
    assert [d["seq"] for d in logged][-1] == seq and logged[-1]["event_type"] == "wallet.added"
    button = oldest.find_element(By.CLASS_NAME, "resend")
    assert button.text == "Resend from here" and button.get_attribute("aria-label") == f"Resend from event #{seq} on"

    # It asks first; Cancel sends nothing and gives focus back.
    button.click()
    confirm = item.find_element(By.CLASS_NAME, "resend-confirm")
    assert f"#{seq} (Wallet added)" in confirm.text and "ci receiver" in confirm.text
    assert driver.switch_to.active_element == confirm.find_element(By.CLASS_NAME, "confirm-resend")
    confirm.find_element(By.CLASS_NAME, "confirm-cancel").click()
    assert not item.find_elements(By.CLASS_NAME, "resend-confirm")
    assert driver.switch_to.active_element.get_attribute("data-seq") == str(seq)
    time.sleep(1)
    assert len(receiver.accepted()) == 2, "a cancelled resend sent something"

    log_rows(item)[-1].find_element(By.CLASS_NAME, "resend").click()
    item.find_element(By.CLASS_NAME, "confirm-resend").click()
    status = item.find_element(By.CLASS_NAME, "resend-status")
    wait_for(driver, lambda d: status.text.startswith(f"Resending from #{seq}"), "the resend's status")
    assert status.get_attribute("role") == "status"
    again = receiver.wait_for(4)[2:]
    assert [m["headers"]["webhook-id"] for m in again] == first_ids
    assert [json.loads(m["body"])["type"] for m in again] == first_types
    assert all(signature_ok(m, hook["secret"]) for m in again)
    # The log shows the new attempts by itself, and the webhook is where it was.
    wait_for(driver, lambda d: len(log_rows(item)) == 4, "the new attempts in the log")
    state = requests.get(server.url(f"/api/v1/webhooks/{hook['id']}"), timeout=5).json()
    assert state["enabled"] and state["last_seq"] >= seq
    time.sleep(1)
    assert len(receiver.accepted()) == 4, "events were sent more than once again"
    page.screenshot("alerts-04-resent")
    found = axe_violations(driver)
    assert found == [], "\n".join(found)
    assert_no_script_errors(driver)


# --- read-only tokens -----------------------------------------------------------------------------

def test_a_read_token_sees_rules_but_cannot_change_them_or_resend(driver, server_factory, devchain, receiver):
    devchain.control("balance", {"chain": "ethereum", "address": ALICE_WALLET, "token": None, "amount": str(ETH)})
    auth = start_auth_server(server_factory, devchain, NOTIFICATIONS_ALLOW_PRIVATE_TARGETS="true",
                             NOTIFICATIONS_RETRY_INITIAL="0.2")
    alice, bob = bearer(auth.tokens["alice-write"]), bearer(auth.tokens["bob-write"])
    for headers, name in ((alice, "alice rule"), (bob, "bob rule")):
        made = requests.post(auth.url("/api/v1/alerts"), headers=headers, timeout=5,
                             json={"kind": "value_above", "threshold": "100000", "name": name})
        assert made.status_code == 201, made.text
    requests.post(auth.url("/api/v1/webhooks"), headers=alice, timeout=5, json={
        "url": receiver.url, "description": "alice hook", "event_types": ["balance.changed"]}).raise_for_status()
    devchain.control("balance", {"chain": "ethereum", "address": ALICE_WALLET, "token": None, "amount": str(2 * ETH)})
    receiver.wait_for(1, timeout=30)

    open_signed_out(driver, auth)
    sign_in(driver, auth.tokens["alice-read"])
    wait_dashboard(driver)
    wait_alerts_loaded(driver)
    note = driver.find_element(By.ID, "alerts-read-only-note")
    assert note.is_displayed() and "Read-only" in note.text
    assert not driver.find_element(By.ID, "add-alert").is_displayed()
    assert rule_titles(driver) == ["alice rule"]
    item = rule_item(driver, "alice rule")
    for action in ("rule-toggle", "rule-delete"):
        button = item.find_element(By.CLASS_NAME, action)
        assert not button.is_enabled(), f"{action} is enabled for a read token"
        assert button.get_attribute("aria-describedby") == "alerts-read-only-note"
    # A click on a disabled button does nothing: the rule is still there and enabled.
    driver.execute_script("arguments[0].click()", item.find_element(By.CLASS_NAME, "rule-delete"))
    assert not item.find_elements(By.CLASS_NAME, "confirm")
    assert [r["enabled"] for r in rules_of(auth.server, alice)] == [True]

    # The delivery log is reading, open to a read token; resending is not.
    wait_webhooks_loaded(driver)
    hook = driver.find_element(By.CSS_SELECTOR, "#webhook-list > li")
    hook.find_element(By.CSS_SELECTOR, ".hook-log summary").click()
    wait_for(driver, lambda d: log_rows(hook), "the log's attempt")
    resend = log_rows(hook)[0].find_element(By.CLASS_NAME, "resend")
    assert not resend.is_enabled()
    assert resend.get_attribute("aria-describedby") == "webhooks-read-only-note"
    found = axe_violations(driver)
    assert found == [], "\n".join(found)
    Page(driver, auth.server).screenshot("alerts-05-read-only")
    assert_no_script_errors(driver)


# --- phone width ----------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_alerts_panel_and_resend_fit_a_phone(driver, server_factory, devchain, receiver, scheme):
    server = start_server(server_factory, devchain)
    requests.post(server.url("/api/v1/webhooks"), timeout=5, json={
        "url": receiver.url, "description": "phone", "event_types": ["alert.triggered", "wallet.added"]}).raise_for_status()
    address, main = add_wallet(server, devchain, "a wallet with a rather long label", 1)
    for body in ({"kind": "value_above", "threshold": "1500", "name": "Over 1.5k"},
                 {"kind": "balance_change", "asset": "ETH", "threshold": "12.5", "percent": True, "wallet_id": main},
                 {"kind": "activity", "direction": "outgoing", "wallet_id": main}):
        requests.post(server.url("/api/v1/alerts"), json=body, timeout=5).raise_for_status()
    set_eth(server, devchain, address, main, 1.2)  # the value rule learns it is below
    receiver.wait_for(1)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 360, "height": 780, "deviceScaleFactor": 2, "mobile": True})
    page = Page(driver, server)
    page.open()
    wait_alerts_loaded(driver)
    set_eth(server, devchain, address, main, 2)
    wait_for(driver, lambda d: "Over 1.5k above $1500" in fired_titles(d), "the fired alert")
    Select(driver.find_element(By.ID, "alert-kind")).select_by_value("balance_change")
    rule_item(driver, "Over 1.5k").find_element(By.CLASS_NAME, "rule-delete").click()
    wait_webhooks_loaded(driver)
    hook = driver.find_element(By.CSS_SELECTOR, "#webhook-list > li")
    hook.find_element(By.CSS_SELECTOR, ".hook-log summary").click()
    wait_for(driver, lambda d: log_rows(hook), "the log")
    log_rows(hook)[-1].find_element(By.CLASS_NAME, "resend").click()
    assert hook.find_element(By.CLASS_NAME, "resend-confirm").is_displayed()

    no_horizontal_scroll(driver)
    small = small_targets(driver, "#alerts button, #alerts select, #alerts input[type=text], #alerts .check-field, "
                                  ".log-table .resend, .resend-confirm button")
    assert small == [], small
    found = axe_violations(driver)
    assert found == [], "\n".join(found)
    assert_contrast(driver)
    page.screenshot(f"alerts-06-phone-{scheme}")
    assert_no_script_errors(driver)


# --- a push subscription the push service replaced ------------------------------------------------

def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def browser_keys() -> dict:
    """Keys as a browser makes them for a subscription: a P-256 point and 16 secret bytes."""
    public = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {"p256dh": b64url(public), "auth": b64url(os.urandom(16))}


def worker_eval(driver, expression: str):
    """Evaluates `expression` (a promise) in the dashboard's service worker, over DevTools."""
    address = driver.capabilities["goog:chromeOptions"]["debuggerAddress"]
    targets = requests.get(f"http://{address}/json/list", timeout=5).json()
    workers = [t for t in targets if t["type"] == "service_worker" and t["url"].endswith("/sw.js")]
    assert workers, f"no service worker target: {[(t['type'], t['url']) for t in targets]}"
    with connect(workers[0]["webSocketDebuggerUrl"], max_size=None, open_timeout=10) as ws:
        ws.send(json.dumps({"id": 1, "method": "Runtime.evaluate",
                            "params": {"expression": expression, "awaitPromise": True, "returnByValue": True}}))
        while True:
            answer = json.loads(ws.recv(timeout=30))
            if answer.get("id") == 1:
                break
    result = answer["result"]
    assert "exceptionDetails" not in result, result["exceptionDetails"]
    return result["result"].get("value")


def fake_subscription_js(endpoint: str, keys: dict) -> str:
    """A PushSubscription-like object with `endpoint` and `keys`, as JavaScript."""
    return (f"({{endpoint: {json.dumps(endpoint)}, expirationTime: null, unsubscribe: async () => true, "
            f"toJSON() {{ return {{endpoint: {json.dumps(endpoint)}, expirationTime: null, keys: {json.dumps(keys)}}}; }}}})")


def dispatch_subscription_change(driver, old_endpoint: str, new_endpoint: str, keys: dict, server_key: str) -> dict:
    """Fires `pushsubscriptionchange` in the worker with an old subscription made with
    `server_key`; the push manager's `subscribe` answers a new one at `new_endpoint`. Answers
    what `subscribe` was asked and how many windows the worker could tell."""
    return worker_eval(driver, f"""(async () => {{
        const key = Uint8Array.from(atob({json.dumps(server_key)}.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
        const asked = [];
        self.registration.pushManager.subscribe = async (options) => {{
          asked.push({{userVisibleOnly: options.userVisibleOnly,
                      key: Array.from(new Uint8Array(options.applicationServerKey))}});
          return {fake_subscription_js(new_endpoint, keys)};
        }};
        const event = new Event("pushsubscriptionchange");
        let work = null;
        event.waitUntil = (promise) => {{ work = promise; }};
        event.oldSubscription = {{endpoint: {json.dumps(old_endpoint)},
                                  options: {{userVisibleOnly: true, applicationServerKey: key.buffer}}}};
        event.newSubscription = null;
        self.dispatchEvent(event);
        await work;
        const windows = await self.clients.matchAll({{type: "window", includeUncontrolled: true}});
        return {{asked, windows: windows.length, key: Array.from(key)}};
    }})()""")


def page_push_manager_answers(endpoint: str, keys: dict) -> str:
    """Page script: the browser's push manager holds the subscription at `endpoint`."""
    return f"PushManager.prototype.getSubscription = async function () {{ return {fake_subscription_js(endpoint, keys)}; }};"


def subscribe_old(server, endpoint: str) -> dict:
    made = requests.post(server.url("/api/v1/push/subscriptions"), timeout=5, json={
        "endpoint": endpoint, "expirationTime": None, "keys": browser_keys(),
        "event_types": ["alert.triggered", "balance.changed"]})
    assert made.status_code == 201, made.text
    return made.json()


def subscriptions_of(server) -> list[tuple[str, list[str]]]:
    listed = requests.get(server.url("/api/v1/push/subscriptions"), timeout=5).json()["subscriptions"]
    return [(s["endpoint"], sorted(s["event_types"])) for s in listed]


def changed_notes(driver) -> int:
    """How many replaced endpoints the worker noted and no dashboard has sent yet."""
    driver.set_script_timeout(30)
    return driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        import("/js/push.js").then((m) => m.changedEndpoints()).then((s) => done(s.size), (e) => done(String(e)));""")


def test_an_open_dashboard_sends_the_subscription_the_worker_renewed(driver, server_factory, devchain):
    server = start_server(server_factory, devchain)
    server_key = requests.get(server.url("/api/v1/push/vapid-public-key"), timeout=5).json()["public_key"]
    old_endpoint, new_endpoint = "http://127.0.0.1:9/push/old-one", "http://127.0.0.1:9/push/new-one"
    old = subscribe_old(server, old_endpoint)
    keys = browser_keys()
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": server.base_url, "permissions": ["notifications"]})
    page = Page(driver, server)
    page.open()
    wait_for(driver, lambda d: state_of(d) == "off", "the switch to be off (this browser holds no subscription)")
    wait_for(driver, lambda d: d.execute_script("return Boolean(navigator.serviceWorker.controller)"),
             "the worker to control the page")

    driver.execute_script(page_push_manager_answers(new_endpoint, keys))
    seen = dispatch_subscription_change(driver, old_endpoint, new_endpoint, keys, server_key)
    # The worker subscribed again with the old subscription's server key, and told the page.
    assert seen["asked"] == [{"userVisibleOnly": True, "key": seen["key"]}]
    assert len(seen["key"]) == 65 and seen["windows"] == 1
    wait_for(driver, lambda d: state_of(d) == "on", "the page to send the new subscription")
    assert driver.find_element(By.ID, "notify-status").text == "On: this device is notified of alerts and balance changes."
    assert subscriptions_of(server) == [(new_endpoint, ["alert.triggered", "balance.changed"])]
    assert requests.delete(server.url(f"/api/v1/push/subscriptions/{old['id']}"), timeout=5).status_code == 404
    assert changed_notes(driver) == 0
    assert_no_script_errors(driver)


def test_a_dashboard_loaded_after_the_renewal_sends_the_new_subscription(driver, server_factory, devchain):
    server = start_server(server_factory, devchain)
    server_key = requests.get(server.url("/api/v1/push/vapid-public-key"), timeout=5).json()["public_key"]
    old_endpoint, new_endpoint = "http://127.0.0.1:9/push/old-two", "http://127.0.0.1:9/push/new-two"
    subscribe_old(server, old_endpoint)
    keys = browser_keys()
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": server.base_url, "permissions": ["notifications"]})
    page = Page(driver, server)
    page.open()
    wait_for(driver, lambda d: state_of(d) == "off", "the switch to be off")

    # No dashboard is open when the push service replaces the subscription.
    driver.get("about:blank")
    seen = dispatch_subscription_change(driver, old_endpoint, new_endpoint, keys, server_key)
    assert seen["windows"] == 0 and len(seen["asked"]) == 1
    noted = worker_eval(driver, """(async () => {
        const db = await openRenewalDB();
        const keys = await new Promise((resolve) => {
          const request = db.transaction(CHANGED_STORE).objectStore(CHANGED_STORE).getAllKeys();
          request.onsuccess = () => resolve(request.result);
        });
        db.close();
        return keys;
    })()""")
    # Only a hash of the old endpoint is kept, never the endpoint itself.
    assert len(noted) == 1 and len(noted[0]) == 64 and "push" not in noted[0]
    assert subscriptions_of(server) == [(old_endpoint, ["alert.triggered", "balance.changed"])]

    # The next load finds the browser's subscription is not the one the server holds, and sends it.
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": page_push_manager_answers(new_endpoint, keys)})
    page.open()
    wait_for(driver, lambda d: state_of(d) == "on", "the page to send the new subscription")
    assert subscriptions_of(server) == [(new_endpoint, ["alert.triggered", "balance.changed"])]
    assert changed_notes(driver) == 0
    assert_no_script_errors(driver)
