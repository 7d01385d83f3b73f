"""The dashboard signing in with an access token, in headless Chromium, against a loopback
server started with AUTH_REQUIRED=true (and one with AUTH_REQUIRED=false) reading devchain.

Users and tokens are made with the command line before the server starts (and over the admin
API where a test needs a token's id). Without a token the page shows only the sign-in form; a
refused token is said inline; a read token shows its own user's wallets only, follows them
live and cannot write; signing out forgets the token; a revoked token ends the session; too
many connections for one user are said, not retried in a loop; a restart that starts asking for
tokens brings the sign-in form to a page that had none. Screenshots go to
$DASHBOARD_SCREENSHOTS (default `.build/dashboard-screenshots`).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import pytest
import requests
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

from conftest import ServerProcess, add_wallet
from dashboard_browser import Page, assert_contrast, assert_no_script_errors, browser_driver, row_for, wait_for
from test_chains import DevChain, chain_environment, devchain  # noqa: F401  (devchain is a fixture)
from test_dashboard import free_port

ALICE_WALLET = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"
BOB_WALLET = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
OWNER_WALLET = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
ETH = 10**18
TOKEN_KEY = "portfolio-access-token"
HINT = "portfolio-server token create --user NAME --scope read"
# The page reads the portfolio every 15 s: a revoked token is found by the next read at the latest.
REVOCATION_NOTICED_WITHIN = 45

# Counts the WebSockets the page opens (added through DevTools, so outside the page's policy).
_SOCKET_COUNTER = """
window.__sockets = 0;
const PageWebSocket = window.WebSocket;
window.WebSocket = class extends PageWebSocket {
  constructor(...args) { super(...args); window.__sockets += 1; }
};
"""


@pytest.fixture
def driver():
    chrome = browser_driver()
    yield chrome
    chrome.quit()


@dataclass
class AuthServer:
    server: ServerProcess
    tokens: dict[str, str] = field(default_factory=dict)  # "alice-read" → cpt_…
    wallets: dict[str, dict] = field(default_factory=dict)  # label → wallet

    def url(self, path: str) -> str:
        return self.server.url(path)


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def set_eth(chain: DevChain, address: str, wei: int) -> None:
    chain.control("balance", {"chain": "ethereum", "address": address, "token": None, "amount": str(wei)})


def start_auth_server(server_factory, devchain, *, required: str = "true", **env: str) -> AuthServer:
    """A server over a database with users alice and bob (and the first user, owner), a token
    per user and scope named `user-scope`, alice tracking ALICE_WALLET as `alice-main` and bob
    BOB_WALLET as `bob-vault`."""
    database = server_factory.database_path("auth.sqlite")
    cli = lambda *args: server_factory.run([*args, "--database", str(database)])  # noqa: E731
    assert cli("migrate").returncode == 0
    tokens = {}
    for user in ("alice", "bob"):
        made = cli("user", "create", user)
        assert made.returncode == 0, made.stderr
    for user, scope in (("owner", "admin"), ("alice", "read"), ("alice", "write"), ("bob", "read"),
                        ("bob", "write")):
        issued = cli("token", "create", "--user", user, "--scope", scope, "--name", f"{user} {scope}")
        assert issued.returncode == 0, issued.stderr
        tokens[f"{user}-{scope}"] = issued.stdout.strip()
        assert tokens[f"{user}-{scope}"].startswith("cpt_")
    server = server_factory.start(
        ["serve", "--host", "127.0.0.1", "--port", "0", "--database", str(database)],
        chain_environment(devchain, AUTH_REQUIRED=required, ETHEREUM_POLL_INTERVAL="0.5",
                          SOLANA_POLL_INTERVAL="0.5", **env))
    auth = AuthServer(server, tokens)
    for label, user, address in (("alice-main", "alice", ALICE_WALLET), ("bob-vault", "bob", BOB_WALLET)):
        added = requests.post(auth.url("/api/v1/wallets"), json={"chain": "ethereum", "address": address, "label": label},
                              headers=bearer(tokens[f"{user}-write"]), timeout=10)
        assert added.status_code == 201, added.text
        auth.wallets[label] = added.json()
    return auth


def issue_token(auth: AuthServer, user: str, scope: str) -> dict:
    """A token issued over the admin API: {id, token, …}."""
    issued = requests.post(auth.url("/api/v1/access-tokens"), json={"user": user, "scope": scope, "name": "dashboard"},
                           headers=bearer(auth.tokens["owner-admin"]), timeout=10)
    assert issued.status_code == 201, issued.text
    return issued.json()


# --- the page ---------------------------------------------------------------------------------

def sign_in_view_shown(driver) -> bool:
    return driver.find_element(By.ID, "sign-in").is_displayed() and not driver.find_element(By.ID, "dashboard").is_displayed()


def open_signed_out(driver, auth: AuthServer) -> None:
    driver.get(auth.url("/"))
    wait_for(driver, sign_in_view_shown, "the sign-in view")
    wait_for(driver, lambda d: d.switch_to.active_element.get_attribute("id") == "access-token",
             "focus in the token field")


def sign_in(driver, token: str) -> None:
    field = driver.find_element(By.ID, "access-token")
    field.clear()
    field.send_keys(token)
    driver.find_element(By.CSS_SELECTOR, "#sign-in-form button[type=submit]").click()


def wait_dashboard(driver) -> None:
    """The dashboard is shown, its stream live and its first snapshot drawn."""
    wait_for(driver, lambda d: d.find_element(By.ID, "dashboard").is_displayed(), "the dashboard")
    wait_for(driver, lambda d: d.find_element(By.ID, "connection").get_attribute("data-state") == "live",
             "the stream to be live")
    wait_for(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-loaded") == "true",
             "the first snapshot")
    driver.execute_script("window.__sameDocument = 'kept';")


def stored(driver) -> dict[str, dict[str, str]]:
    """Everything in the page's sessionStorage and localStorage."""
    return driver.execute_script("""
        const all = (s) => Object.fromEntries([...Array(s.length).keys()].map((i) => [s.key(i), s.getItem(s.key(i))]));
        return {session: all(sessionStorage), local: all(localStorage)};""")


