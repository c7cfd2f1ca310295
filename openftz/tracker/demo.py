"""Demo data (演示数据): accounts and plausible progress, so that a newcomer sees a living tracker.

Everything it writes goes through the same services as real work, is marked 演示 / demo, and is only
written into a tracker that has no reports, risks, cases or feedback yet.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from openftz.core.errors import OpenFTZError
from openftz.rulebook.models import Measure, Unit

from . import rules, services
from .models import DemoMark, Feedback, InnovationCase, Profile, Report, Risk, Role, Task

DEMO_PASSWORD = "openftz-demo"
OFFICERS = {  # user name → unit as printed
    "officer-commerce": "市商务委",
    "officer-customs": "上海海关",
    "officer-data": "市数据局",
    "officer-lingang": "临港新片区管委会",
    "officer-finance": "市财政局",
}
TAG = "(演示 demo)"


@dataclass
class DemoAccount:
    username: str
    role: str
    unit: str


class DemoRefused(OpenFTZError):
    code = "demo_refused"


def tracker_is_empty() -> bool:
    return not (Report.objects.exists() or Risk.objects.exists() or InnovationCase.objects.exists() or Feedback.objects.exists())


def _user(username: str, role: str, *, unit: Unit | None = None, organisation: str = "", staff: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"is_staff": staff})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    Profile.objects.update_or_create(user=user, defaults={"role": role, "unit": unit, "organisation": organisation})
    return user


@transaction.atomic
def demo_load(*, seed: int = 2024, today: dt.date | None = None) -> list[DemoAccount]:
    """Fill an empty tracker with demo accounts and progress; refuse if it holds real work."""
    if not tracker_is_empty():
        raise DemoRefused("台账中已有数据,不载入演示数据", "the tracker already holds data: demo data is only loaded into an empty tracker")
    if not Task.objects.exists():
        services.tasks_sync()
    rng = random.Random(seed)
    today = today or dt.date.today()
    coordinator = _user("coordinator", Role.COORDINATOR, staff=True)
    accounts = [DemoAccount("coordinator", Role.COORDINATOR, "市商务委")]
    officers = {}
    for username, unit_name in OFFICERS.items():
        unit = Unit.objects.get(name=unit_name)
        officers[unit.pk] = _user(username, Role.UNIT_OFFICER, unit=unit)
        accounts.append(DemoAccount(username, Role.UNIT_OFFICER, unit_name))
    enterprise = _user("enterprise-demo", Role.ENTERPRISE, organisation="上海示例国际贸易有限公司(演示)")
    accounts.append(DemoAccount("enterprise-demo", Role.ENTERPRISE, "上海示例国际贸易有限公司(演示)"))

    by_class = {"local_authority": ["in_force"] * 5 + ["drafting_rules"] * 2 + ["not_started"],
                "national_approval": ["drafting_rules"] * 3 + ["awaiting_approval"] * 3 + ["in_force", "not_started"],
                "national_rules": ["not_started"] * 2 + ["drafting_rules"] * 3 + ["awaiting_approval"] * 2 + ["in_force"]}
    for number, task in enumerate(Task.objects.select_related("measure", "unit").order_by("pk"), start=1):
        status = rng.choice(by_class.get(task.measure.classification, ["not_started"]))
        officer = officers.get(task.unit_id)
        if officer and status != "not_started" and rng.random() < 0.8:
            report = services.report_submit(
                actor=officer, task=task, status=status, progress=rules.progress_for(status, task.progress),
                narrative=f"{TAG} {task.unit.name}已完成{task.measure_id}相关细则起草与部门会签,正在推进落地。",
                links=[services.DocumentLink(url="https://example.org/openftz-demo", doc_number=f"沪演示〔{today.year}〕{number}号",
                                             title=f"{TAG} 关于落实{task.measure_id}的工作方案")],
            )
            if rng.random() < 0.75:
                services.report_review(actor=coordinator, report=report, accept=True, comment=f"{TAG} 同意")
        elif status != "not_started":
            services.task_update(actor=coordinator, task=task, status=status, note=f"{TAG} 初始进度")
        if rng.random() < 0.15:
            services.milestone_add(actor=coordinator, task=task, title=f"{TAG} 细则报送国家有关部门",
                                   due_on=today + dt.timedelta(days=rng.randint(-20, 90)))

    measures = list(Measure.objects.filter(plan="SH").order_by("position"))
    risk_measures = rng.sample(measures, 6)
    for i, m in enumerate(risk_measures):
        risk = services.risk_raise(actor=coordinator, measure=m, title=f"{TAG} 试点风险评估 #{i + 1}",
                                   likelihood=rng.randint(1, 5), impact=rng.randint(2, 5),
                                   description=f"{TAG} 对{m.id}试点过程中出现的新情况进行分析评估。")
        if i == 0:
            services.risk_dispose(actor=coordinator, risk=risk, disposition="suspend", reason=f"{TAG} 风险程度较高,暂缓试点待评估")
        elif i == 1:
            services.risk_dispose(actor=coordinator, risk=risk, disposition="adjust", reason=f"{TAG} 调整试点范围")

    reviewers = [coordinator, _user("reviewer-demo", Role.COORDINATOR)]
    accounts.append(DemoAccount("reviewer-demo", Role.COORDINATOR, "市商务委"))
    for title, ids in [
        ("跨境数据流动负面清单管理", ["SH-39", "SH-40"]),
        ("电子提单与电子仓单互认平台", ["SH-43"]),
        ("政府采购全流程电子化与质疑快速处理", ["SH-75", "SH-86"]),
    ]:
        case = services.case_submit(actor=officers[Unit.objects.get(name="市商务委").pk], title=f"{TAG} {title}",
                                    summary=f"{TAG} 制度创新案例:{title}。", organisation="市商务委",
                                    measures=Measure.objects.filter(id__in=ids))
        for reviewer in reviewers:
            services.case_score(actor=reviewer, case=case, originality=rng.randint(5, 10), industry_impact=rng.randint(4, 10),
                                market_perception=rng.randint(4, 10), comment=f"{TAG} 评审意见")

    for measure_id, text, answer in [
        ("SH-39", "区内企业向境外传输非负面清单数据,是否还需要申报数据出境安全评估?", "负面清单外的数据可以自由流动,但个人信息保护义务仍须履行。"),
        ("SH-75", "投标截止期不少于40日是否按日历日计算?", "按日历日计算,自招标文件发出之日起算。"),
        ("SH-43", "电子提单的控制权转让如何证明?", None),
    ]:
        feedback = services.feedback_ask(actor=enterprise, measure=Measure.objects.get(pk=measure_id), kind="question", text=f"{TAG} {text}")
        if answer:
            responder = officers.get(Task.objects.filter(measure_id=measure_id, is_lead=True).values_list("unit_id", flat=True).first(), coordinator)
            services.feedback_answer(actor=responder, feedback=feedback, answer=f"{TAG} {answer}")
            services.feedback_publish(actor=coordinator, feedback=feedback, published=True)
    DemoMark.objects.create()
    services.tick(today=today)
    return accounts

