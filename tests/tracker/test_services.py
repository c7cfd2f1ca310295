"""Tracker use cases: tasks from the rulebook, deadlines, reports with evidence, review, risks, feedback, tick, history."""
import datetime as dt
import hashlib

import pytest

from openftz.core.errors import InvalidInput
from openftz.rulebook.models import Measure, MeasureUnit
from openftz.tracker import selectors, services
from openftz.tracker.models import Change, Evidence, Report, Task
from openftz.tracker.permissions import Forbidden

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n% evidence\n"


def test_one_task_per_measure_and_unit_with_lead_and_deadline(tasks):
    assert tasks.count() == MeasureUnit.objects.filter(measure__plan="SH").count() == 400
    assert tasks.filter(is_lead=True).count() == 117
    sh5 = Task.objects.filter(measure_id="SH-5").order_by("-is_lead", "pk")
    assert sh5[0].unit.name == "市委网信办" and sh5[0].is_lead
    classes = dict(Measure.objects.filter(plan="SH").values_list("id", "classification"))
    for task in tasks:
        expected = {"national_approval": dt.date(2024, 8, 3), "national_rules": dt.date(2024, 11, 26)}.get(classes[task.measure_id])
        assert task.due == expected, task
    again = services.tasks_sync()
    assert (again.created, again.updated) == (0, 0)


def test_report_with_evidence_then_accept_moves_progress(people, own_task):
    officer, coordinator = people["officer"], people["coordinator"]
    report = services.report_submit(
        actor=officer, task=own_task, narrative="细则已报送", progress=60, status="awaiting_approval",
        files=[services.Upload("细则.pdf", PDF, "application/pdf")],
        links=[services.DocumentLink("https://example.org/doc", "沪府规〔2024〕3号", "实施细则")],
    )
    files = Evidence.objects.filter(report=report).exclude(sha256="")
    assert [e.sha256 for e in files] == [hashlib.sha256(PDF).hexdigest()]
    assert Evidence.objects.get(report=report, sha256="").doc_number == "沪府规〔2024〕3号"
    own_task.refresh_from_db()
    assert own_task.progress == 0  # not before the coordinator accepts
    services.report_review(actor=coordinator, report=report, accept=True)
    own_task.refresh_from_db()
    assert (own_task.status, own_task.progress) == ("awaiting_approval", 60)
    fields = set(Change.objects.filter(task=own_task).values_list("field", flat=True))
    assert {"state", "progress", "status"} <= fields
    assert selectors.measure_progress()[own_task.measure_id].progress > 0


def test_return_needs_a_comment_and_keeps_the_task(people, own_task):
    report = services.report_submit(actor=people["officer"], task=own_task, narrative="x", progress=100, status="in_force")
    with pytest.raises(InvalidInput):
        services.report_review(actor=people["coordinator"], report=report, accept=False)
    services.report_review(actor=people["coordinator"], report=report, accept=False, comment="请补充文号")
    own_task.refresh_from_db()
    assert own_task.progress == 0 and Report.objects.get(pk=report.pk).state == "returned"
    with pytest.raises(InvalidInput):
        services.report_review(actor=people["coordinator"], report=report, accept=True)


def test_officer_cannot_touch_another_units_task_and_nothing_is_written(people, other_task):
    before = (Report.objects.count(), Change.objects.count(), Task.objects.get(pk=other_task.pk).status)
    with pytest.raises(Forbidden):
        services.report_submit(actor=people["officer"], task=other_task, narrative="x", progress=10, status="drafting_rules")
    with pytest.raises(Forbidden):
        services.task_update(actor=people["officer"], task=other_task, status="in_force")
    assert (Report.objects.count(), Change.objects.count(), Task.objects.get(pk=other_task.pk).status) == before


