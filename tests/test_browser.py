"""The rulebook's pages in a real headless Chromium (the `browser` fixture is in conftest.py)."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    from openftz.rulebook.services import rulebook_load

    rulebook_load()  # transactional tests start from an empty database
    return live_server.url


def test_measure_page(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{site}/measures/SH-43/")
    assert browser.find_element(By.CSS_SELECTOR, "h1.measure-id").text.startswith("SH-43")
    text = browser.find_element(By.CSS_SELECTOR, "blockquote.text").text
    assert "电子" in text
    units = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "ol.units li")]
    assert units and "牵头" in units[0]
    implements = browser.find_elements(By.CSS_SELECTOR, "ul.links a")
    assert implements and implements[0].text.startswith("SC-")
    implements[0].click()
    WebDriverWait(browser, 10).until(lambda d: "/measures/SC-" in d.current_url)
    assert browser.find_element(By.CSS_SELECTOR, "h1.measure-id").text.startswith("SC-")
    assert "SH-43" in [a.text for a in browser.find_elements(By.CSS_SELECTOR, "ul.links a")]


def test_search_from_the_home_page(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{site}/")
    box = browser.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
    box.send_keys("数据出境")
    box.submit()
    WebDriverWait(browser, 10).until(lambda d: "/search/" in d.current_url)
    count = browser.find_element(By.ID, "result-count").text
    assert "数据出境" in count
    results = browser.find_elements(By.CSS_SELECTOR, "ol.results li")
    assert results
    marks = browser.find_elements(By.CSS_SELECTOR, "ol.results mark")
    assert marks[0].text == "数据出境"
    results[0].find_element(By.TAG_NAME, "a").click()
    WebDriverWait(browser, 10).until(lambda d: "/measures/" in d.current_url)
    assert browser.find_element(By.CSS_SELECTOR, "h1.measure-id").text.startswith(("SH-", "SC-"))


def test_english_view(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{site}/en/measures/SC-28/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "unofficial" in browser.find_element(By.CSS_SELECTOR, "p.note").text
    browser.find_element(By.CSS_SELECTOR, "a.lang").click()
    WebDriverWait(browser, 10).until(lambda d: "/en/" not in d.current_url)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hans"
    assert browser.current_url.endswith("/measures/SC-28/") and "/en/" not in browser.current_url
