"""My work in a real browser: signing in lands there, and the page holds to the page rules of tests/tour.py (both
widths, both languages, axe-core, lang marking) for a unit officer with many items and for a user with none."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.tour import WIDTHS, check_page
from tests.tracker.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    from openftz.rulebook.services import rulebook_load
    from openftz.tracker.services import tasks_sync

    rulebook_load()
    tasks_sync()
    make_user("customs", "unit_officer", "上海海关")
    make_user("nobody")
    return live_server.url


def sign_in(browser, url, username):
    browser.delete_all_cookies()
    browser.get(f"{url}/tracker/login/")
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys("pw-" + username)
    browser.find_element(By.CSS_SELECTOR, "#login-form button").click()
    WebDriverWait(browser, 10).until(lambda d: "/login/" not in d.current_url)


def test_my_work_after_sign_in_for_two_roles_in_both_languages(browser, site):
    problems = []
    for username, marker in (("customs", "work-summary"), ("nobody", "work-empty")):
        sign_in(browser, site, username)
        assert browser.current_url == f"{site}/work/"
        for path in ("/work/", "/en/work/"):
            for width in WIDTHS:
                report = check_page(browser, site + path, width)
                assert browser.find_elements(By.ID, marker), (username, path)
                problems += [f"{username} {path} @{width}px: {p}" for p in report.problems]
    assert not problems, "\n".join(problems)