def assert_no_token_kept(driver) -> None:
    kept = stored(driver)
    assert TOKEN_KEY not in kept["session"], kept
    for place, items in kept.items():
        assert not any("cpt_" in value for value in items.values()), f"a token in {place}Storage: {items}"


def requested_paths(driver) -> list[str]:
    return driver.execute_script(
        "return performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)")


def assert_no_alert(driver) -> None:
    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        return
    raise AssertionError(f"the page opened a dialog: {text}")


def axe_violations(driver, *, serious_only: bool = False) -> list[str]:
    from axe_selenium_python import Axe

    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if not serious_only or v["impact"] in ("serious", "critical")
    ]


# --- the tests --------------------------------------------------------------------------------

def test_without_a_token_only_the_sign_in_view_shows(driver, server_factory, devchain):
    auth = start_auth_server(server_factory, devchain)
    open_signed_out(driver, auth)

    field = driver.find_element(By.ID, "access-token")
    assert field.get_attribute("type") == "password"
    assert driver.find_element(By.CSS_SELECTOR, "label[for=access-token]").text == "Access token"
    assert HINT in driver.find_element(By.ID, "access-token-hint").text
    assert "access-token-hint" in field.get_attribute("aria-describedby")
    assert driver.find_element(By.CSS_SELECTOR, "#sign-in-form button[type=submit]").text == "Sign in"
    assert not driver.find_element(By.ID, "sign-in-cancel").is_displayed(), "no way around a required token"
    assert not driver.find_element(By.ID, "account").is_displayed()
    assert not driver.find_element(By.ID, "connection").is_displayed(), "a stream state while signed out"
    assert driver.title.startswith("Sign in")

    # Nothing of any user's wallets reached the page, and nothing but /me was asked for.
    time.sleep(1)
    source = driver.page_source
    for label, wallet in auth.wallets.items():
        assert label not in source and wallet["address"] not in source and wallet["id"] not in source
    api_calls = [p for p in requested_paths(driver) if p.startswith("/api/")]
    assert set(api_calls) == {"/api/v1/me"}, api_calls
    assert driver.find_elements(By.CSS_SELECTOR, "#wallet-table tbody tr") == []
    assert_no_token_kept(driver)
    Page(driver, auth.server).screenshot("auth-01-sign-in-light")
    assert_contrast(driver)
    assert_no_script_errors(driver)


