"""The data export wizard in a real headless Chromium: answer question by question, fill in the report items,
read the report and download its PDF."""
import base64
import io

import pytest
from pypdf import PdfReader
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FETCH = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(async r => {
  const bytes = new Uint8Array(await r.arrayBuffer());
  let s = ""; for (const b of bytes) s += String.fromCharCode(b);
  done({status: r.status, type: r.headers.get("Content-Type"), body: btoa(s)});
});
"""


def answer(browser, key, value):
    field = WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.find_element(By.ID, f"q-{key}"))
    if field.tag_name == "select":
        Select(field).select_by_value(value)
    else:
        field.send_keys(value)
    browser.find_element(By.CSS_SELECTOR, "#wizard button").click()


def test_wizard_reaches_a_standard_contract_with_its_report_items_and_pdf(browser, live_server):
    from openftz.rulebook.services import rulebook_load

    rulebook_load()  # transactional tests start from an empty database; later tests expect the rulebook
    browser.get(f"{live_server.url}/dataexport/assess/")
    for key, value in [("recipient_foreign_judicial_authority", "no"), ("important_data", "no"), ("state_organ", "no"),
                       ("personal_info_people", "150000"), ("sensitive_personal_info_people", "0"),
                       ("collected_abroad_only", "no"), ("purpose", "none"), ("ftz_registered", "no"), ("ciio", "no"),
                       ("mechanism", "standard_contract")]:
        answer(browser, key, value)

    form = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "items"))
    assert "SCM-5.1" in form.text and "PIPL-56.3" in form.text
    browser.find_element(By.ID, "t-purpose").send_keys("为海外客户提供售后维修服务，仅传输完成服务所需的联系信息")
    browser.find_element(By.ID, "t-recipient_name").send_keys("Acme Service GmbH")
    browser.find_element(By.ID, "t-recipient_country").send_keys("德国")
    form.find_element(By.CSS_SELECTOR, "button").click()

    pathway = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "pathway"))
    assert pathway.get_attribute("data-pathway") == "standard_contract_or_certification"
    report = browser.find_element(By.ID, "report")
    assert "第8条" in report.text and "Acme Service GmbH" in report.text
    assert "answered" in browser.find_element(By.ID, "item-SCM-5.1").get_attribute("class").split()
    assert "未作答" in browser.find_element(By.ID, "item-SCM-5.4").text
    assert browser.find_element(By.ID, "download-doc").get_attribute("href").endswith("/report.doc")

    href = browser.find_element(By.ID, "download-pdf").get_attribute("href")
    assert href.endswith("/report.pdf")
    fetched = browser.execute_async_script(FETCH, href)
    assert fetched["status"] == 200 and fetched["type"] == "application/pdf"
    pdf = base64.b64decode(fetched["body"])
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "订立个人信息出境标准合同" in text and "SCM-5.1" in text and "Acme Service GmbH" in text


def test_wizard_asks_the_zone_questions_and_applies_the_lists_mechanism(browser, live_server):
    """Registered in the Shanghai FTZ (Lingang included) and exporting from within it: the list's row decides."""
    browser.get(f"{live_server.url}/dataexport/assess/")
    for key, value in [("recipient_foreign_judicial_authority", "no"), ("important_data", "no"), ("state_organ", "no"),
                       ("personal_info_people", "50000"), ("sensitive_personal_info_people", "0"),
                       ("collected_abroad_only", "no"), ("purpose", "none"), ("ftz_registered", "yes"), ("exports_from_zone", "yes"),
                       ("ciio", "no"), ("ftz_negative_list", "on_list"), ("ftz_list_mechanism", "security_assessment")]:
        if key == "exports_from_zone":
            assert "临港新片区" in browser.find_element(By.CSS_SELECTOR, "label[for=q-exports_from_zone]").text
        answer(browser, key, value)
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "items"))
    assert "DSAM-5.1" in browser.find_element(By.ID, "items").text  # nationally exempt (50,000 people), the list requires an assessment
