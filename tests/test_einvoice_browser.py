"""The single window in a real headless Chromium: the seller sends a real invoice from the page, the buyer opens
its inbox and the message, and accepts the invoice; the seller's outbox then shows it accepted."""
import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.einvoice.conftest import INVOICE, make_user
from tests.test_browser import site  # noqa: F401  (the live server with the rulebook; `browser` is in conftest.py)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser, url, username, next_url):
    browser.delete_all_cookies()
    browser.get(f"{url}/tracker/login/?next={next_url}")
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys("pw")
    browser.find_element(By.CSS_SELECTOR, "#login-form button").click()
    WebDriverWait(browser, 10).until(lambda d: "/login/" not in d.current_url)


def wait_for(browser, by, value):
    return WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.find_element(by, value))


def test_the_buyer_accepts_and_the_seller_sees_it(browser, site):  # noqa: F811
    from openftz.parties.services import party_create

    party_create(party_id="company-a", name_zh="甲公司（丹麦）", name_en="Company A", foreign_scheme="0184",
                 foreign_id="DK12345678")
    party_create(party_id="company-b", name_zh="乙公司（丹麦）", name_en="Company B", foreign_scheme="0184",
                 foreign_id="DK87654321")
    make_user("seller", "company-a")
    make_user("buyer", "company-b")

    login(browser, site, "seller", "/einvoice/send/")
    wait_for(browser, By.ID, "id_document").send_keys(str(INVOICE))
    browser.find_element(By.CSS_SELECTOR, "#send-form button").click()
    level = wait_for(browser, By.ID, "message-level")
    assert "已接受" in level.text
    assert wait_for(browser, By.ID, "invoice-status").get_attribute("data-status") == "AB"

    login(browser, site, "buyer", "/einvoice/")
    row = wait_for(browser, By.CSS_SELECTOR, "#inbox tbody tr")
    assert "甲公司（丹麦）" in row.text and "12345" in row.text
    row.find_element(By.LINK_TEXT, "12345").click()
    form = wait_for(browser, By.ID, "respond-form")
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "Company A" in page and "中国视图" in page and "销售方名称" in page
    form.find_element(By.ID, "respond-submit").click()
    WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.find_element(By.ID, "invoice-status").get_attribute("data-status") == "AP")
    assert "已接受" in browser.find_element(By.ID, "invoice-status").text
    codes = [r.get_attribute("data-code") for r in browser.find_elements(By.CSS_SELECTOR, "#responses tbody tr")]
    assert codes == ["AP", "AB", "AP"]  # MLR accepted, Invoice Response acknowledged, then accepted

    login(browser, site, "seller", "/en/einvoice/outbox/")
    status = wait_for(browser, By.CSS_SELECTOR, "#outbox tbody tr td.status")
    assert status.get_attribute("data-status") == "AP" and "Accepted" in status.text