def test_a_wrong_token_is_refused_inline(driver, server_factory, devchain):
    auth = start_auth_server(server_factory, devchain)
    open_signed_out(driver, auth)
    error = driver.find_element(By.ID, "access-token-error")
    field = driver.find_element(By.ID, "access-token")
    assert error.get_attribute("role") == "alert"

    driver.find_element(By.CSS_SELECTOR, "#sign-in-form button[type=submit]").click()
    wait_for(driver, lambda d: error.text == "Enter an access token.", "the empty field's message")

    for wrong, why in (("cpt_" + "A" * 43, "not known to this server"), ("not-a-token", "not one this server issues")):
        sign_in(driver, wrong)
        wait_for(driver, lambda d: "That token was not accepted" in error.text and why in error.text,
                 f"the refusal of {wrong!r} by the field")
        assert field.get_attribute("aria-invalid") == "true"
        assert "access-token-error" in field.get_attribute("aria-describedby")
        assert driver.switch_to.active_element == field, "focus left the field in error"
        assert_no_alert(driver)
        assert sign_in_view_shown(driver)
        assert_no_token_kept(driver)
    Page(driver, auth.server).screenshot("auth-02-wrong-token")

    # Typing again clears the error.
    field.send_keys("x")
    assert error.text == "" and field.get_attribute("aria-invalid") is None
    assert_no_script_errors(driver)


