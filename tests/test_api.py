"""The rulebook API under /api/rulebook/ and its error shape."""
import pytest

pytestmark = pytest.mark.django_db


def test_measure_list_and_filters(client):
    body = client.get("/api/rulebook/measures").json()
    assert body["count"] == 198
    sh = client.get("/api/rulebook/measures", {"plan": "SH", "chapter": 6}).json()
    assert sh["count"] > 0 and all(m["plan"] == "SH" and m["chapter_number"] == 6 for m in sh["measures"])
    by_unit = client.get("/api/rulebook/measures", {"unit": "上海海关"}).json()
    assert by_unit["count"] == 15 and all("上海海关" in m["units"] for m in by_unit["measures"])


def test_one_measure(client):
    m = client.get("/api/rulebook/measures/SH-43").json()
    assert m["id"] == "SH-43" and m["plan"] == "SH" and m["number"] == 43 and m["implements"]
    assert client.get("/api/rulebook/measures/sh-43").json()["id"] == "SH-43"
    sc = client.get("/api/rulebook/measures/SC-closing").json()
    assert sc["number"] is None and "SH-113" in sc["implemented_by"]


def test_unknown_measure_is_404_in_both_languages(client):
    response = client.get("/api/rulebook/measures/SH-999")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found" and "SH-999" in body["message_zh"] and "SH-999" in body["message_en"]


def test_units(client):
    body = client.get("/api/rulebook/units").json()
    assert body["count"] == 46
    names = [u["name"] for u in body["units"]]
    assert "浦东新区政府(上海自贸试验区管委会)" in names and "各有关部门" in names


def test_search(client):
    body = client.get("/api/rulebook/search", {"q": "电子发票"}).json()
    assert body["count"] >= 1 and body["results"][0]["snippet_match"] == "电子发票"
    english = client.get("/api/rulebook/search", {"q": "Peppol"}).json()
    assert english["count"] >= 1


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "x" * 201}, {"q": "数据", "limit": 0}, {"q": "数据", "plan": "XX"}])
def test_bad_search_parameters_are_422(client, params):
    response = client.get("/api/rulebook/search", params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input" and body["message_zh"] and body["message_en"]


def test_unknown_unit_filter_is_404(client):
    response = client.get("/api/rulebook/measures", {"unit": "不存在的单位"})
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_openapi_docs(client):
    assert client.get("/api/docs").status_code == 200
    assert client.get("/en/api/docs")["Location"] == "/api/docs"
    spec = client.get("/api/openapi.json").json()
    assert "/api/rulebook/measures/{measure_id}" in spec["paths"]


def test_api_docs_load_nothing_from_another_host(client):
    """Swagger UI comes from this host's static files (django-ninja ships them), so the docs work offline."""
    import re

    from django.contrib.staticfiles import finders

    page = client.get("/api/docs").content.decode()
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "the docs page loads from another host"
    assets = re.findall(r"(?:src|href)=\"/static/([^\"]+)\"", page)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets) and any(a.endswith(".css") for a in assets)
    assert all(finders.find(a) for a in assets)
