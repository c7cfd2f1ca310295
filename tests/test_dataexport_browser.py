"""The data export wizard in a real headless Chromium: answer question by question, read the report."""
import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer(browser, key, value):
    field = WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.find_element(By.ID, f"q-{key}"))
    if field.tag_name == "select":
        Select(field).select_by_value(value)
    else:
        field.send_keys(value)
    browser.find_element(By.CSS_SELECTOR, "#wizard button").click()


def test_wizard_reaches_a_standard_contract(browser, live_server):
    from openftz.rulebook.services import rulebook_load

    rulebook_load()  # transactional tests start from an empty database; later tests expect the rulebook
    browser.get(f"{live_server.url}/dataexport/assess/")
    for key, value in [("recipient_foreign_judicial_authority", "no"), ("important_data", "no"), ("state_organ", "no"),
                       ("personal_info_people", "150000"), ("sensitive_personal_info_people", "0"),
                       ("collected_abroad_only", "no"), ("purpose", "none"), ("ftz_registered", "no"), ("ciio", "no")]:
        answer(browser, key, value)
    pathway = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "pathway"))
    assert pathway.get_attribute("data-pathway") == "standard_contract_or_certification"
    assert "第8条" in browser.find_element(By.ID, "report").text
    assert browser.find_element(By.ID, "download-doc").get_attribute("href").endswith("format=doc")
