"""Approvals: recorded by the enterprise or the zone administration, reminded of by the daily job, flagged by
transfers that go beyond them — through the service, the API, the CLI and the page."""
import datetime as dt
import json

import pytest
from django.test import Client
from typer.testing import CliRunner

from openftz.cli import app as cli
from openftz.dataexport import services
from openftz.dataexport.access import Forbidden
from openftz.dataexport.models import Approval, CatalogueEntry, RecordedTransfer, Reminder, Representative
from openftz.dataexport.tasks import daily_reminders, schedule_daily_reminders
from openftz.parties.models import Party
from openftz.tracker.models import Profile

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def world(django_user_model):
    firm = Party.objects.create(id="demo-auto", name_zh="示例汽车有限公司", foreign_scheme="GB-COH", foreign_id="01234567")
    other = Party.objects.create(id="other-firm", name_zh="另一公司", foreign_scheme="GB-COH", foreign_id="07654321")
    rep = django_user_model.objects.create_user("auto-rep", password="pw")
    Representative.objects.create(user=rep, party=firm)
    admin = django_user_model.objects.create_user("coordinator", password="pw")
    Profile.objects.create(user=admin, role="coordinator")
    stranger = django_user_model.objects.create_user("stranger", password="pw")
    return {"firm": firm, "other": other, "rep": rep, "admin": admin, "stranger": stranger}


def record(world, **kw):
    args = {"actor": world["rep"], "party_id": "demo-auto", "kind": "security_assessment", "reference": "CAC-2026-001",
            "granted_on": D(2026, 3, 2), "recipient_countries": ["DE"], "today": D(2026, 3, 2)}
    return services.approval_record(**{**args, **kw})


def raw(people=0, sensitive=0, *, countries=None, categories=None, important=False):
    transfer = {"recipient_foreign_judicial_authority": False, "important_data": important, "personal_info_people": people,
                "sensitive_personal_info_people": sensitive, "collected_abroad_only": False, "purpose": None, "ftz_negative_list": None}
    if countries is not None:
        transfer["recipient_countries"] = countries
    if categories is not None:
        transfer["categories"] = [{"sector": s, "category": c} for s, c in categories]
    return {"processor": {"ciio": False, "state_organ": False, "ftz_registered": False}, "transfer": transfer}


# — recording ——————————————————————————————————————————————————————————————————————————————


def test_validity_is_computed_and_who_may_record(world):
    approval, warnings = record(world)
    assert approval.valid_until == D(2029, 3, 2) and [w["id"] for w in warnings] == ["DX-WARN-NO-CATEGORIES"]
    contract, warnings = record(world, kind="standard_contract", reference="SC-备-7", granted_on=D(2026, 10, 20),
                                contract_effective_on=D(2026, 9, 29), categories=[{"sector": "国际航运", "category": "船员个人信息"}],
                                today=D(2026, 10, 20))
    assert contract.valid_until is None and [w["id"] for w in warnings] == ["DX-WARN-LATE-FILING"]  # due 19 October
    for actor, party in ((world["rep"], "other-firm"), (world["stranger"], "demo-auto")):
        with pytest.raises(Forbidden):
            record(world, actor=actor, party_id=party, reference="X-1")
    admin_made, _ = record(world, actor=world["admin"], party_id="other-firm", kind="certification", reference="CERT-1",
                           granted_on=D(2026, 2, 1))
    assert admin_made.valid_until == D(2029, 2, 1)
    assert Approval.objects.count() == 3


@pytest.mark.parametrize("bad", [
    {"recipient_countries": ["CN"]}, {"recipient_countries": []}, {"granted_on": D(2026, 3, 3)}, {"reference": "a\x00b"},
    {"kind": "certification", "granted_on": D(2025, 12, 1)}, {"contract_effective_on": D(2026, 1, 1)},
    {"categories": [{"sector": "", "category": "x"}]}, {"replaces": 999999}, {"kind": "visa"},
])
def test_bad_input_records_nothing(world, bad):
    with pytest.raises(Exception) as error:
        record(world, **bad)
    assert getattr(error.value, "status", 500) in (404, 422)
    assert not Approval.objects.exists() and not Reminder.objects.exists()


