"""A record's history page in a real headless Chromium (skipped where chromium is missing, as in test_browser.py)."""
import pytest

from tests.test_browser import site  # noqa: F401  (the live server with the rulebook; `browser` is in conftest.py)
from tests.test_records import Registry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_history_page(browser, site):  # noqa: F811
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    reg = Registry()
    reg.issue_ebl("BRW1")
    reg.do("shipper", "BRW1", "endorse_to_order", {"to": "bank"}, place="CNSHA")
    reg.do("bank", "BRW1", "to_paper", {"statement": "信用证要求纸质提单"}, place="HKHKG")
    browser.get(f"{site}/records/")
    browser.find_element(By.LINK_TEXT, "BRW1").click()
    assert browser.find_element(By.CSS_SELECTOR, "h1.record-id").text == "BRW1"
    assert browser.find_element(By.ID, "record-holder").text.startswith("银行")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.history tbody tr")
    assert len(rows) == 3 and "HKHKG" in rows[2].text and "信用证要求纸质提单" in rows[2].text
    assert "失效" in browser.find_element(By.ID, "record-status").text
    assert browser.find_elements(By.CSS_SELECTOR, "p.integrity-ok")
    browser.find_element(By.CSS_SELECTOR, "a.lang").click()
    WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: "Endorsement to order" in d.find_element(By.CSS_SELECTOR, "table.history").text)
