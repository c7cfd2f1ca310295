"""The rulebook's pages hold to the page rules of tests/tour.py: both widths, both languages, axe-core, no other host."""
import pytest

from .tour import tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/", "/plans/SC/", "/plans/SH/", "/measures/SH-43/", "/measures/SC-28/", "/units/", "/search/?q=数据出境"]


@pytest.fixture
def site(live_server):
    from openftz.rulebook.services import rulebook_load

    rulebook_load()
    return live_server.url


def test_rulebook_pages_in_both_languages_at_both_widths(browser, site):
    from openftz.rulebook.models import Unit

    unit = Unit.objects.order_by("pk").first()
    pages = PAGES + [f"/units/{unit.pk}/"]
    failures = tour(browser, site, pages + ["/en" + p for p in pages])
    assert not failures, "\n".join(f"{r.url} @{r.width}px: " + "; ".join(r.problems) for r in failures)


@pytest.mark.django_db
def test_home_counts_the_80_measures_of_the_state_council_plan(client):
    from openftz.rulebook.services import rulebook_load

    rulebook_load()
    page = client.get("/en/").content.decode()
    assert "<dd>80</dd>" in page and "<dd>117</dd>" in page
    assert "State Council" in page and '<span lang="zh-Hans">国发〔2023〕23号</span>' in page