def test_extension_and_replacement(world):
    first, _ = record(world, granted_on=D(2024, 1, 15), today=D(2024, 1, 15))
    assert first.valid_until == D(2026, 1, 15)  # two years under the 2022 Measures
    extended, _ = record(world, reference="CAC-延-1", granted_on=D(2025, 12, 1), replaces=first.pk, extension=True, today=D(2025, 12, 1))
    assert extended.valid_until == D(2029, 1, 15) and extended.is_extension
    with pytest.raises(Exception, match="replaced already"):
        record(world, reference="CAC-延-2", replaces=first.pk, extension=True)
    extended.needs_refiling = True
    extended.save()
    with pytest.raises(Exception, match="cannot be extended"):
        record(world, reference="CAC-延-3", replaces=extended.pk, extension=True)


# — reminders ——————————————————————————————————————————————————————————————————————————————


def test_the_daily_job_reminds_once_of_each_stage(world):
    approval, _ = record(world, granted_on=D(2024, 1, 2), reference="CAC-2024-9", today=D(2024, 1, 2))  # valid until 2026-01-02
    created = []
    day = D(2025, 9, 1)
    while day <= D(2026, 1, 10):
        services.reminders_tick(today=day)
        services.reminders_tick(today=day)  # idempotent: a second run the same day creates nothing
        created = list(approval.reminders.order_by("due_on").values_list("kind", "due_on"))
        day += dt.timedelta(days=1)
    assert [k for k, _ in created] == ["expires_in_90_days", "extension_window_opens", "expires_in_30_days", "expired"]
    assert dict(created)["expired"] == D(2026, 1, 3)
    window = approval.reminders.get(kind="extension_window_opens")
    assert window.cites == ["促进和规范数据跨境流动规定 第9条"] and "60" in window.message_zh and window.warnings == []


def test_a_late_recording_gets_the_current_stage_at_once(world):
    approval, _ = record(world, granted_on=D(2023, 12, 20), reference="CAC-old", today=D(2025, 12, 1))  # ends 2025-12-20
    assert sorted(approval.reminders.values_list("kind", flat=True)) == ["expires_in_30_days", "extension_window_opens"]


def test_the_task_schedules_itself():
    assert schedule_daily_reminders() is True and schedule_daily_reminders() is False
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.get(task_path=daily_reminders.module_path, status="READY")
    assert waiting.run_after is not None


# — transfers that go beyond an approval ————————————————————————————————————————————————————


def test_a_new_recipient_country_flags_the_contract(world):
    contract, _ = record(world, kind="standard_contract", reference="SC-1", recipient_countries=["DE"])
    ok = services.transfer_record(actor=world["rep"], party_id="demo-auto", on=D(2026, 4, 1), raw=raw(150_000, countries=["DE"]))
    assert ok.pathway == "standard_contract_or_certification" and not any(w["id"].startswith("DX-WARN-REFILING") for w in ok.assessment["warnings"])
    beyond = services.transfer_record(actor=world["rep"], party_id="demo-auto", on=D(2026, 5, 1), raw=raw(1_000, countries=["US"]))
    contract.refresh_from_db()
    assert contract.needs_refiling and [r["id"] for r in contract.refiling_reasons] == ["DX-REFILE-COUNTRY"]
    assert contract.refiling_reasons[0]["transfer"] == beyond.pk
    assert beyond.assessment["warnings"][-1]["id"] == "DX-WARN-REFILING"
    reminder = contract.reminders.get(kind="needs_refiling")
    assert "US" in reminder.message_zh and reminder.due_on == D(2026, 5, 1)


