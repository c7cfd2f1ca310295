"""In a real headless Chromium: a supplier files a challenge on a procedure, the review body accepts and decides
it, and the supplier sees the decision."""
import datetime as dt

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from .conftest import awarded_procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, live_server, username, next_path):
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/tracker/login/?next={next_path}")
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys("pw")
    browser.find_element(By.CSS_SELECTOR, "#login-form button").click()
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith(next_path))


def submit(browser, form_id):
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, f"#{form_id} button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: old.id != d.find_element(By.TAG_NAME, "html").id)


def test_a_supplier_challenges_the_review_body_decides_the_supplier_sees_it(browser, live_server, world, flushable_records):
    procedure = awarded_procedure(world)
    page = f"/procurement/procedures/{procedure.ocid}/"
    log_in(browser, live_server, "beta", page)
    browser.find_element(By.ID, "file-challenge").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, "challenge-form"))
    browser.find_element(By.ID, "id_grounds").send_keys("评标委员会未按招标文件规定的评分标准打分")
    browser.execute_script("document.getElementById('id_knew_on').value = arguments[0]", dt.date.today().isoformat())
    browser.find_element(By.ID, "id_evidence").send_keys("评标结果公告")
    submit(browser, "challenge-form")
    assert browser.find_element(By.ID, "challenge-status").text == "已提出"
    assert browser.find_elements(By.ID, "in-time")
    challenge_path = browser.current_url.removeprefix(live_server.url)

    log_in(browser, live_server, "review", challenge_path)
    Select(browser.find_element(By.CSS_SELECTOR, "#route-form select")).select_by_value("accept")
    submit(browser, "route-form")
    assert browser.find_element(By.ID, "challenge-status").text == "已受理"
    Select(browser.find_element(By.CSS_SELECTOR, "#decide-form select")).select_by_value("uphold")
    browser.find_element(By.CSS_SELECTOR, "#decide-form textarea").send_keys("质疑成立,责令采购人重新组织评审。")
    submit(browser, "decide-form")

    log_in(browser, live_server, "beta", "/en/procurement/challenges/")
    row = browser.find_element(By.CSS_SELECTOR, "#challenges tbody tr")
    assert "Upheld" in row.text
    row.find_element(By.TAG_NAME, "a").click()
    decision = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "decision"))
    assert "Upheld" in decision.text and "质疑成立,责令采购人重新组织评审。" in decision.text
    assert dt.date.today().isoformat() in decision.text
    assert not browser.find_elements(By.ID, "decide-form")