@pytest.mark.parametrize("upload, says", [
    (services.Upload("a.exe", b"MZ....", ""), "evidence must be one of"),
    (services.Upload("fake.pdf", b"not a pdf", ""), "is not a .pdf file"),
    (services.Upload("empty.pdf", b"", ""), "is empty"),
    (services.Upload("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), ""), "larger than"),
])
def test_bad_uploads_are_refused_and_nothing_is_written(people, own_task, upload, says):
    with pytest.raises(InvalidInput) as raised:
        services.report_submit(actor=people["officer"], task=own_task, narrative="x", progress=10, status="drafting_rules", files=[upload])
    assert says in raised.value.message_en
    assert not Report.objects.exists() and not Evidence.objects.exists()


def test_suspension_stops_the_measure_and_shows_publicly(people, own_task):
    risk = services.risk_raise(actor=people["officer"], measure=own_task.measure, title="试点风险", likelihood=4, impact=4)
    assert risk.early_warning  # 16 ≥ 15
    with pytest.raises(Forbidden):
        services.risk_dispose(actor=people["officer"], risk=risk, disposition="suspend", reason="x")
    services.risk_dispose(actor=people["coordinator"], risk=risk, disposition="suspend", reason="风险较高,暂缓")
    assert set(Task.objects.filter(measure=own_task.measure).values_list("status", flat=True)) == {"suspended"}
    public = selectors.measure_public(own_task.measure_id)
    assert public["progress"].status == "suspended" and public["stopping_risk"].disposition_reason == "风险较高,暂缓"
    assert own_task.measure_id in [m.id for m in selectors.public_progress()["suspended"]]
    services.measure_resume(actor=people["coordinator"], measure=own_task.measure, reason="评估完毕")
    assert "suspended" not in set(Task.objects.filter(measure=own_task.measure).values_list("status", flat=True))


def test_feedback_answered_by_the_responsible_unit_then_published(people, own_task):
    item = services.feedback_ask(actor=people["enterprise"], measure=own_task.measure, kind="question", text="如何申请?")
    with pytest.raises(Forbidden):
        services.feedback_answer(actor=people["other_officer"], feedback=item, answer="x")
    with pytest.raises(InvalidInput):
        services.feedback_publish(actor=people["coordinator"], feedback=item, published=True)
    services.feedback_answer(actor=people["officer"], feedback=item, answer="向上海海关申请")
    with pytest.raises(Forbidden):
        services.feedback_answer(actor=people["officer"], feedback=item, answer="x", publish=True)
    services.feedback_publish(actor=people["coordinator"], feedback=item, published=True)
    assert list(selectors.published_feedback()) == [item]
    assert list(selectors.feedback_for(people["enterprise"])) == [item]


def test_cases_are_ranked(people):
    measures = Measure.objects.filter(id__in=["SH-39", "SH-40"])
    a = services.case_submit(actor=people["enterprise"], title="A", summary="s", organisation="o", measures=measures)
    b = services.case_submit(actor=people["officer"], title="B", summary="s", organisation="o", measures=measures)
    services.case_score(actor=people["coordinator"], case=a, originality=5, industry_impact=5, market_perception=5)
    services.case_score(actor=people["coordinator"], case=b, originality=9, industry_impact=8, market_perception=7)
    services.case_score(actor=people["coordinator"], case=b, originality=9, industry_impact=8, market_perception=8)  # replaces
    assert [c.pk for c, _ in selectors.cases_ranked()] == [b.pk, a.pk]
    with pytest.raises(Forbidden):
        services.case_score(actor=people["officer"], case=a, originality=1, industry_impact=1, market_perception=1)


def test_tick_colours_every_task(tasks):
    counts = services.tick(today=dt.date(2024, 9, 1))
    assert sum(counts.values()) == tasks.count()
    approval = Task.objects.filter(measure__classification="national_approval").first()
    assert approval.rag == "red" and "overdue" in approval.rag_reasons[0][1]
    rules_task = Task.objects.filter(measure__classification="national_rules").first()
    assert rules_task.rag == "amber"  # due 2024-11-26, reports overdue since March


def test_daily_job_is_scheduled_once(tasks):
    from django_tasks_db.models import DBTaskResult

    from openftz.tracker.tasks import daily_tick, next_run, schedule_daily_tick

    assert schedule_daily_tick() is True
    assert schedule_daily_tick() is False
    assert DBTaskResult.objects.filter(task_path=daily_tick.module_path).count() == 1
    run = next_run(dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc))
    assert run.isoformat() == "2026-01-02T00:10:00+08:00"


def test_risk_changes_show_in_the_task_history(people, own_task):
    risk = services.risk_raise(actor=people["officer"], measure=own_task.measure, title="r", likelihood=2, impact=2)
    services.risk_dispose(actor=people["coordinator"], risk=risk, disposition="adjust", reason="缩小范围")
    fields = [(c.entity, c.field) for c in selectors.task_history(own_task)]
    assert ("risk", "disposition") in fields and ("risk", "likelihood") in fields


def test_nul_characters_are_refused_not_stored(people, own_task):
    with pytest.raises(InvalidInput, match="NUL"):
        services.feedback_ask(actor=people["enterprise"], measure=own_task.measure, kind="question", text="a\x00b")
    with pytest.raises(InvalidInput, match="NUL"):
        services.report_submit(actor=people["officer"], task=own_task, narrative="x\x00", progress=1, status="drafting_rules")


def test_document_numbers_are_checked_and_normalised(people, own_task):
    with pytest.raises(InvalidInput, match="document number"):
        services.report_submit(actor=people["officer"], task=own_task, narrative="x", progress=1, status="drafting_rules",
                               links=[services.DocumentLink("https://example.org", "第3号")])
    assert not Report.objects.exists()
    report = services.report_submit(actor=people["officer"], task=own_task, narrative="x", progress=1, status="drafting_rules",
                                    links=[services.DocumentLink("https://example.org", "沪署规 〔２０２４〕１号")])
    assert report.evidence.get().doc_number == "沪署规〔2024〕1号"
