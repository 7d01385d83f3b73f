"""The dashboard under its own Content-Security-Policy in headless Chromium: it loads, goes live
and adds, renames and deletes a wallet (same-origin writes through the cross-origin check) with
no violation, while the policy really refuses inline code and the page cannot be framed."""

from __future__ import annotations

import pytest
import requests
from selenium.webdriver.common.by import By

from dashboard_browser import Page, assert_no_script_errors, browser_driver, csp_violations, row_for, wait_for
from test_chains import chain_environment, devchain  # noqa: F401  (devchain is a fixture)

WALLET = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"


@pytest.fixture
def driver():
    chrome = browser_driver()
    yield chrome
    chrome.quit()


def test_the_dashboard_works_under_its_policy(driver, server_factory, devchain):
    server = server_factory.start(env=chain_environment(devchain, ETHEREUM_POLL_INTERVAL="0.5"))
    policy = requests.get(server.url("/"), timeout=5).headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "frame-ancestors 'none'" in policy

    page = Page(driver, server)
    page.open()  # the stream is live and the first snapshot drawn
    driver.find_element(By.ID, "wallet-address").send_keys(WALLET)
    driver.find_element(By.ID, "wallet-label").send_keys("csp")
    driver.find_element(By.CSS_SELECTOR, "#add-wallet button[type=submit]").click()
    wait_for(driver, lambda d: row_for(d, "csp") is not None, "the wallet added through the page")
    listed = requests.get(server.url("/api/v1/wallets"), timeout=5).json()["wallets"]
    assert [w["label"] for w in listed] == ["csp"]
    driver.find_element(By.ID, "theme").click()  # the theme switch and its stored pick
    assert_no_script_errors(driver)


def test_the_policy_refuses_inline_code_and_framing(driver, server_factory, devchain):
    server = server_factory.start(env=chain_environment(devchain))
    Page(driver, server).open()
    assert csp_violations(driver) == []
    ran = driver.execute_script("""
        const script = document.createElement('script');
        script.textContent = 'window.__inlineRan = true';
        document.head.append(script);
        const style = document.createElement('style');
        style.textContent = 'body { display: none }';
        document.head.append(style);
        return window.__inlineRan === true;""")
    assert ran is False
    assert driver.find_element(By.TAG_NAME, "body").is_displayed()
    wait_for(driver, lambda d: len(csp_violations(d)) >= 2, "the refusals to be reported")
    refused = " ".join(csp_violations(driver))
    assert "script-src" in refused and "style-src" in refused, refused

    # Another page framing the dashboard shows nothing of it.
    driver.get("data:text/html,<iframe id=f src='" + server.url("/") + "'></iframe>")
    driver.switch_to.frame(driver.find_element(By.ID, "f"))
    wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete", "the frame to load")
    # Chromium shows its own error page in place of a refused frame.
    assert driver.execute_script("return location.href").startswith("chrome-error://"), driver.page_source[:300]
    assert driver.find_elements(By.ID, "wallets") == []
