"""The procurement check page in a real headless Chromium: upload real OCDS data, read the report, follow a citation."""
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).parent / "data" / "procurement"


def test_upload_real_data_and_follow_a_citation(browser, live_server):
    from openftz.rulebook.services import rulebook_load

    rulebook_load()  # transactional tests start from an empty database; the measure pages need the rulebook
    browser.get(f"{live_server.url}/procurement/check/")
    browser.find_element(By.ID, "id_file").send_keys(str(DATA / "armenia/sample/releases/6.json"))
    browser.find_element(By.ID, "check-button").click()
    report = WebDriverWait(browser, 20).until(lambda d: d.find_element(By.ID, "report"))
    assert "100" in report.text
    # Armenia's direct awards (NPA and similar codes, data/procurement/methods.yaml) are not tenders: no tender period
    # is owed, so the tender-period rule finds no violation; two of them name no single-source ground SH-72 allows.
    tender = browser.find_element(By.CSS_SELECTOR, '#by-rule tr[data-rule="PROC-TENDER-PERIOD"]')
    assert tender.find_element(By.CSS_SELECTOR, "td.violations").text == "0"
    row = browser.find_element(By.CSS_SELECTOR, '#by-rule tr[data-rule="PROC-METHOD-GROUND"]')
    assert row.find_element(By.CSS_SELECTOR, "td.violations").text == "2"
    assert browser.find_elements(By.CSS_SELECTOR, 'tr.finding[data-rule="PROC-METHOD-GROUND"][data-severity="violation"]')
    assert browser.find_element(By.ID, "download-xlsx").get_attribute("href").endswith(".xlsx")
    row.find_element(By.LINK_TEXT, "SH-72").click()
    WebDriverWait(browser, 10).until(lambda d: "/measures/SH-72/" in d.current_url)
    assert "单一来源" in browser.find_element(By.TAG_NAME, "main").text