def test_a_read_token_shows_its_own_wallets_live_and_cannot_write(driver, server_factory, devchain):
    set_eth(devchain, ALICE_WALLET, ETH)
    set_eth(devchain, BOB_WALLET, 2 * ETH)
    auth = start_auth_server(server_factory, devchain)
    open_signed_out(driver, auth)
    sign_in(driver, auth.tokens["alice-read"])
    wait_dashboard(driver)
    page = Page(driver, auth.server)

    assert not driver.find_element(By.ID, "sign-in").is_displayed()
    wait_for(driver, lambda d: "1 ETH" in row_for(d, "alice-main").find_element(By.CLASS_NAME, "balances").text,
             "alice's wallet and balance")
    assert row_for(driver, "bob-vault") is None
    source = driver.page_source
    assert BOB_WALLET not in source and "bob-vault" not in source and auth.wallets["bob-vault"]["id"] not in source
    assert len(driver.find_elements(By.CSS_SELECTOR, "#wallet-table tbody tr")) == 1

    # Who is signed in, and with what scope; the token is kept for this tab's session only.
    assert driver.find_element(By.ID, "account-lead").text == "Signed in as"
    assert driver.find_element(By.ID, "account-user").text == "alice"
    assert driver.find_element(By.ID, "account-scope").text == "read"
    assert driver.find_element(By.ID, "sign-out").is_displayed()
    assert not driver.find_element(By.ID, "sign-in-open").is_displayed()
    kept = stored(driver)
    assert kept["session"][TOKEN_KEY] == auth.tokens["alice-read"]
    assert not any("cpt_" in v for v in kept["local"].values()), kept["local"]

    # A read token cannot write: no add form, the row's writing actions off, and the note says why.
    note = driver.find_element(By.ID, "read-only-note")
    assert note.is_displayed() and "Read-only" in note.text
    assert not driver.find_element(By.ID, "add-wallet").is_displayed()
    row = row_for(driver, "alice-main")
    for action in ("refresh", "rename", "delete"):
        button = row.find_element(By.CLASS_NAME, action)
        assert not button.is_enabled(), f"{action} is enabled for a read token"
        assert button.get_attribute("aria-describedby") == "read-only-note"
    assert row.find_element(By.CLASS_NAME, "copy").is_enabled()

    # The stream authenticated as alice: her balance moves live, bob's change never shows.
    set_eth(devchain, BOB_WALLET, 9 * ETH)
    set_eth(devchain, ALICE_WALLET, 5 * ETH)
    wait_for(driver, lambda d: "5 ETH" in row_for(d, "alice-main").find_element(By.CLASS_NAME, "balances").text,
             "alice's balance moving to 5 ETH without a reload")
    wait_for(driver, lambda d: "5" in d.find_element(By.ID, "total").text, "the total moving to 5 ETH")
    assert "9" not in driver.find_element(By.ID, "total").text, "bob's balance counted in alice's total"
    assert page.still_same_document()
    assert page.connection() == ("live", "Live")
    page.wait_flashes_done()
    page.screenshot("auth-03-read-only-dashboard")
    assert_contrast(driver)
    found = axe_violations(driver, serious_only=True)
    assert found == [], "\n".join(found)

    # At phone width the header's account line wraps instead of scrolling sideways.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True})
    wait_for(driver, lambda d: d.execute_script("return innerWidth") == 375, "the phone width")
    widths = driver.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"horizontal scrolling at 375 px: {widths}"
    page.screenshot("auth-03-read-only-phone")
    assert_no_script_errors(driver)


def test_a_write_token_can_add_and_sign_out_forgets_it(driver, server_factory, devchain):
    set_eth(devchain, ALICE_WALLET, ETH)
    set_eth(devchain, OWNER_WALLET, 3 * ETH)
    auth = start_auth_server(server_factory, devchain)
    open_signed_out(driver, auth)
    sign_in(driver, auth.tokens["alice-write"])
    wait_dashboard(driver)
    assert driver.switch_to.active_element.get_attribute("id") == "main", "focus did not move to the dashboard"
    assert driver.find_element(By.ID, "account-scope").text == "write"
    assert not driver.find_element(By.ID, "read-only-note").is_displayed()

    # Adding through the page sends the token: the wallet is alice's.
    driver.find_element(By.ID, "wallet-address").send_keys(OWNER_WALLET)
    driver.find_element(By.ID, "wallet-label").send_keys("alice-second")
    driver.find_element(By.CSS_SELECTOR, "#add-wallet button[type=submit]").click()
    wait_for(driver, lambda d: "3 ETH" in row_for(d, "alice-second").find_element(By.CLASS_NAME, "balances").text,
             "the added wallet's balance")
    listed = requests.get(auth.url("/api/v1/wallets"), headers=bearer(auth.tokens["alice-read"]), timeout=10).json()
    assert sorted(w["label"] for w in listed["wallets"]) == ["alice-main", "alice-second"]

    driver.find_element(By.ID, "sign-out").click()
    wait_for(driver, sign_in_view_shown, "the sign-in view after signing out")
    assert driver.switch_to.active_element.get_attribute("id") == "access-token"
    assert "You signed out" in driver.find_element(By.ID, "sign-in-message").text
    assert "sign-in-message" in driver.find_element(By.ID, "access-token").get_attribute("aria-describedby")
    assert_no_token_kept(driver)
    assert "portfolio-stream-position" not in stored(driver)["session"]
    assert not driver.find_element(By.ID, "account").is_displayed()
    assert not driver.find_element(By.ID, "connection").is_displayed()
    # What alice saw is gone from the page, hidden parts included.
    source = driver.page_source
    assert "alice-main" not in source and ALICE_WALLET not in source
    assert driver.find_elements(By.CSS_SELECTOR, "#wallet-table tbody tr") == []
    assert driver.execute_script("return window.__sameDocument") == "kept"

    # A reload does not bring the token back.
    driver.refresh()
    wait_for(driver, sign_in_view_shown, "the sign-in view after a reload")
    assert driver.find_element(By.ID, "sign-in-message").is_displayed() is False
    assert_no_token_kept(driver)

    # Another user signs in in the same tab and sees only their own.
    sign_in(driver, auth.tokens["bob-read"])
    wait_dashboard(driver)
    wait_for(driver, lambda d: row_for(d, "bob-vault") is not None, "bob's wallet")
    assert row_for(driver, "alice-main") is None and row_for(driver, "alice-second") is None
    assert driver.find_element(By.ID, "account-user").text == "bob"
    assert_no_script_errors(driver)


