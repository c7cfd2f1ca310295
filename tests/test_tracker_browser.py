"""The tracker end to end in a real headless Chromium: a unit officer files a report with evidence, the
coordinator accepts it, and the task, the measure's public page and the dashboard move."""
import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "browser-test-password"


@pytest.fixture
def site(live_server):
    from django.contrib.auth import get_user_model

    from openftz.rulebook.models import Unit
    from openftz.rulebook.services import rulebook_load
    from openftz.tracker.models import Profile, Task
    from openftz.tracker.services import tasks_sync

    rulebook_load()  # transactional tests start from an empty database
    tasks_sync()
    User = get_user_model()
    for name, role, unit in (("coordinator", "coordinator", None), ("customs", "unit_officer", "上海海关")):
        user = User.objects.create_user(name, password=PASSWORD)
        Profile.objects.create(user=user, role=role, unit=Unit.objects.get(name=unit) if unit else None)
    own = Task.objects.filter(unit__name="上海海关", is_lead=True).order_by("pk").first()
    other = Task.objects.exclude(unit__name="上海海关").order_by("pk").first()
    return live_server.url, own, other


def login(browser, url, username):
    browser.delete_all_cookies()
    browser.get(f"{url}/tracker/login/")
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button").click()
    WebDriverWait(browser, 10).until(lambda d: "/login/" not in d.current_url)


def text_of(browser, url, selector):
    browser.get(url)
    return WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, selector))).text


def test_report_accepted_moves_the_measure_and_the_dashboard(browser, site, tmp_path):
    url, own, other = site
    pdf = tmp_path / "细则.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")

    login(browser, url, "customs")
    public_before = text_of(browser, f"{url}/tracker/progress/{own.measure_id}/", "#measure-progress")
    browser.get(f"{url}/tracker/tasks/{other.pk}/")
    assert browser.find_element(By.ID, "page-error").get_attribute("data-code") == "forbidden"  # another unit's task

    browser.get(f"{url}/tracker/tasks/{own.pk}/")
    form = browser.find_element(By.ID, "report-form")
    form.find_element(By.NAME, "narrative").send_keys("细则已起草并报送海关总署审核。")
    form.find_element(By.CSS_SELECTOR, "select[name=status] option[value=awaiting_approval]").click()
    progress = form.find_element(By.NAME, "progress")
    progress.clear()
    progress.send_keys("60")
    form.find_element(By.NAME, "files").send_keys(str(pdf))
    form.find_element(By.NAME, "link_url").send_keys("https://example.org/rules")
    form.find_element(By.NAME, "link_doc_number").send_keys("沪关规〔2024〕2号")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    report = WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "article.report")))
    assert "沪关规〔2024〕2号" in report.text and "细则.pdf" in report.text
    assert browser.find_element(By.ID, "task-progress").text == "0%"  # not before the coordinator accepts

    login(browser, url, "coordinator")
    dashboard_before = text_of(browser, f"{url}/tracker/dashboard/", "#overall-progress")
    assert browser.find_element(By.ID, "to-review").text == "1"
    browser.get(f"{url}/tracker/tasks/{own.pk}/")
    browser.find_element(By.CSS_SELECTOR, "form.review button.accept").click()
    WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.find_element(By.ID, "task-progress").text == "60%")

    assert text_of(browser, f"{url}/tracker/progress/{own.measure_id}/", "#measure-progress") != public_before
    assert text_of(browser, f"{url}/tracker/dashboard/", "#overall-progress") != dashboard_before
    assert browser.find_element(By.ID, "to-review").text == "0"
    charts = browser.find_elements(By.CSS_SELECTOR, "#chapter-chart svg, #heatmap-chart svg")
    assert len(charts) == 2  # ECharts drew both (vendored, no network)
