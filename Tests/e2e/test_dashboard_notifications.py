"""The dashboard's notifications in headless Chromium: the web app manifest and its icons, the
service worker under the dashboard's Content-Security-Policy (and a push message it shows),
the "Notify me" switch, and the webhooks panel against a real receiving HTTP server whose
messages are checked with Python's hmac, per Standard Webhooks.

Headless Chromium has no push service to reach here, so `pushManager.subscribe` never answers:
the switch test accepts either outcome, a subscription the server lists or the page's clear
error state (which is what happens on this machine), and says which it saw.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
import time

import pytest
import requests
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import add_wallet
from dashboard_browser import Page, assert_contrast, assert_no_script_errors, browser_driver, csp_violations, wait_for
from test_chains import chain_environment, devchain  # noqa: F401  (devchain is a fixture)
from test_dashboard_auth import (
    axe_violations, bearer, open_signed_out, sign_in, start_auth_server, stored, wait_dashboard,
)
from test_webhooks import Receiver

WALLET = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"
ETH = 10**18
MANIFEST_MEMBERS = ("name", "short_name", "start_url", "display", "icons", "theme_color", "background_color")


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


def start_server(server_factory, devchain, *, private_targets: bool):
    env = chain_environment(devchain, ETHEREUM_POLL_INTERVAL="0.3",
                            NOTIFICATIONS_ALLOW_PRIVATE_TARGETS="true" if private_targets else "false",
                            NOTIFICATIONS_RETRY_INITIAL="0.2", NOTIFICATIONS_RETRY_MAX_INTERVAL="0.5")
    return server_factory.start(env=env)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def signature_ok(message: dict, secret: str) -> bool:
    """Standard Webhooks: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed with the
    base64-decoded secret after `whsec_`."""
    headers = message["headers"]
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + message["body"]
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return expected in headers["webhook-signature"].split(" ")


def state_of(driver) -> str:
    return driver.find_element(By.ID, "notify-status").get_attribute("data-state")


def wait_webhooks_loaded(driver) -> None:
    wait_for(driver, lambda d: d.find_element(By.ID, "webhooks").get_attribute("data-loaded") == "true",
             "the webhooks to be read")


def hook_item(driver, title: str):
    for item in driver.find_elements(By.CSS_SELECTOR, "#webhook-list > li"):
        if item.find_element(By.CLASS_NAME, "hook-title").text == title:
            return item
    return None


def add_webhook_in_page(driver, url: str, description: str = "", events: tuple[str, ...] | None = None) -> None:
    field = driver.find_element(By.ID, "webhook-url")
    field.clear()
    field.send_keys(url)
    if description:
        driver.find_element(By.ID, "webhook-description").send_keys(description)
    if events is not None:
        for box in driver.find_elements(By.CSS_SELECTOR, "#add-webhook input[name=event_types]"):
            if box.is_selected() != (box.get_attribute("value") in events):
                box.click()
    driver.find_element(By.CSS_SELECTOR, "#add-webhook button[type=submit]").click()


# --- the manifest and the service worker -------------------------------------------------------

def test_the_manifest_is_linked_served_and_makes_the_dashboard_installable(driver, server_factory, devchain):
    server = start_server(server_factory, devchain, private_targets=False)
    page = Page(driver, server)
    page.open()
    href = driver.find_element(By.CSS_SELECTOR, "link[rel=manifest]").get_attribute("href")
    assert href == server.url("/manifest.json")

    served = requests.get(href, timeout=5)
    assert served.status_code == 200
    assert served.headers["content-type"].split(";")[0] in ("application/manifest+json", "application/json")
    manifest = served.json()
    for member in MANIFEST_MEMBERS:
        assert manifest.get(member), f"the manifest has no {member}"
    assert (manifest["start_url"], manifest["display"], manifest["scope"]) == ("/", "standalone", "/")
    pngs = {icon["sizes"]: icon for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= set(pngs), manifest["icons"]
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        answer = requests.get(server.url(icon["src"]), timeout=5)
        assert answer.status_code == 200 and answer.headers["content-type"] == icon["type"], icon
        if icon["type"] == "image/png":
            assert "x".join(map(str, png_size(answer.content))) == icon["sizes"], icon

    # Chromium reads the same manifest without an error and finds nothing missing to install it.
    read = driver.execute_cdp_cmd("Page.getAppManifest", {})
    assert read["url"] == href and read["errors"] == [], read["errors"]
    assert driver.execute_cdp_cmd("Page.getInstallabilityErrors", {})["installabilityErrors"] == []
    theme = driver.find_elements(By.CSS_SELECTOR, "meta[name=theme-color]")
    assert [m.get_attribute("media") for m in theme] == ["(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"]
    assert_no_script_errors(driver)


def test_the_service_worker_runs_under_the_policy_and_shows_a_push_message(driver, server_factory, devchain):
    server = start_server(server_factory, devchain, private_targets=False)
    script = requests.get(server.url("/sw.js"), timeout=5)
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    policy = requests.get(server.url("/"), timeout=5).headers["content-security-policy"]
    # Without worker-src, Chromium falls back to script-src 'self', which admits /sw.js.
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "worker-src" not in policy or "worker-src 'self'" in policy, policy

    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": server.base_url, "permissions": ["notifications"]})
    driver.execute_cdp_cmd("ServiceWorker.enable", {})  # DevTools delivers push messages only while it is on
    Page(driver, server).open()
    driver.set_script_timeout(30)

    def worker():
        return driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            navigator.serviceWorker.ready.then((r) => done({
              scope: r.scope, script: r.active && r.active.scriptURL, state: r.active && r.active.state,
              controlled: Boolean(navigator.serviceWorker.controller),
            }), (e) => done({error: String(e)}));""")

    # `ready` resolves once a worker is active (it may still be activating): then it takes the page.
    ready = worker()
    assert (ready["scope"], ready["script"]) == (server.url("/"), server.url("/sw.js")), ready
    wait_for(driver, lambda d: worker()["state"] == "activated", "the worker to be activated")
    wait_for(driver, lambda d: worker()["controlled"], "the worker to control the page (clients.claim)")
    assert csp_violations(driver) == []

    # A push message as the server sends it, delivered through DevTools: shown with its title
    # and body, tagged by type, pointing at the dashboard.
    message = {"title": "ETH received", "body": "1 → 2 ETH on ethereum", "url": "/", "seq": 7, "type": "balance.changed"}

    def shown():
        return driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((list) => done(list.map((n) => (
              {title: n.title, body: n.body, tag: n.tag, data: n.data, icon: n.icon}))), (e) => done(String(e)));""")

    def deliver() -> None:
        # A new profile's only registration; DevTools names it by an id the page cannot see.
        for registration_id in range(5):
            try:
                driver.execute_cdp_cmd("ServiceWorker.deliverPushMessage", {
                    "origin": server.base_url, "registrationId": str(registration_id), "data": json.dumps(message)})
                return
            except Exception:  # noqa: BLE001  (no registration of that id)
                continue
        raise AssertionError("DevTools knows no registration to deliver to")

    # Headless Chromium sometimes leaves a notification out of getNotifications() although
    # showNotification() resolved (seen here with the worker reporting both); the same tag makes
    # a repeat replace the first, so the message is sent again until one is listed.
    for attempt in range(5):
        deliver()
        try:
            wait_for(driver, lambda d: shown(), "the notification", timeout=5)
            break
        except TimeoutException:
            if attempt == 4:
                raise
    assert shown() == [{"title": "ETH received", "body": "1 → 2 ETH on ethereum", "tag": "balance.changed",
                        "data": {"url": server.url("/"), "seq": 7, "type": "balance.changed"},
                        "icon": server.url("/icons/icon-192.png")}]
    assert_no_script_errors(driver)


# --- the notify switch --------------------------------------------------------------------------

def test_the_notify_switch_subscribes_or_says_why_it_cannot(driver, server_factory, devchain):
    server = start_server(server_factory, devchain, private_targets=False)
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": server.base_url, "permissions": ["notifications"]})
    page = Page(driver, server)
    page.open()
    switch = driver.find_element(By.ID, "notify-switch")
    status = driver.find_element(By.ID, "notify-status")
    wait_for(driver, lambda d: state_of(d) == "off", "the switch to be off and usable")
    assert switch.get_attribute("role") == "switch" and switch.get_attribute("type") == "checkbox"
    assert driver.find_element(By.CSS_SELECTOR, "label[for=notify-switch]").text == "Notify me"
    assert "notify-status" in switch.get_attribute("aria-describedby")
    assert status.get_attribute("role") == "status" and status.text == "Off: this device is not notified."
    assert switch.is_enabled() and not switch.is_selected()
    box = switch.rect
    assert box["height"] >= 24 and box["width"] >= 44, box
    found = axe_violations(driver)
    assert found == [], "\n".join(found)

    # Also balance changes, then on, from the keyboard.
    driver.find_element(By.CSS_SELECTOR, "label[for=notify-balances]").click()
    assert driver.find_element(By.ID, "notify-balances").is_selected()
    switch.send_keys(Keys.SPACE)
    wait_for(driver, lambda d: state_of(d) in ("busy", "on", "error"), "the switch to start")
    wait_for(driver, lambda d: state_of(d) in ("on", "error"), "the subscription or its failure", timeout=60)
    listed = requests.get(server.url("/api/v1/push/subscriptions"), timeout=5).json()["subscriptions"]
    if state_of(driver) == "on":
        endpoint = driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            navigator.serviceWorker.ready.then((r) => r.pushManager.getSubscription()).then((s) => done(s && s.endpoint));""")
        assert [(s["endpoint"], sorted(s["event_types"])) for s in listed] == [
            (endpoint, ["alert.triggered", "balance.changed"])]
        assert switch.is_selected() and status.text == "On: this device is notified of alerts and balance changes."
        switch.send_keys(Keys.SPACE)
        wait_for(driver, lambda d: state_of(d) == "off", "the switch to turn off")
        assert requests.get(server.url("/api/v1/push/subscriptions"), timeout=5).json()["subscriptions"] == []
    else:
        # Headless Chromium reaches no push service: the page says so and nothing was subscribed.
        assert status.text.startswith("Notifications could not be turned on: "), status.text
        assert "push service" in status.text or "could not subscribe" in status.text, status.text
        assert not switch.is_selected() and switch.is_enabled()
        assert listed == []
        assert driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            navigator.serviceWorker.ready.then((r) => r.pushManager.getSubscription()).then((s) => done(s === null));""")
    assert driver.switch_to.active_element == switch, "focus left the switch"
    kept = stored(driver)
    assert not any("endpoint" in v or "p256dh" in v for place in kept.values() for v in place.values()), kept
    found = axe_violations(driver)
    assert found == [], "\n".join(found)
    page.screenshot(f"notify-01-switch-{state_of(driver)}")
    assert_no_script_errors(driver)


def test_blocked_notifications_are_said_and_the_switch_is_off(driver, server_factory, devchain):
    server = start_server(server_factory, devchain, private_targets=False)
    driver.execute_cdp_cmd("Browser.setPermission", {"origin": server.base_url, "permission": {"name": "notifications"},
                                                     "setting": "denied"})
    Page(driver, server).open()
    wait_for(driver, lambda d: state_of(d) == "denied", "the blocked state")
    assert "blocked" in driver.find_element(By.ID, "notify-status").text
    assert not driver.find_element(By.ID, "notify-switch").is_enabled()
    assert_no_script_errors(driver)


# --- webhooks -------------------------------------------------------------------------------------

def test_a_webhook_added_in_the_page_is_signed_tested_logged_and_deleted(driver, server_factory, devchain, receiver):
    devchain.control("balance", {"chain": "ethereum", "address": WALLET, "token": None, "amount": str(ETH)})
    server = start_server(server_factory, devchain, private_targets=True)
    page = Page(driver, server)
    page.open()
    wait_webhooks_loaded(driver)
    assert driver.find_element(By.ID, "webhooks-empty").is_displayed()

    # Added: the secret is shown once, with a warning and a copy button, and focus goes to it.
    add_webhook_in_page(driver, receiver.url, "ci receiver", ("wallet.added", "balance.changed"))
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#webhook-secret-slot .secret-box"), "the secret")
    box = driver.find_element(By.CSS_SELECTOR, "#webhook-secret-slot .secret-box")
    secret = box.find_element(By.CLASS_NAME, "secret-value").text
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) >= 24
    assert "shown only this once" in box.text
    assert driver.switch_to.active_element == box
    assert box.find_element(By.CLASS_NAME, "secret-copy").text == "Copy secret"
    assert "Added ci receiver." == driver.find_element(By.ID, "webhook-form-status").text
    hooks = requests.get(server.url("/api/v1/webhooks"), timeout=5).json()["webhooks"]
    assert [(h["url"], h["description"], sorted(h["event_types"])) for h in hooks] == [
        (receiver.url, "ci receiver", ["balance.changed", "wallet.added"])]
    hook_id = hooks[0]["id"]
    item = hook_item(driver, "ci receiver")
    assert item.find_element(By.CLASS_NAME, "hook-url-text").text == receiver.url
    assert item.find_element(By.CLASS_NAME, "hook-state").text == "Enabled"
    assert item.find_element(By.CLASS_NAME, "hook-events").text == "Balance changes, Wallet added"
    box.find_element(By.CLASS_NAME, "secret-copy").click()
    wait_for(driver, lambda d: box.find_element(By.CLASS_NAME, "secret-status").text != "", "the copy's outcome")
    page.screenshot("notify-02-webhook-secret")
    found = axe_violations(driver)
    assert found == [], "\n".join(found)
    assert_contrast(driver)
    kept = stored(driver)
    assert not any(secret in v for place in kept.values() for v in place.values()), "the secret was stored"

    # "Send test": the receiver gets a signed ping and the page shows how it answered.
    item.find_element(By.CLASS_NAME, "hook-ping").click()
    message = item.find_element(By.CLASS_NAME, "hook-message")
    wait_for(driver, lambda d: message.text.startswith("Test delivered"), "the test's outcome")
    assert message.text.startswith("Test delivered: the endpoint answered 204 in ") and message.text.endswith(" ms.")
    pings = receiver.wait_for(1)
    assert signature_ok(pings[0], secret), pings[0]["headers"]
    assert json.loads(pings[0]["body"])["type"] == "ping"

    # After a reload the secret is nowhere in the page, and the webhook is still listed.
    driver.refresh()
    page.open()
    wait_webhooks_loaded(driver)
    assert secret not in driver.page_source
    assert not driver.find_elements(By.CSS_SELECTOR, ".secret-box")
    item = hook_item(driver, "ci receiver")

    # A wallet added (here over the API) is delivered, signed, and shows in the delivery log.
    add_wallet(server, WALLET, label="hot")
    events = wait_for_event(receiver, "wallet.added")
    assert signature_ok(events, secret)
    log = item.find_element(By.CLASS_NAME, "hook-log")
    log.find_element(By.TAG_NAME, "summary").click()
    wait_for(driver, lambda d: "Wallet added" in log.text, "the delivery log's attempt")
    row = [r for r in log.find_elements(By.CSS_SELECTOR, "tbody tr") if "Wallet added" in r.text][0]
    cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
    assert cells[2] == "204" and cells[3].endswith(" ms") and cells[4] == "", cells
    assert [th.text for th in log.find_elements(By.CSS_SELECTOR, "thead th")] == ["TIME", "EVENT", "STATUS", "LATENCY",
                                                                                  "ERROR", "ACTIONS"]
    # The open log follows new attempts by itself: the wallet's balance is read and sent too.
    wait_for(driver, lambda d: "Balance changes" in log.text, "the balance change in the open log")
    wait_for(driver, lambda d: item.find_element(By.CLASS_NAME, "hook-seq").text.startswith("#"), "the last event sent")
    page.screenshot("notify-03-webhook-log")
    found = axe_violations(driver)
    assert found == [], "\n".join(found)

    # Disable and enable.
    item.find_element(By.CLASS_NAME, "hook-toggle").click()
    wait_for(driver, lambda d: item.find_element(By.CLASS_NAME, "hook-state").text == "Disabled", "disabled")
    assert "disabled by its user" in item.find_element(By.CLASS_NAME, "hook-reason").text
    assert requests.get(server.url(f"/api/v1/webhooks/{hook_id}"), timeout=5).json()["enabled"] is False
    item.find_element(By.CLASS_NAME, "hook-toggle").click()
    wait_for(driver, lambda d: item.find_element(By.CLASS_NAME, "hook-state").text == "Enabled", "enabled again")

    # A new secret is shown once too, and signs the next test.
    item.find_element(By.CLASS_NAME, "hook-rotate").click()
    wait_for(driver, lambda d: item.find_elements(By.CSS_SELECTOR, ".hook-secret-slot .secret-value"), "the new secret")
    rotated = item.find_element(By.CSS_SELECTOR, ".hook-secret-slot .secret-value").text
    assert rotated.startswith("whsec_") and rotated != secret
    item.find_element(By.CSS_SELECTOR, ".hook-secret-slot .secret-done").click()
    assert not item.find_elements(By.CSS_SELECTOR, ".hook-secret-slot .secret-box")
    before = len(receiver.accepted())
    item.find_element(By.CLASS_NAME, "hook-ping").click()
    second = receiver.wait_for(before + 1)[-1]
    assert json.loads(second["body"])["type"] == "ping"
    assert signature_ok(second, rotated)

    # Delete asks first; Cancel keeps it, Delete removes it.
    item.find_element(By.CLASS_NAME, "hook-delete").click()
    confirm = item.find_element(By.CLASS_NAME, "confirm")
    assert "Delete ci receiver" in confirm.text
    confirm.find_element(By.CLASS_NAME, "confirm-cancel").click()
    assert not item.find_elements(By.CLASS_NAME, "confirm")
    item.find_element(By.CLASS_NAME, "hook-delete").click()
    item.find_element(By.CLASS_NAME, "confirm-delete").click()
    wait_for(driver, lambda d: hook_item(d, "ci receiver") is None, "the webhook to go")
    assert driver.find_element(By.ID, "webhooks-empty").is_displayed()
    assert requests.get(server.url("/api/v1/webhooks"), timeout=5).json()["webhooks"] == []
    assert driver.switch_to.active_element.get_attribute("id") == "webhooks-title"
    assert_no_script_errors(driver)


def wait_for_event(receiver: Receiver, event_type: str, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in receiver.accepted():
            if json.loads(message["body"]).get("type") == event_type:
                return message
        time.sleep(0.05)
    raise AssertionError(f"no {event_type} within {timeout} s: {[m['body'][:60] for m in receiver.accepted()]}")


def test_a_private_target_is_refused_inline_with_the_servers_words(driver, server_factory, devchain):
    server = start_server(server_factory, devchain, private_targets=False)
    target = "http://127.0.0.1:9/hook"
    problem = requests.post(server.url("/api/v1/webhooks"), json={"url": target}, timeout=5)
    assert problem.status_code == 422, problem.text
    detail = problem.json()["detail"]
    page = Page(driver, server)
    page.open()
    wait_webhooks_loaded(driver)

    # Nothing typed, or no event picked: said by the field, nothing sent.
    driver.find_element(By.CSS_SELECTOR, "#add-webhook button[type=submit]").click()
    error = driver.find_element(By.ID, "webhook-url-error")
    assert error.text == "Enter the URL the events are to be sent to."
    add_webhook_in_page(driver, target, events=())
    assert driver.find_element(By.ID, "webhook-events-error").text == "Pick at least one kind of event."

    add_webhook_in_page(driver, target, events=("wallet.added",))
    wait_for(driver, lambda d: error.text != "", "the refusal by the URL field")
    assert error.text == detail
    field = driver.find_element(By.ID, "webhook-url")
    assert field.get_attribute("aria-invalid") == "true" and "webhook-url-error" in field.get_attribute("aria-describedby")
    assert driver.switch_to.active_element == field
    assert not driver.find_elements(By.CSS_SELECTOR, ".secret-box")
    assert requests.get(server.url("/api/v1/webhooks"), timeout=5).json()["webhooks"] == []
    page.screenshot("notify-04-private-target-refused")
    # Typing again clears the error.
    field.send_keys("x")
    assert error.text == "" and field.get_attribute("aria-invalid") is None
    assert_no_script_errors(driver)


def test_a_read_token_sees_webhooks_but_cannot_change_them(driver, server_factory, devchain, receiver):
    auth = start_auth_server(server_factory, devchain, NOTIFICATIONS_ALLOW_PRIVATE_TARGETS="true")
    made = requests.post(auth.url("/api/v1/webhooks"), json={"url": receiver.url, "description": "alice hook"},
                         headers=bearer(auth.tokens["alice-write"]), timeout=5)
    assert made.status_code == 201, made.text
    requests.post(auth.url("/api/v1/webhooks"), json={"url": receiver.url, "description": "bob hook"},
                  headers=bearer(auth.tokens["bob-write"]), timeout=5).raise_for_status()
    open_signed_out(driver, auth)
    sign_in(driver, auth.tokens["alice-read"])
    wait_dashboard(driver)
    wait_webhooks_loaded(driver)

    note = driver.find_element(By.ID, "webhooks-read-only-note")
    assert note.is_displayed() and "Read-only" in note.text
    assert not driver.find_element(By.ID, "add-webhook").is_displayed()
    assert hook_item(driver, "bob hook") is None
    item = hook_item(driver, "alice hook")
    for action in ("hook-ping", "hook-toggle", "hook-rotate", "hook-delete"):
        button = item.find_element(By.CLASS_NAME, action)
        assert not button.is_enabled(), f"{action} is enabled for a read token"
        assert button.get_attribute("aria-describedby") == "webhooks-read-only-note"
    # The delivery log is reading: open to a read token.
    item.find_element(By.CSS_SELECTOR, ".hook-log summary").click()
    wait_for(driver, lambda d: "No attempts yet" in item.find_element(By.CLASS_NAME, "hook-log").text, "the empty log")

    # The notify switch is off for a read token, and says why.
    assert driver.find_element(By.ID, "push-read-only-note").is_displayed()
    switch = driver.find_element(By.ID, "notify-switch")
    wait_for(driver, lambda d: state_of(d) not in ("checking",), "the switch's state")
    assert not switch.is_enabled() and "push-read-only-note" in switch.get_attribute("aria-describedby")
    found = axe_violations(driver)
    assert found == [], "\n".join(found)
    Page(driver, auth.server).screenshot("notify-05-read-only")
    assert_no_script_errors(driver)


def test_the_new_panels_pass_axe_and_contrast_in_the_dark_and_at_phone_width(driver, server_factory, devchain, receiver):
    scheme = "dark"
    server = start_server(server_factory, devchain, private_targets=True)
    requests.post(server.url("/api/v1/webhooks"), json={"url": receiver.url, "description": "phone"},
                  timeout=5).raise_for_status()
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True})
    page = Page(driver, server)
    page.open()
    wait_webhooks_loaded(driver)
    item = hook_item(driver, "phone")
    item.find_element(By.CLASS_NAME, "hook-ping").click()
    wait_for(driver, lambda d: item.find_element(By.CLASS_NAME, "hook-message").text.startswith("Test delivered"),
             "the test")
    item.find_element(By.CSS_SELECTOR, ".hook-log summary").click()
    wait_for(driver, lambda d: "No attempts yet" in item.text, "the log")
    widths = driver.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"horizontal scrolling at 375 px: {widths}"
    # Touch targets of the new controls are at least 44 px high.
    small = driver.execute_script("""
        const controls = '#push button, #webhooks button, #webhooks input[type=url], #webhooks summary, '
          + '#push .switch-field, #push .check-field, #webhooks .check-field';
        return [...document.querySelectorAll(controls)]
          .filter((e) => e.checkVisibility() && e.getBoundingClientRect().height < 44)
          .map((e) => `${e.tagName}.${e.className} ${e.getBoundingClientRect().height}`);""")
    assert small == [], small
    found = axe_violations(driver)
    assert found == [], "\n".join(found)
    assert_contrast(driver)
    page.screenshot(f"notify-06-phone-{scheme}")
    assert_no_script_errors(driver)
