"""`openftz procurement …`: JSON lines out, one line and exit 2 on bad input, the demo data."""
import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from openftz.cli import app
from openftz.procurement import ocds
from openftz.procurement.models import Challenge, Debriefing, Procedure

from .conftest import awarded_procedure

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["procurement", *args])


def lines(result):
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_procedures_from_a_file_to_a_record_package(world, tmp_path):
    spec = tmp_path / "procedure.json"
    spec.write_text(json.dumps({"entity": "ftz-hospital", "method": "limited", "limited_grounds": ["additional_deliveries"],
                                "title": "CT 配套工作站补充采购", "rationale": "与原设备技术一致"}, ensure_ascii=False), encoding="utf-8")
    ocid = lines(run("procedures", "create", str(spec), "--as", "officer"))[0]["ocid"]
    stage = tmp_path / "tenderers.json"
    stage.write_text(json.dumps({"tag": "tenderUpdate", "tenderers": ["alpha-med"]}))
    assert lines(run("procedures", "release", ocid, str(stage), "--as", "officer"))[0]["tag"] == ["tenderUpdate"]
    assert [p["ocid"] for p in lines(run("procedures", "list"))] == [ocid]
    package = lines(run("procedures", "package", ocid))[0]
    assert ocds.package_errors(package, "record") == []
    compiled = lines(run("procedures", "show", ocid))[0]
    assert compiled["tender"]["procurementMethodRationaleClassifications"][0]["id"] == "additional_deliveries"
    ended = lines(run("procedures", "end", ocid, "--as", "officer"))[0]
    assert ended["retain_until"] and Procedure.objects.get(ocid=ocid).ended_on


def test_challenges_and_debriefings_by_their_users(world):
    procedure = awarded_procedure(world)
    filed = lines(run("challenges", "file", procedure.ocid, "--grounds", "评分错误", "--knew-on", "2025-04-17", "--as", "beta"))[0]
    assert filed["late"] is True and filed["status"] == "filed"  # knowledge in 2025: far beyond ten days
    assert lines(run("challenges", "route", str(filed["id"]), "--action", "reject_late", "--as", "review"))[0]["status"] == "rejected_late"
    assert [c["id"] for c in lines(run("challenges", "list", "--as", "beta"))] == [filed["id"]]
    assert lines(run("challenges", "list", "--as", "alpha")) == []
    asked = lines(run("debriefings", "request", procedure.ocid, "--question", "为何未中标", "--as", "gamma"))[0]
    answered = lines(run("debriefings", "answer", str(asked["id"]), "--answer", "技术得分较低", "--as", "officer"))[0]
    assert answered["answered_on"] and Debriefing.objects.get().answer == "技术得分较低"
    entry = lines(run("debarments", "add", "--supplier", "gamma-med", "--entity", "ftz-hospital", "--contract", "HT-7",
                      "--breach-on", "2024-03-01", "--decided-on", "2024-04-01", "--grounds", "重大违约", "--as", "officer"))[0]
    assert [d["id"] for d in lines(run("debarments", "list", "--as", "gamma"))] == [entry["id"]]


@pytest.mark.parametrize("args, words", [
    (["challenges", "list", "--as", "nobody-at-all"], "no user"),
    (["challenges", "list", "--as", "nobody"], "forbidden"),
    (["challenges", "route", "999", "--action", "accept", "--as", "review"], "not_found"),
    (["procedures", "show", "ocds-none"], "not_found"),
    (["procedures", "package", "ocds-none", "--kind", "zip"], "invalid_input"),
    (["debarments", "add", "--supplier", "gamma-med", "--entity", "ftz-hospital", "--contract", "x", "--breach-on", "2024-02-30",
      "--decided-on", "2024-03-01", "--grounds", "x", "--as", "officer"], "not a date"),
])
def test_bad_input_is_one_line_and_exit_2(world, args, words):
    result = run(*args)
    assert result.exit_code == 2 and words in result.output and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode),
                      st.dictionaries(st.sampled_from(["entity", "method", "title", "value", "items", "fees"]),
                                      st.one_of(st.none(), st.integers(), st.text(max_size=20), st.lists(st.integers(), max_size=2)),
                                      max_size=6).map(lambda d: json.dumps(d).encode())))
def test_any_procedure_file_is_a_procedure_or_one_clear_line(world, tmp_path_factory, body):
    path = tmp_path_factory.mktemp("in") / "p.json"
    path.write_bytes(body)
    before = Procedure.objects.count()
    result = run("procedures", "create", str(path), "--as", "officer")
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert len(result.output.strip().splitlines()) == 1 and Procedure.objects.count() == before


def test_the_demo_data_is_loaded_once_and_labelled(db, client):
    result = run("demo")
    assert result.exit_code == 0, result.output
    assert "演示数据" in result.stdout and "review-body-demo" in result.stdout
    assert Procedure.objects.filter(is_demo=True).count() == 3 and Challenge.objects.filter(late=True).count() == 1
    assert Challenge.objects.filter(status="dismissed").exists() and Debriefing.objects.count() == 2
    assert all(ocds.release_errors(p.compiled) == [] for p in Procedure.objects.all())
    assert "演示数据 / demo data" in client.get("/procurement/").content.decode()
    assert run("demo").exit_code == 2
    assert run("demo", "--if-empty").exit_code == 0