def test_a_revoked_token_ends_the_session(driver, server_factory, devchain):
    set_eth(devchain, ALICE_WALLET, ETH)
    auth = start_auth_server(server_factory, devchain)
    admin = bearer(auth.tokens["owner-admin"])

    # Revoked while the page is open: the page's next request is refused and it asks to sign in.
    issued = issue_token(auth, "alice", "read")
    open_signed_out(driver, auth)
    sign_in(driver, issued["token"])
    wait_dashboard(driver)
    wait_for(driver, lambda d: row_for(d, "alice-main") is not None, "alice's wallet")
    revoked = requests.delete(auth.url(f"/api/v1/access-tokens/{issued['id']}"), headers=admin, timeout=10)
    assert revoked.status_code == 204, revoked.text
    message = driver.find_element(By.ID, "sign-in-message")
    wait_for(driver, sign_in_view_shown, "the sign-in view after the token was revoked",
             timeout=REVOCATION_NOTICED_WITHIN)
    wait_for(driver, lambda d: "Your session ended" in message.text, "the session's end said")
    assert "revoked" in message.text, message.text
    assert driver.switch_to.active_element.get_attribute("id") == "access-token"
    assert driver.execute_script("return window.__sameDocument") == "kept", "the page reloaded itself"
    assert_no_token_kept(driver)
    assert "alice-main" not in driver.page_source
    assert not driver.find_element(By.ID, "connection").is_displayed()
    Page(driver, auth.server).screenshot("auth-04-session-ended")

    # Revoked while the page was away: the reload finds out and says so.
    issued = issue_token(auth, "alice", "read")
    sign_in(driver, issued["token"])
    wait_dashboard(driver)
    assert requests.delete(auth.url(f"/api/v1/access-tokens/{issued['id']}"), headers=admin,
                           timeout=10).status_code == 204
    driver.refresh()
    wait_for(driver, sign_in_view_shown, "the sign-in view after a reload with a revoked token")
    message = driver.find_element(By.ID, "sign-in-message")
    assert message.text == "Your session ended: the token was revoked.", message.text
    assert_no_token_kept(driver)

    # A revoked token cannot sign in again.
    sign_in(driver, issued["token"])
    error = driver.find_element(By.ID, "access-token-error")
    wait_for(driver, lambda d: "the token was revoked" in error.text, "the refusal of the revoked token")
    assert_no_script_errors(driver)


