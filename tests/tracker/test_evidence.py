"""Evidence files are served to whoever may see their report, as downloads, never through a public media URL."""
import email.message
import email.utils

import pytest
from django.test import Client
from django.urls import reverse

from openftz.tracker import services
from openftz.tracker.models import Evidence

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n% the rules as issued\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(user) -> Client:
    client = Client()
    if user:
        client.force_login(user)
    return client


@pytest.fixture
def report(people, own_task):
    return services.report_submit(
        actor=people["officer"], task=own_task, narrative="细则已印发", progress=100, status="in_force",
        files=[services.Upload("实施细则\r\n(定稿)\u202e.pdf", PDF, "application/pdf")],
        links=[services.DocumentLink("https://example.org/doc", "沪署规〔2024〕1号", "细则")],
    )


def test_coordinator_downloads_the_evidence_a_unit_uploaded(people, report):
    evidence = report.evidence.exclude(sha256="").get()
    response = _client(people["coordinator"]).get(f"/tracker/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert "%0D" not in disposition and "%0A" not in disposition and "%E2%80%AE" not in disposition  # CR, LF, RLO removed
    message = email.message.Message()
    message["Content-Disposition"] = disposition
    offered = email.utils.collapse_rfc2231_value(message.get_params(header="content-disposition")[-1][1])
    assert offered == "实施细则 (定稿).pdf"  # the UTF-8 name (filename*), its line break a space


def test_the_units_officer_downloads_it_too_and_no_one_else(people, report):
    evidence = report.evidence.exclude(sha256="").get()
    url = f"/tracker/evidence/{evidence.pk}/"
    assert _client(people["officer"]).get(url).status_code == 200
    assert _client(people["other_officer"]).get(url).status_code == 403
    assert _client(people["enterprise"]).get(url).status_code == 403
    anonymous = _client(None).get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_links_and_unknown_ids_are_not_found(people, report):
    link = report.evidence.filter(sha256="").get()
    coordinator = _client(people["coordinator"])
    assert coordinator.get(f"/tracker/evidence/{link.pk}/").status_code == 404
    assert coordinator.get("/tracker/evidence/999999/").status_code == 404


def test_a_file_missing_from_storage_is_a_404_not_a_500(people, report):
    evidence = report.evidence.exclude(sha256="").get()
    evidence.file.storage.delete(evidence.file.name)
    assert _client(people["coordinator"]).get(f"/tracker/evidence/{evidence.pk}/").status_code == 404


def test_the_task_page_and_the_api_link_to_the_guarded_view(people, report, own_task):
    evidence = report.evidence.exclude(sha256="").get()
    url = reverse("tracker:evidence", args=[evidence.pk])
    page = _client(people["coordinator"]).get(f"/tracker/tasks/{own_task.pk}/").content.decode()
    assert f'href="{url}"' in page and "/media/" not in page
    api = _client(people["coordinator"]).get(f"/api/tracker/tasks/{own_task.pk}/reports").json()
    downloads = [e["download"] for e in api[0]["evidence"]]
    assert downloads == [url, None] or downloads == [None, url]
    assert Evidence.objects.filter(report=report).count() == 2
