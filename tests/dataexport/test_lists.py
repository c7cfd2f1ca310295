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


def raw(categories, *, ftz=True, people=200_000):
    return {"processor": {"ciio": False, "state_organ": False, "ftz_registered": ftz},
            "transfer": {"recipient_foreign_judicial_authority": False, "important_data": False, "personal_info_people": people,
                         "sensitive_personal_info_people": 0, "collected_abroad_only": False, "purpose": None,
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


def test_on_the_list_follows_the_thresholds(lists):
    result = services.assess_with_lists(raw([{"sector": "智能网联汽车", "category": "车外视频图像数据"}]), on=ON)
    assert result["pathway"] == "standard_contract_or_certification" and result["list_match"]["ftz_negative_list"] == "on_list"


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