def test_counts_crossing_into_a_security_assessment_flag_every_contract(world):
    first, _ = record(world, kind="standard_contract", reference="SC-1")
    second, _ = record(world, kind="certification", reference="CERT-1", recipient_countries=["SG"])
    services.transfer_record(actor=world["rep"], party_id="demo-auto", on=D(2026, 4, 1), raw=raw(900_000))
    assert not Approval.objects.filter(needs_refiling=True).exists()
    crossing = services.transfer_record(actor=world["rep"], party_id="demo-auto", on=D(2026, 6, 1), raw=raw(100_000))
    assert crossing.pathway == "security_assessment" and crossing.cumulative_people == 1_000_000
    for approval in (first, second):
        approval.refresh_from_db()
        assert "DX-REFILE-PATHWAY" in [r["id"] for r in approval.refiling_reasons]


def test_a_new_category_of_important_data_flags_the_assessment(world):
    CatalogueEntry.objects.create(kind="important_data", sector="智能网联汽车", category="测绘地理信息", mechanism="security_assessment",
                                  source="test", effective_from=D(2024, 1, 1))
    assessment, _ = record(world, categories=[{"sector": "智能网联汽车", "category": "车外视频图像数据"}])
    transfer = services.transfer_record(actor=world["rep"], party_id="demo-auto", on=D(2026, 4, 1),
                                        raw=raw(0, countries=["DE"], categories=[("智能网联汽车", "测绘地理信息")]))
    assert transfer.pathway == "security_assessment"
    assessment.refresh_from_db()
    assert [r["id"] for r in assessment.refiling_reasons] == ["DX-REFILE-IMPORTANT-DATA"]


def test_several_approvals_none_covering_asks_which(world):
    record(world, kind="standard_contract", reference="SC-DE", recipient_countries=["DE"])
    named, _ = record(world, kind="standard_contract", reference="SC-FR", recipient_countries=["FR"])
    unclear = services.transfer_record(actor=world["rep"], party_id="demo-auto", on=D(2026, 4, 1), raw=raw(150_000, countries=["US"]))
    assert unclear.assessment["warnings"][-1]["id"] == "DX-WARN-APPROVAL-UNCLEAR"
    assert not Approval.objects.filter(needs_refiling=True).exists()
    services.transfer_record(actor=world["rep"], party_id="demo-auto", on=D(2026, 4, 2), raw=raw(1, countries=["US"]), approval_id=named.pk)
    assert list(Approval.objects.filter(needs_refiling=True)) == [named]
    before = RecordedTransfer.objects.count()
    with pytest.raises(Exception, match="not one of this party's approvals"):
        services.transfer_record(actor=world["rep"], party_id="demo-auto", on=D(2026, 4, 3), raw=raw(1), approval_id=named.pk + 100)
    assert RecordedTransfer.objects.count() == before


def test_no_approval_is_said(world):
    transfer = services.transfer_record(actor=world["rep"], party_id="demo-auto", on=D(2026, 4, 1), raw=raw(150_000))
    assert transfer.assessment["warnings"][-1]["id"] == "DX-WARN-NO-APPROVAL"


# — API ————————————————————————————————————————————————————————————————————————————————————


def post(client, body):
    return client.post("/api/dataexport/approvals", data=json.dumps(body), content_type="application/json")


BODY = {"party": "demo-auto", "kind": "security_assessment", "reference": "CAC-API-1", "granted_on": "2026-03-02",
        "recipient_countries": ["de"], "categories": [{"sector": "智能网联汽车", "category": "车外视频图像数据"}]}


