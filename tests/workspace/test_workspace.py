"""我的工作 / My work: each app's items for the users with a role in it, nothing of another unit or party, and the
order (overdue first, then by deadline). The page, API and CLI are in test_work_page.py."""
from __future__ import annotations

import datetime as dt

import pytest

from openftz.core import workspace
from openftz.core.workspace import WorkItem, collect
from tests.einvoice.conftest import INVOICE, respond, send
from tests.procurement.conftest import T0, awarded_procedure
from tests.tracker.conftest import make_user

pytestmark = pytest.mark.django_db
D = dt.date


def kinds(user, today=None) -> list[tuple[str, str]]:
    return [(i.kind, i.subject) for i in collect(user, today=today).items]


# — the registry: urgency and order ————————————————————————————————————————————————————————————————————————————


def test_overdue_first_then_by_deadline_then_no_deadline(monkeypatch):
    today = D(2026, 5, 4)
    made = [
        WorkItem("a", "later", "later", "s", "/l", today + dt.timedelta(days=20)),
        WorkItem("a", "open", "open", "s", "/o"),
        WorkItem("a", "soon", "soon", "s", "/s", today + dt.timedelta(days=2)),
        WorkItem("a", "flagged", "flagged", "s", "/f", today + dt.timedelta(days=30), overdue=True),
        WorkItem("a", "past", "past", "s", "/p", today - dt.timedelta(days=3)),
        WorkItem("a", "today", "today", "s", "/t", today),
    ]
    workspace.contributors()  # the apps' own sources first, then only this one
    monkeypatch.setattr(workspace, "_CONTRIBUTORS", {"a": workspace.Contributor("a", "A", lambda user, day: made)})
    work = collect(make_user("someone"), today=today)
    assert [i.kind for i in work.items] == ["past", "flagged", "today", "soon", "later", "open"]
    assert [i.urgency for i in work.items] == ["overdue", "overdue", "due_soon", "due_soon", "later", "open"]
    assert work.overdue == 2 and [i.kind for i in work.due_this_week] == ["today", "soon"]
    assert all(i.overdue == (i.urgency == "overdue") for i in work.items)


def test_the_anonymous_user_has_no_work():
    from django.contrib.auth.models import AnonymousUser

    assert collect(AnonymousUser()).groups == []


# — tracker ———————————————————————————————————————————————————————————————————————————————————————————————————


def test_tracker_an_officer_sees_its_own_units_tasks_and_feedback_only(tasks):
    from openftz.tracker import services
    from openftz.tracker.models import Task

    officer = make_user("customs", "unit_officer", "上海海关")
    other = make_user("data", "unit_officer", "市数据局")
    own = Task.objects.filter(unit__name="上海海关").order_by("pk").first()
    Task.objects.filter(pk=own.pk).update(due=D(2026, 6, 1), next_report_due=D(2026, 5, 10))
    items = collect(officer, today=D(2026, 5, 20)).items
    assert items and all(i.subject.endswith("上海海关") for i in items if i.kind in ("task_due", "report_due"))
    mine = [i for i in items if i.url.startswith(f"/tracker/tasks/{own.pk}/")]
    assert [(i.kind, i.deadline, i.urgency) for i in mine] == [("report_due", D(2026, 5, 10), "overdue"),
                                                               ("task_due", D(2026, 6, 1), "later")]
    assert not any(i.subject.endswith("上海海关") for i in collect(other, today=D(2026, 5, 20)).items)

    firm = make_user("firm", "enterprise")
    asked = services.feedback_ask(actor=firm, measure=own.measure, kind="question", text="何时实施?")
    assert ("feedback_to_answer", own.measure_id) in kinds(officer)
    answerers = {t.unit.name for t in Task.objects.filter(measure=own.measure).select_related("unit")}
    assert (("feedback_to_answer", own.measure_id) in kinds(other)) == ("市数据局" in answerers)
    assert kinds(firm) == []  # an enterprise has nothing to do in the tracker
    assert f"#feedback-{asked.pk}" in next(i.url for i in collect(officer).items if i.kind == "feedback_to_answer")


