"""The zone's negative list and important-data catalogue (SH-39, SH-40), matched against declared categories."""
import datetime as dt
import json

import pytest

from openftz.core.errors import InvalidInput
from openftz.dataexport import rules, services
from openftz.dataexport.models import CatalogueEntry
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db
EXAMPLE = ROOT / "data" / "dataexport" / "ftz-lists-example.yaml"
ON = dt.date(2026, 6, 1)


def raw(categories, *, ftz=True, people=200_000, sensitive=0, from_zone=True, ciio=False):
    return {"processor": {"ciio": ciio, "state_organ": False, "ftz_registered": ftz, "exports_from_zone": from_zone},
            "transfer": {"recipient_foreign_judicial_authority": False, "important_data": False, "personal_info_people": people,
                         "sensitive_personal_info_people": sensitive, "collected_abroad_only": False, "purpose": None,
                         "ftz_negative_list": None, "categories": categories}}


@pytest.fixture
def lists(db):
    return services.lists_load(EXAMPLE)


def test_example_lists_load_marked_as_examples(lists):
    assert lists == 7 and CatalogueEntry.objects.filter(example=False).count() == 0
    assert services.lists_load(EXAMPLE) == 7 and CatalogueEntry.objects.count() == 7  # idempotent


def test_off_the_list_in_a_covered_sector_is_exempt_with_a_warning_about_the_example(lists):
    result = services.assess_with_lists(raw([{"sector": "智能网联汽车", "category": "车辆保养记录"}]), on=ON)
    assert result["pathway"] == "exempt" and result["list_match"]["ftz_negative_list"] == "off_list"
    assert "DX-WARN-EXAMPLE-LIST" in [w["id"] for w in result["warnings"]]


def test_on_the_list_the_rows_mechanism_replaces_the_national_thresholds(lists):
    cars = [{"sector": "智能网联汽车", "category": "车外视频图像数据"}]  # the row requires a security assessment
    result = services.assess_with_lists(raw(cars), on=ON)
    assert result["pathway"] == "security_assessment" and result["list_match"]["ftz_negative_list"] == "on_list"
    assert result["trace"][-1]["rule"] == "DX-FTZ-LIST-MECHANISM"
    assert services.assess_with_lists(raw(cars, people=10), on=ON)["pathway"] == "security_assessment"  # nationally exempt
    # registered in the zone but exporting from outside it: the list does not apply, the national thresholds do
    assert services.assess_with_lists(raw(cars, from_zone=False), on=ON)["pathway"] == "standard_contract_or_certification"
    assert services.assess_with_lists(raw(cars, ciio=True), on=ON)["trace"][-1]["rule"] == "DX-CIIO"  # never for a CIIO


def test_a_rows_own_trigger(lists):
    health = [{"sector": "再保险", "category": "投保人健康信息"}]  # contract or certification from 10,000 people or 1,000 sensitive
    below = services.assess_with_lists(raw(health, people=9_999, sensitive=999), on=ON)
    assert below["pathway"] == "exempt" and below["trace"][-1]["rule"] == "DX-FTZ-LIST-MECHANISM"
    assert services.assess_with_lists(raw(health, people=10_000), on=ON)["pathway"] == "standard_contract_or_certification"
    assert services.assess_with_lists(raw(health, people=2_000_000), on=ON)["pathway"] == "standard_contract_or_certification"
    assert services.assess_with_lists(raw(health, people=0, sensitive=1_000), on=ON)["pathway"] == "standard_contract_or_certification"
    entry = CatalogueEntry.objects.get(sector="再保险", category="投保人健康信息")
    assert (entry.trigger_people, entry.trigger_sensitive) == (10_000, 1_000)


def test_list_mechanism_takes_the_strictest_row_reached():
    rows = [{"kind": "negative_list", "mechanism": "standard_contract_or_certification", "trigger_people": 10, "trigger_sensitive": None},
            {"kind": "negative_list", "mechanism": "security_assessment", "trigger_people": 1000, "trigger_sensitive": None},
            {"kind": "important_data", "mechanism": "security_assessment", "trigger_people": None, "trigger_sensitive": None}]
    assert rules.list_mechanism(rows, 5, 0) == "not_triggered"
    assert rules.list_mechanism(rows, 10, 0) == "standard_contract_or_certification"
    assert rules.list_mechanism(rows, 1000, 0) == "security_assessment"
    assert rules.list_mechanism(rows[2:], 1000, 0) is None


def test_a_bad_trigger_is_refused(tmp_path):
    bad = tmp_path / "lists.yaml"
    bad.write_text("source: x\neffective_from: 2026-01-01\nnegative_list:\n  - {sector: a, category: b, mechanism: security_assessment, "
                   "trigger: {people: -1}}\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        services.lists_load(bad)
    assert CatalogueEntry.objects.count() == 0


def test_catalogued_important_data_needs_an_assessment(lists):
    result = services.assess_with_lists(raw([{"sector": "智能网联汽车", "category": "测绘地理信息"}], people=0), on=ON)
    assert result["pathway"] == "security_assessment" and result["list_match"]["important_data"] is True


def test_uncovered_sector_and_non_ftz_processor(lists):
    assert services.assess_with_lists(raw([{"sector": "零售", "category": "会员信息"}]), on=ON)["list_match"]["ftz_negative_list"] is None
    outside = services.assess_with_lists(raw([{"sector": "智能网联汽车", "category": "车辆保养记录"}], ftz=False), on=ON)
    assert outside["pathway"] == "standard_contract_or_certification"  # the FTZ list is only for FTZ processors


def test_bad_categories(lists):
    with pytest.raises(InvalidInput) as raised:
        services.assess_with_lists(raw("汽车"), on=ON)
    assert raised.value.details["field"] == "transfer.categories"


def test_match_lists_is_pure():
    rows = [rules.ListRow("negative_list", "航运", "船员信息", "standard_contract_or_certification")]
    assert rules.match_lists([("航运", "船员信息")], rows)["ftz_negative_list"] == "on_list"
    assert rules.match_lists([("航运", "货物信息")], rows)["ftz_negative_list"] == "off_list"
    assert rules.match_lists([("航运", "货物信息"), ("金融", "账户")], rows)["ftz_negative_list"] is None
    assert rules.match_lists([], rows)["ftz_negative_list"] is None


def test_api_with_categories(client, lists):
    body = raw([{"sector": "生物医药", "category": "人类遗传资源信息"}])
    response = client.post("/api/dataexport/assess", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and response.json()["list_match"]["ftz_negative_list"] == "on_list"