def test_api(world):
    client = Client()
    assert post(client, BODY).status_code == 401
    assert client.get("/api/dataexport/approvals").status_code == 401
    client.force_login(world["stranger"])
    denied = client.get("/api/dataexport/approvals")
    assert denied.status_code == 403 and denied.json()["code"] == "forbidden"
    assert post(client, BODY).status_code == 403
    client.force_login(world["rep"])
    created = post(client, BODY)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["valid_until"] == "2029-03-02" and body["recipient_countries"] == ["DE"] and body["status"] == "valid"
    assert body["window_opens"] and body["window_warnings"][0]["id"] == "WORKDAYS-ESTIMATED"  # 2029 has no published schedule here
    assert post(client, {**BODY, "party": "other-firm", "reference": "X"}).status_code == 403
    for bad in ({**BODY, "recipient_countries": ["CN"]}, {**BODY, "reference": "dup\x00"}, {**BODY, "recipient_countries": []},
                {**BODY, "granted_on": "2999-01-01"}, BODY):  # the last one: the same reference again
        response = post(client, bad)
        assert response.status_code == 422 and set(response.json()) == {"code", "message_zh", "message_en", "details"}
    assert Approval.objects.count() == 1
    listed = client.get("/api/dataexport/approvals").json()
    assert [a["reference"] for a in listed] == ["CAC-API-1"]
    services.transfer_record(actor=world["rep"], party_id="demo-auto", on=D(2026, 4, 1), raw=raw(0, countries=["US"], important=True))
    reminders = client.get("/api/dataexport/reminders").json()
    assert [r["kind"] for r in reminders] == ["needs_refiling"] and reminders[0]["party"] == "demo-auto"
    assert client.get("/api/dataexport/approvals").json()[0]["status"] == "needs_refiling"
    client.force_login(world["admin"])
    assert len(client.get("/api/dataexport/approvals", {"party": "demo-auto"}).json()) == 1
    assert client.get("/api/dataexport/approvals", {"party": "other-firm"}).json() == []


def test_transfers_api_takes_the_recipient_countries(world):
    client = Client()
    client.force_login(world["rep"])
    contract, _ = record(world, kind="standard_contract", reference="SC-1")
    body = {**raw(150_000, countries=["US"]), "party": "demo-auto", "transferred_on": "2026-04-01", "approval": contract.pk}
    created = client.post("/api/dataexport/transfers", data=json.dumps(body), content_type="application/json")
    assert created.status_code == 201 and created.json()["assessment"]["warnings"][-1]["id"] == "DX-WARN-REFILING"
    bad = {**body, "transfer": {**body["transfer"], "recipient_countries": ["ZZ"]}}
    assert client.post("/api/dataexport/transfers", data=json.dumps(bad), content_type="application/json").status_code == 422
    assert RecordedTransfer.objects.count() == 1


# — CLI and page ———————————————————————————————————————————————————————————————————————————


def test_cli(world, tmp_path):
    runner = CliRunner()
    path = tmp_path / "approval.json"
    path.write_text(json.dumps({**BODY, "granted_on": "2024-01-02", "reference": "CAC-CLI"}), encoding="utf-8")
    made = runner.invoke(cli, ["dataexport", "approval-record", str(path)])
    assert made.exit_code == 0, made.output
    assert json.loads(made.output)["valid_until"] == "2026-01-02"
    tick = runner.invoke(cli, ["dataexport", "tick"])
    assert tick.exit_code == 0 and "approvals 1  reminders created 0" in tick.output  # reminded when recorded: it has expired
    lines = [json.loads(line) for line in runner.invoke(cli, ["dataexport", "approvals"]).output.splitlines()]
    assert [a["status"] for a in lines] == ["expired"]
    reminders = [json.loads(line) for line in runner.invoke(cli, ["dataexport", "reminders", "--party", "demo-auto"]).output.splitlines()]
    assert [r["kind"] for r in reminders] == ["expired"]
    path.write_text(json.dumps({**BODY, "recipient_countries": ["CN"], "reference": "CAC-CLI-2"}), encoding="utf-8")
    for args in (["approval-record", str(path)], ["approval-record", str(tmp_path / "missing.json")], ["represent", "nobody", "demo-auto"]):
        failed = runner.invoke(cli, ["dataexport", *args])
        assert failed.exit_code == 2 and len(failed.output.strip().splitlines()) == 1, failed.output
    assert runner.invoke(cli, ["dataexport", "represent", "stranger", "other-firm"]).exit_code == 0
    assert Representative.objects.get(user=world["stranger"]).party_id == "other-firm"