def test_tracker_the_coordinator_reviews_reports_the_officer_does_not(tasks):
    from openftz.tracker import services
    from openftz.tracker.models import Task

    officer = make_user("customs", "unit_officer", "上海海关")
    coordinator = make_user("coord", "coordinator")
    own = Task.objects.filter(unit__name="上海海关").order_by("pk").first()
    report = services.report_submit(actor=officer, task=own, narrative="细则已起草", progress=40, status="drafting_rules")
    review = [i for i in collect(coordinator).items if i.kind == "report_to_review"]
    assert [(i.subject, i.url) for i in review] == [(f"{own.measure_id} · 上海海关", f"/tracker/tasks/{own.pk}/#report-{report.pk}")]
    assert review[0].deadline is None and review[0].urgency == "open"
    assert not [i for i in collect(officer).items if i.kind == "report_to_review"]
    assert not [i for i in collect(coordinator).items if i.kind in ("task_due", "report_due")]  # not the whole register


# — e-invoices ————————————————————————————————————————————————————————————————————————————————————————————————


def test_einvoice_the_buyer_answers_the_seller_hears_back_no_one_else_sees_it(exchange):
    users = exchange["users"]
    message = send(exchange["seller"], INVOICE.read_bytes()).json()
    assert kinds(users["buyer"]) == [("invoice_to_answer", "12345 · 甲公司（丹麦）")]
    assert next(i.url for i in collect(users["buyer"]).items) == f"/einvoice/messages/{message['id']}/"
    for name in ("seller", "chinese", "outsider", "nobody"):
        assert kinds(users[name]) == [], name
    query = respond(exchange["buyer"], message["id"], "UQ", [{"list_id": "OPStatusReason", "code": "REF", "text": "PO?"},
                                                             {"list_id": "OPStatusAction", "code": "PIN"}])
    assert query.status_code == 201, query.content
    assert kinds(users["buyer"]) == []  # the query waits for the seller
    assert kinds(users["seller"]) == [("response_uq", "12345 · 乙公司（丹麦）")]
    for name in ("chinese", "outsider", "nobody"):
        assert kinds(users[name]) == [], name


def test_einvoice_a_rejection_is_news_for_a_week(exchange):
    users = exchange["users"]
    message = send(exchange["seller"], INVOICE.read_bytes()).json()
    assert respond(exchange["buyer"], message["id"], "RE", [{"list_id": "OPStatusReason", "code": "REF", "text": "PO"},
                                                            {"list_id": "OPStatusAction", "code": "NIN"}]).status_code == 201
    assert [k for k, _ in kinds(users["seller"])] == ["response_re"]
    assert kinds(users["seller"], today=dt.date.today() + dt.timedelta(days=30)) == []
    assert kinds(users["buyer"]) == []


# — procurement ———————————————————————————————————————————————————————————————————————————————————————————————


def test_procurement_each_role_sees_its_steps_and_only_its_own(world):
    from openftz.procurement import services

    users = world["users"]
    procedure = awarded_procedure(world)
    asked = T0 + dt.timedelta(days=46)
    debriefing = services.debriefing_request(actor=users["beta"], procedure=procedure, question="为何未中标?", when=asked)
    challenge = services.challenge_file(actor=users["gamma"], procedure=procedure, grounds="评审标准不公开",
                                        knew_on=asked.date(), when=asked)
    before, after = debriefing.due_on - dt.timedelta(days=1), debriefing.due_on + dt.timedelta(days=1)
    officer = collect(users["officer"], today=before).items
    assert {i.kind for i in officer} == {"debriefing_to_answer", "challenge_statement"}
    answer = next(i for i in officer if i.kind == "debriefing_to_answer")
    assert (answer.deadline, answer.urgency, answer.url) == (debriefing.due_on, "due_soon", f"/procurement/debriefings/{debriefing.pk}/")
    assert next(i for i in collect(users["officer"], today=after).items if i.kind == "debriefing_to_answer").overdue
    assert [i.kind for i in collect(users["review"], today=before).items] == ["challenge_to_route"]
    assert [i.kind for i in collect(users["beta"], today=before).items] == ["debriefing_awaited"]
    assert collect(users["supervisor"], today=before).items == []
    assert [i.kind for i in collect(users["supervisor"], today=after).items] == ["debriefing_overdue"]
    for name in ("other_officer", "alpha", "gamma", "nobody"):
        assert collect(users[name], today=after).items == [], name

    services.challenge_route(actor=users["review"], challenge=challenge, action="accept", when=asked)
    assert [i.kind for i in collect(users["review"], today=before).items] == ["challenge_to_decide"]
    services.challenge_statement(actor=users["officer"], challenge=challenge, statement="评审标准已在采购文件中载明")
    services.debriefing_answer(actor=users["officer"], debriefing=debriefing, answer="价格分较低", when=asked)
    assert collect(users["officer"], today=after).items == []
    assert collect(users["beta"], today=after).items == []


# — data export —————————————————————————————————————————————————————————————————————————————————————————————