def test_too_many_connections_are_said_and_not_retried(driver, server_factory, devchain):
    auth = start_auth_server(server_factory, devchain, SERVER_MAX_STREAM_CONNECTIONS_PER_USER="1")
    open_signed_out(driver, auth)
    sign_in(driver, auth.tokens["alice-read"])
    wait_dashboard(driver)
    first = driver.current_window_handle

    # A second tab (its own session storage) signs in as alice too: the server refuses its stream.
    driver.switch_to.new_window("tab")
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _SOCKET_COUNTER})
    open_signed_out(driver, auth)
    sign_in(driver, auth.tokens["alice-read"])
    wait_for(driver, lambda d: d.find_element(By.ID, "connection").get_attribute("data-state") == "refused",
             "the refused connection")
    banner = driver.find_element(By.ID, "stream-problem")
    assert banner.is_displayed() and banner.get_attribute("role") == "alert"
    assert "too many open connections" in banner.text and "at most 1 stream connections per user" in banner.text
    assert driver.find_element(By.ID, "connection-text").text == "Not live"
    retry = driver.find_element(By.ID, "reconnect")
    assert retry.is_displayed()
    time.sleep(5)
    assert driver.execute_script("return window.__sockets") == 1, "the page kept reconnecting after 4429"
    assert driver.find_element(By.ID, "connection").get_attribute("data-state") == "refused"
    Page(driver, auth.server).screenshot("auth-05-too-many-connections")

    # The first tab signs out; "Retry now" then connects.
    driver.switch_to.window(first)
    driver.find_element(By.ID, "sign-out").click()
    wait_for(driver, sign_in_view_shown, "the first tab signed out")
    driver.switch_to.window([h for h in driver.window_handles if h != first][0])
    state = lambda: driver.find_element(By.ID, "connection").get_attribute("data-state")  # noqa: E731
    # The server frees the first tab's place once its close arrives: until then a retry is refused again.
    for _ in range(10):
        if retry.is_displayed():
            retry.click()
        wait_for(driver, lambda d: state() in ("live", "refused"), "an answer to Retry now")
        if state() == "live":
            break
        time.sleep(0.5)
    assert state() == "live"
    assert not driver.find_element(By.ID, "stream-problem").is_displayed()
    assert_no_script_errors(driver)


def test_without_required_tokens_the_dashboard_works_and_a_token_picks_the_user(driver, server_factory, devchain):
    set_eth(devchain, ALICE_WALLET, ETH)
    set_eth(devchain, OWNER_WALLET, 4 * ETH)
    auth = start_auth_server(server_factory, devchain, required="false")
    # Without a token, requests act for the first user, owner.
    owned = requests.post(auth.url("/api/v1/wallets"), json={"chain": "ethereum", "address": OWNER_WALLET,
                                                               "label": "owner-cold"}, timeout=10)
    assert owned.status_code == 201, owned.text

    page = Page(driver, auth.server)
    page.open()  # no sign-in: the stream goes live as before
    wait_for(driver, lambda d: "4 ETH" in row_for(d, "owner-cold").text, "owner's wallet")
    assert row_for(driver, "alice-main") is None
    assert not driver.find_element(By.ID, "sign-in").is_displayed()
    assert driver.find_element(By.ID, "account-lead").text == "Acting as"
    assert driver.find_element(By.ID, "account-user").text == "owner"
    assert driver.find_element(By.ID, "account-scope").text == "admin"
    assert not driver.find_element(By.ID, "sign-out").is_displayed()
    offer = driver.find_element(By.ID, "sign-in-open")
    assert offer.is_displayed() and offer.text == "Sign in with a token"
    assert driver.find_element(By.ID, "add-wallet").is_displayed()
    page.wait_flashes_done()
    page.screenshot("auth-06-no-token-needed")

    offer.click()
    wait_for(driver, sign_in_view_shown, "the sign-in view")
    assert driver.switch_to.active_element.get_attribute("id") == "access-token"
    assert "owner-cold" not in driver.page_source
    cancel = driver.find_element(By.ID, "sign-in-cancel")
    assert cancel.is_displayed() and cancel.text == "Continue without a token"
    sign_in(driver, auth.tokens["alice-read"])
    wait_dashboard(driver)
    wait_for(driver, lambda d: row_for(d, "alice-main") is not None, "alice's wallet")
    assert row_for(driver, "owner-cold") is None
    assert driver.find_element(By.ID, "account-lead").text == "Signed in as"
    assert driver.find_element(By.ID, "account-user").text == "alice"
    assert not driver.find_element(By.ID, "add-wallet").is_displayed()

    driver.find_element(By.ID, "sign-out").click()
    wait_for(driver, sign_in_view_shown, "the sign-in view after signing out")
    assert_no_token_kept(driver)
    driver.find_element(By.ID, "sign-in-cancel").click()
    wait_dashboard(driver)
    wait_for(driver, lambda d: row_for(d, "owner-cold") is not None, "owner's wallet again")
    assert driver.find_element(By.ID, "account-user").text == "owner"
    assert_no_script_errors(driver)