def test_page(world):
    client = Client()
    assert client.get("/dataexport/approvals/").status_code == 302  # log in first
    client.force_login(world["stranger"])
    assert client.get("/dataexport/approvals/").status_code == 403
    client.force_login(world["rep"])
    made = client.post("/dataexport/approvals/", {"party": "demo-auto", "kind": "standard_contract", "reference": "SC-PAGE",
                                                  "granted_on": "2026-10-20", "countries": "DE，FR", "categories": "国际航运/船员个人信息",
                                                  "contract_effective_on": "2026-10-19"})
    assert made.status_code == 200 and 'id="approval-created"' in made.content.decode()
    approval = Approval.objects.get()
    assert approval.recipient_countries == ["DE", "FR"] and approval.categories == [{"sector": "国际航运", "category": "船员个人信息"}]
    refused = client.post("/dataexport/approvals/", {"party": "demo-auto", "kind": "standard_contract", "reference": "SC-2",
                                                     "granted_on": "2026-10-20", "countries": "CN"})
    assert refused.status_code == 422 and 'id="approval-error"' in refused.content.decode()
    assert client.post("/dataexport/approvals/", {"party": "other-firm", "kind": "certification", "reference": "Z",
                                                  "granted_on": "2026-10-20", "countries": "DE"}).status_code == 403
    assert Approval.objects.count() == 1
    page = client.get("/dataexport/approvals/").content.decode()
    assert "SC-PAGE" in page and 'data-status="valid"' in page
    assert "Standard contract" in client.get("/en/dataexport/approvals/").content.decode()


# — certificates: the renewal deadline of 个人信息出境认证办法 Art. 8 ————————————————————————————————————————


def test_a_certificate_is_reminded_before_its_renewal_deadline(world):
    certificate, _ = record(world, kind="certification", reference="PIC-2026-1", granted_on=D(2026, 3, 1), today=D(2026, 3, 1))
    assert certificate.valid_until == D(2029, 3, 1)
    day = D(2028, 5, 1)
    while day <= D(2029, 3, 5):
        services.reminders_tick(today=day)
        day += dt.timedelta(days=7)
    created = dict(certificate.reminders.values_list("kind", "due_on"))
    assert created["renewal_due_in_90_days"] == D(2028, 6, 3) and created["renewal_deadline"] == D(2028, 9, 1)
    assert all(due < D(2028, 9, 2) for kind, due in created.items() if kind.startswith("renewal"))
    assert certificate.reminders.get(kind="renewal_deadline").cites == ["个人信息出境认证办法 第8条"]
    client = Client()
    client.force_login(world["rep"])
    listed = client.get("/api/dataexport/approvals").json()[0]
    assert listed["renewal_deadline"] == "2028-09-01" and listed["window_opens"] is None


# — important data notified: the application within 2 months, reminded in the approvals module ——————————————————


NOTICE = {"party": "demo-auto", "notified_on": "2026-03-15", "reference": "沪数告〔2026〕1号", "notified_by": "上海市数据局",
          "categories": [{"sector": "智能网联汽车", "category": "测绘地理信息"}]}


def test_an_important_data_notice_is_reminded_until_the_application(world):
    notice, warnings = services.important_data_notice_record(actor=world["rep"], party_id="demo-auto", notified_on=D(2026, 3, 15),
                                                             today=D(2026, 3, 15))
    assert warnings == [] and notice.reminders.count() == 0
    for day in (D(2026, 4, 15), D(2026, 5, 8), D(2026, 5, 16), D(2026, 5, 16)):
        services.reminders_tick(today=day)
    assert list(notice.reminders.order_by("due_on").values_list("kind", flat=True)) == [
        "application_due_in_30_days", "application_due_in_7_days", "application_overdue"]
    overdue = notice.reminders.get(kind="application_overdue")
    assert overdue.cites == ["国家网信办 数据出境安全管理政策问答（2025-05-30）", "网络数据安全管理条例 第37条"] and "2026-03-15" in overdue.message_zh
    answered, _ = services.important_data_notice_record(actor=world["rep"], party_id="demo-auto", notified_on=D(2026, 3, 15),
                                                        applied_on=D(2026, 4, 1), today=D(2026, 5, 20))
    assert answered.reminders.count() == 0, "an application recorded ends the reminders"
    later, _ = services.important_data_notice_record(actor=world["rep"], party_id="demo-auto", notified_on=D(2026, 4, 1), today=D(2026, 4, 1))
    record(world, reference="CAC-2026-ID", granted_on=D(2026, 5, 20), today=D(2026, 5, 20))
    services.reminders_tick(today=D(2026, 6, 5))
    assert later.reminders.count() == 0, "a security assessment result granted since the notice answers it"
    with pytest.raises(Forbidden):
        services.important_data_notice_record(actor=world["rep"], party_id="other-firm", notified_on=D(2026, 3, 15), today=D(2026, 3, 15))
    _, early = services.important_data_notice_record(actor=world["rep"], party_id="demo-auto", notified_on=D(2025, 5, 1), today=D(2025, 5, 2))
    assert [w["id"] for w in early] == ["DX-WARN-NO-APPLICATION-PERIOD"]


