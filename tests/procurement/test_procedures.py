"""Procedures kept as OCDS 1.1 releases: each change a new release, the compiled release current, packages valid."""
import datetime as dt
from decimal import Decimal

import pytest

from openftz.core.errors import InvalidInput
from openftz.procurement import ocds, selectors, services
from openftz.procurement.models import AuditEntry, Release

from .conftest import T0, awarded_procedure, open_procedure


def test_a_procedure_is_registered_as_a_valid_ocds_tender_release(world):
    procedure = open_procedure(world)
    release = procedure.releases.get().data
    assert ocds.release_errors(release) == []
    assert release["tag"] == ["tender"] and release["ocid"] == procedure.ocid and release["language"] == "zh"
    assert release["tender"]["procurementMethod"] == "open"
    assert release["tender"]["title"] == "医用影像设备采购"
    assert release["tender"]["title_en"] == "Procurement of medical imaging equipment"
    entity = release["parties"][0]
    assert entity["roles"] == ["buyer", "procuringEntity"] and entity["name"] == "自贸区示范医院"
    assert entity["address"]["streetAddress"] == "张杨路100号" and entity["contactPoint"]["email"] == "cg@hospital.example"
    assert procedure.compiled["tag"] == ["compiled"] and procedure.compiled["tender"]["value"] == {"amount": 3500000, "currency": "CNY"}
    assert AuditEntry.objects.filter(action="procedure_create", ocid=procedure.ocid).count() == 1


def test_each_stage_is_a_new_release_with_its_own_id_and_date_and_the_compiled_release_follows(world):
    procedure = awarded_procedure(world)
    services.procedure_release_add(actor=world["users"]["officer"], procedure=procedure, tag="contract",
                                   contracts=[{"id": "C1", "awardID": "1", "value": {"amount": 3300000, "currency": "CNY"},
                                               "dateSigned": (T0 + dt.timedelta(days=50)).isoformat()}],
                                   when=T0 + dt.timedelta(days=50))
    procedure.refresh_from_db()
    releases = list(procedure.releases.order_by("seq"))
    assert [r.tags for r in releases] == [["tender"], ["tenderUpdate"], ["award"], ["contract"]]
    assert len({r.release_id for r in releases}) == 4 and len({r.date for r in releases}) == 4
    compiled = procedure.compiled
    assert compiled["date"] == releases[-1].data["date"] and procedure.stage == "contract"
    assert compiled["tender"]["title"] == "医用影像设备采购" and compiled["tender"]["numberOfTenderers"] == 3
    assert compiled["awards"][0]["suppliers"] == [{"id": "alpha-med", "name": "阿尔法医疗"}]
    roles = {p["id"]: p["roles"] for p in compiled["parties"]}
    assert roles["alpha-med"] == ["supplier", "tenderer"] and roles["beta-med"] == ["tenderer"]
    assert compiled["contracts"][0]["awardID"] == "1"
    assert ocds.release_errors(compiled) == []
    assert compiled == ocds.compile_releases([r.data for r in releases])


def test_packages_are_valid_release_and_record_packages(world):
    procedure = awarded_procedure(world)
    release_package = selectors.procedure_package(procedure, "release")
    record_package = selectors.procedure_package(procedure, "record")
    assert ocds.package_errors(release_package, "release") == []
    assert ocds.package_errors(record_package, "record") == []
    assert len(release_package["releases"]) == 3
    record = record_package["records"][0]
    assert record["ocid"] == procedure.ocid and record["compiledRelease"] == procedure.compiled


@pytest.mark.parametrize("method, grounds, code", [
    ("limited", [], "PW-GROUND-MISSING"),
    ("limited", ["cheapest"], "PW-GROUND-UNKNOWN"),
    ("open", ["urgency"], "PW-GROUND-NOT-LIMITED"),
    ("negotiated", [], "PW-METHOD"),
])
def test_limited_procedures_need_an_sh72_ground_and_nothing_is_written_otherwise(world, method, grounds, code):
    before = (Release.objects.count(), AuditEntry.objects.count())
    with pytest.raises(InvalidInput) as exc:
        open_procedure(world, method=method, limited_grounds=grounds)
    assert exc.value.details["findings"][0]["rule"] == code
    assert (Release.objects.count(), AuditEntry.objects.count()) == before


def test_a_limited_procedure_states_its_ground_as_a_rationale_classification(world):
    procedure = open_procedure(world, method="limited", limited_grounds=["sole_supplier"], rationale="专利产品,仅一家供应商")
    tender = procedure.compiled["tender"]
    assert tender["procurementMethodRationaleClassifications"] == [
        {"scheme": "OpenFTZ-SH72", "id": "sole_supplier", "description": "只能由特定供应商提供"}]
    assert tender["procurementMethodRationale"] == "专利产品,仅一家供应商"


def test_a_selective_procedure_carries_the_sh73_items_of_its_prequalification_notice(world):
    with pytest.raises(InvalidInput) as exc:
        open_procedure(world, method="selective", eligibility_criteria="")
    missing = {f["path"] for f in exc.value.details["findings"]}
    assert missing == {"tender.participationFees", "tender.eligibilityCriteria"}
    procedure = open_procedure(world, method="selective", fees=[services.Fee("资格预审文件免费", Decimal(0))],
                               max_candidates=5, selection_criteria="按资格评分从高到低选取前5名")
    tender = procedure.compiled["tender"]
    assert tender["secondStage"] == {"maximumCandidates": 5, "description": "按资格评分从高到低选取前5名"}
    assert tender["participationFees"][0]["value"] == {"amount": 0, "currency": "CNY"}


def test_a_release_that_breaks_the_schema_is_refused_and_writes_nothing(world):
    procedure = open_procedure(world)
    with pytest.raises(InvalidInput) as exc:
        services.procedure_release_add(actor=world["users"]["officer"], procedure=procedure, tag="award",
                                       awards=[{"id": "1", "status": "won"}], when=T0 + dt.timedelta(days=2))
    assert exc.value.details["schema_errors"][0]["path"] == "awards/0/status"
    procedure.refresh_from_db()
    assert procedure.release_count == 1 and procedure.releases.count() == 1


def test_a_contract_must_name_a_known_award_and_the_method_cannot_change(world):
    procedure = open_procedure(world)
    officer = world["users"]["officer"]
    with pytest.raises(InvalidInput, match="unknown award"):
        services.procedure_release_add(actor=officer, procedure=procedure, tag="contract", contracts=[{"id": "C", "awardID": "9"}])
    with pytest.raises(InvalidInput, match="fixed"):
        services.procedure_release_add(actor=officer, procedure=procedure, tag="tenderUpdate", tender={"procurementMethod": "limited"})
    with pytest.raises(InvalidInput, match="no party"):
        services.procedure_release_add(actor=officer, procedure=procedure, tag="tenderUpdate", tenderers=["nobody-co"])


def test_the_end_of_a_procedure_starts_its_fifteen_years(world):
    procedure = awarded_procedure(world)
    ended = services.procedure_end(actor=world["users"]["officer"], procedure=procedure, status="complete",
                                   when=T0 + dt.timedelta(days=60))
    assert ended.ended_on == (T0 + dt.timedelta(days=60)).date() and ended.retain_until == dt.date(2040, 5, 2)
    assert ended.compiled["tender"]["status"] == "complete" and ended.stage == "ended"
    with pytest.raises(InvalidInput):
        services.procedure_release_add(actor=world["users"]["officer"], procedure=ended, tag="tenderUpdate", tender={"description": "x"})
