"""Every tracker page holds to the page rules of tests/tour.py (both widths, both languages, axe-core, no other
host, no unmarked foreign text): the public pages anonymous, the signed-in pages as the coordinator and as a unit
officer, over the demo data (reports, risks, cases, feedback, a suspended measure)."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from .tour import tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = ["/tracker/progress/", "/tracker/progress/?chapter=3", "/tracker/progress/SH-39/", "/tracker/login/"]




@pytest.fixture
def site(live_server):
    from openftz.rulebook.services import rulebook_load
    from openftz.tracker.demo import demo_load

    rulebook_load()  # transactional tests start from an empty database
    demo_load(seed=2024)
    return live_server.url


def both_languages(paths):
    return list(paths) + ["/en" + p for p in paths]


def login(browser, url, username):
    from openftz.tracker.demo import DEMO_PASSWORD

    browser.delete_all_cookies()
    browser.get(f"{url}/tracker/login/")
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(DEMO_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button").click()
    WebDriverWait(browser, 10).until(lambda d: "/login/" not in d.current_url)


def failures_text(failures):
    return "\n".join(f"{r.url} @{r.width}px: " + "; ".join(r.problems) for r in failures)


def test_public_tracker_pages(browser, site):
    failures = tour(browser, site, both_languages(PUBLIC))
    assert not failures, failures_text(failures)


def test_coordinator_pages(browser, site):
    from openftz.tracker.models import Report, Task

    task = Report.objects.filter(state="submitted").order_by("pk").first().task  # a task with a report to review
    stopped = Task.objects.filter(status="suspended").order_by("pk").first()
    login(browser, site, "coordinator")
    pages = ["/tracker/dashboard/", "/tracker/tasks/", "/tracker/tasks/?page=2&rag=green", f"/tracker/tasks/{task.pk}/",
             f"/tracker/tasks/{stopped.pk}/", "/tracker/reviews/", "/tracker/risks/", "/tracker/cases/", "/tracker/feedback/",
             "/tracker/excel/"]
    failures = tour(browser, site, both_languages(pages))
    assert not failures, failures_text(failures)


def test_unit_officer_pages(browser, site):
    from openftz.tracker.models import Task

    task = Task.objects.filter(unit__name="上海海关", reports__isnull=False).order_by("pk").first()
    login(browser, site, "officer-customs")
    pages = ["/tracker/dashboard/", "/tracker/tasks/", f"/tracker/tasks/{task.pk}/", "/tracker/risks/", "/tracker/feedback/",
             "/tracker/excel/"]
    failures = tour(browser, site, both_languages(pages))
    assert not failures, failures_text(failures)