def test_a_restart_that_starts_asking_for_tokens_brings_the_sign_in_view(driver, server_factory, devchain):
    set_eth(devchain, OWNER_WALLET, ETH)
    port = free_port()
    database = server_factory.database_path("restart.sqlite")
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--database", str(database)]
    environment = lambda required: chain_environment(devchain, AUTH_REQUIRED=required,  # noqa: E731
                                                     ETHEREUM_POLL_INTERVAL="0.5")
    server = server_factory.start(args, environment("false"))
    add_wallet(server, OWNER_WALLET, label="owner-cold")
    page = Page(driver, server)
    page.open()
    wait_for(driver, lambda d: row_for(d, "owner-cold") is not None, "owner's wallet without a token")

    assert server.stop() == 0
    wait_for(driver, lambda d: page.connection()[0] in ("reconnecting", "offline"), "the page to see the drop")
    server_factory.start(args, environment("true"))
    # The stream comes back without a token and is told to authenticate: the page asks for one.
    wait_for(driver, sign_in_view_shown, "the sign-in view once the server asks for tokens")
    assert driver.find_element(By.ID, "sign-in-message").text == "This server now asks for an access token."
    assert not driver.find_element(By.ID, "sign-in-cancel").is_displayed()
    assert "owner-cold" not in driver.page_source
    assert page.still_same_document()
    assert_no_script_errors(driver)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_sign_in_view_passes_axe(driver, server_factory, devchain, scheme):
    """axe-core finds no violation at all on the sign-in view, as shown and with a refusal."""
    auth = start_auth_server(server_factory, devchain)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    open_signed_out(driver, auth)
    found = axe_violations(driver)
    assert found == [], "\n".join(found)
    sign_in(driver, "cpt_" + "B" * 43)
    wait_for(driver, lambda d: d.find_element(By.ID, "access-token-error").text != "", "the refusal")
    found = axe_violations(driver)
    assert found == [], "\n".join(found)
    if scheme == "dark":
        background = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
        assert Page.luminance(background) < 0.05, background
    Page(driver, auth.server).screenshot(f"auth-07-sign-in-{scheme}-refused")
    assert_contrast(driver)
    assert_no_script_errors(driver)


def test_the_stream_and_api_refuse_what_the_page_does_not_send(server_factory, devchain):
    """What the page relies on: /me answers 401 without a token, and the stream asks for the
    auth message before anything else."""
    from websockets.sync.client import connect

    auth = start_auth_server(server_factory, devchain)
    refused = requests.get(auth.url("/api/v1/me"), timeout=10)
    assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
    me = requests.get(auth.url("/api/v1/me"), headers=bearer(auth.tokens["alice-read"]), timeout=10).json()
    assert (me["user"], me["scope"], me["auth_required"]) == ("alice", "read", True)
    with connect(auth.server.ws_url) as socket:
        socket.send(json.dumps({"op": "subscribe", "topic": "portfolio"}))
        assert json.loads(socket.recv(5))["code"] == "auth_required"
        socket.send(json.dumps({"op": "auth", "token": auth.tokens["alice-read"]}))
        assert json.loads(socket.recv(5)) == {"type": "authenticated", "user": "alice", "scope": "read"}