def test_notices_api_and_cli(world, tmp_path):
    client = Client()
    post_notice = lambda body: client.post("/api/dataexport/notices", data=json.dumps(body), content_type="application/json")  # noqa: E731
    assert post_notice(NOTICE).status_code == 401
    client.force_login(world["rep"])
    created = post_notice(NOTICE)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["application_deadline"] == "2026-05-15" and body["status"] in ("open", "overdue") and body["warnings"] == []
    assert body["cites"] == ["国家网信办 数据出境安全管理政策问答（2025-05-30）", "网络数据安全管理条例 第37条"]
    assert post_notice({**NOTICE, "party": "other-firm"}).status_code == 403
    for bad in ({**NOTICE, "notified_on": "2999-01-01"}, {**NOTICE, "applied_on": "2026-03-01"}, {**NOTICE, "notified_on": "soon"},
                {**NOTICE, "notified_on": 1773532800}):
        response = post_notice(bad)
        assert response.status_code == 422 and set(response.json()) == {"code", "message_zh", "message_en", "details"}
    assert [n["reference"] for n in client.get("/api/dataexport/notices").json()] == ["沪数告〔2026〕1号"]
    reminders = client.get("/api/dataexport/reminders").json()
    assert all(r["notice"] == body["id"] and r["approval"] is None and r["party"] == "demo-auto" for r in reminders)
    runner = CliRunner()
    path = tmp_path / "notice.json"
    path.write_text(json.dumps({**NOTICE, "reference": "CLI-1"}), encoding="utf-8")
    made = runner.invoke(cli, ["dataexport", "notice-record", str(path)])
    assert made.exit_code == 0 and json.loads(made.output)["application_deadline"] == "2026-05-15", made.output
    lines = [json.loads(line) for line in runner.invoke(cli, ["dataexport", "notices"]).output.splitlines()]
    assert sorted(n["reference"] for n in lines) == ["CLI-1", "沪数告〔2026〕1号"]
    path.write_text(json.dumps({**NOTICE, "notified_on": "2026-02-30"}), encoding="utf-8")
    failed = runner.invoke(cli, ["dataexport", "notice-record", str(path)])
    assert failed.exit_code == 2 and len(failed.output.strip().splitlines()) == 1, failed.output


def test_the_page_shows_notice_reminders_and_the_renewal_deadline(world):
    record(world, kind="certification", reference="PIC-PAGE", granted_on=D(2026, 3, 1), today=D(2026, 3, 1))
    services.important_data_notice_record(actor=world["rep"], party_id="demo-auto", notified_on=D(2026, 3, 15), today=D(2026, 3, 15))
    services.reminders_tick(today=D(2026, 5, 20))
    client = Client()
    client.force_login(world["rep"])
    page = client.get("/dataexport/approvals/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "须于 2028-09-01 前重新申请" in page and "重要数据告知 #" in page and 'data-kind="application_overdue"' in page
    english = client.get("/en/dataexport/approvals/").content.decode()
    assert "apply again by 2028-09-01" in english and "important-data notice #" in english