def test_dataexport_approvals_ending_and_expired_for_their_party_and_the_zone(django_user_model):
    from openftz.dataexport import services
    from openftz.dataexport.models import Representative
    from openftz.parties.models import Party

    firm = Party.objects.create(id="demo-auto", name_zh="示例汽车有限公司", foreign_scheme="GB-COH", foreign_id="01234567")
    other = Party.objects.create(id="other-firm", name_zh="另一公司", foreign_scheme="GB-COH", foreign_id="07654321")
    rep, other_rep = make_user("auto-rep"), make_user("other-rep")
    Representative.objects.create(user=rep, party=firm)
    Representative.objects.create(user=other_rep, party=other)
    zone = make_user("coord", "coordinator")
    common = {"kind": "security_assessment", "granted_on": D(2026, 3, 2), "recipient_countries": ["DE"], "today": D(2026, 3, 2)}
    mine, _ = services.approval_record(actor=rep, party_id="demo-auto", reference="CAC-2026-001", **common)
    services.approval_record(actor=other_rep, party_id="other-firm", reference="CAC-2026-002", **common)
    assert mine.valid_until == D(2029, 3, 2)

    assert collect(rep, today=D(2027, 3, 2)).items == []  # valid, far from its end
    ending = collect(rep, today=D(2029, 1, 20)).items
    assert [(i.kind, i.deadline, i.url) for i in ending] == [("approval_window_open", D(2029, 3, 2), f"/dataexport/approvals/#approval-{mine.pk}")]
    assert "CAC-2026-001" in ending[0].subject and "CAC-2026-002" not in str(collect(rep, today=D(2029, 1, 20)).items)
    expired = collect(rep, today=D(2029, 4, 1)).items
    assert [(i.kind, i.urgency) for i in expired] == [("approval_expired", "overdue")]
    assert sorted(i.subject.split(" · ")[0].split()[-1] for i in collect(zone, today=D(2029, 4, 1)).items) == ["CAC-2026-001", "CAC-2026-002"]
    assert collect(make_user("stranger"), today=D(2029, 4, 1)).items == []


# — transferable records ——————————————————————————————————————————————————————————————————————————————————————


def test_records_the_holder_and_the_issuer_see_theirs():
    from openftz.einvoice.models import Member
    from tests.test_records import Registry

    reg = Registry()
    reg.issue_ebl("WSREC0000000000000001")
    shipper, bank, carrier = make_user("shipper-user"), make_user("bank-user"), make_user("carrier-user")
    Member.objects.create(user=shipper, party_id="shipper")
    Member.objects.create(user=bank, party_id="bank")
    Member.objects.create(user=carrier, party_id="msc")
    assert [(i.kind, i.url) for i in collect(shipper).items] == [("record_held", "/records/WSREC0000000000000001/")]
    assert collect(bank).items == [] and collect(carrier).items == [] and collect(make_user("nobody")).items == []
    reg.do("shipper", "WSREC0000000000000001", "surrender_for_delivery")
    assert collect(shipper).items == []
    assert [i.kind for i in collect(carrier).items] == ["surrender_to_accept"]


def test_tracker_items_cost_no_query_per_item(tasks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from openftz.tracker import services
    from openftz.tracker.models import Task

    officer, firm = make_user("customs", "unit_officer", "上海海关"), make_user("firm", "enterprise")
    measure = Task.objects.filter(unit__name="上海海关").order_by("pk").first().measure

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            collect(officer, today=D(2026, 5, 20))
        return len(captured.captured_queries)

    services.feedback_ask(actor=firm, measure=measure, kind="question", text="第一个问题")
    queries()  # the first call also reads what is then cached (parameters, the registry)
    one = queries()
    for n in range(10):
        services.feedback_ask(actor=firm, measure=measure, kind="question", text=f"问题 {n}")
    assert queries() == one
    assert sum(i.kind == "feedback_to_answer" for i in collect(officer).items) == 11


def test_items_of_one_day_follow_the_measures_numbers(monkeypatch):
    today = D(2026, 5, 4)
    made = [WorkItem("a", "k", "Report", f"SH-{n} · 上海海关", f"/{n}", today) for n in (100, 20, 3)]
    workspace.contributors()
    monkeypatch.setattr(workspace, "_CONTRIBUTORS", {"a": workspace.Contributor("a", "A", lambda user, day: made)})
    assert [i.subject for i in collect(make_user("someone"), today=today).items] == [
        "SH-3 · 上海海关", "SH-20 · 上海海关", "SH-100 · 上海海关"]
