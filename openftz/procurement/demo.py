"""Demo data (演示数据) of the procurement workflow: an entity, suppliers, three procedures (open, selective,
limited), challenges, debriefings and a register entry, so that a newcomer sees the workflow at work.

Everything goes through the same services as real work, is flagged ``is_demo`` (every page then says 演示数据 /
demo data) and carries 演示 in its titles; it is loaded only into a procurement app that holds nothing yet.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from openftz.core.errors import OpenFTZError
from openftz.parties.models import Party
from openftz.parties.services import party_create

from . import services
from .models import Procedure, ProcurementProfile, ProcuringEntity, Role

DEMO_PASSWORD = "openftz-demo"
TAG = "(演示)"
SUPPLIERS = {
    "demo-supplier-a": ("上海甲医疗器械有限公司(演示)", "Shanghai A Medical Devices Co. (demo)"),
    "demo-supplier-b": ("上海乙医疗科技有限公司(演示)", "Shanghai B Medical Technology Co. (demo)"),
    "demo-supplier-c": ("上海丙设备工程有限公司(演示)", ""),
}


class DemoRefused(OpenFTZError):
    code = "demo_refused"


def procurement_is_empty() -> bool:
    return not (Procedure.objects.exists() or ProcuringEntity.objects.exists())


def _user(username: str, role: str, **profile):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    ProcurementProfile.objects.update_or_create(user=user, defaults={"role": role, **profile})
    return user


@transaction.atomic
def demo_load(*, now: dt.datetime | None = None) -> list[tuple[str, str]]:
    """Fill an empty procurement app with demo data; return the demo accounts as (user name, role)."""
    if not procurement_is_empty():
        raise DemoRefused("政府采购中已有数据,不载入演示数据", "procurement already holds data: demo data is only loaded into an empty app")
    now = (now or timezone.now()).astimezone(services.SHANGHAI)
    admin = services.entity_create(entity_id="demo-pudong-health", name_zh=f"浦东新区卫生健康委员会{TAG}",
                                   name_en="Pudong Health Commission (demo)", street_address="合欢路2号", postal_code="200135",
                                   contact_name="采购办", is_demo=True)
    hospital = services.entity_create(entity_id="demo-ftz-hospital", name_zh=f"自贸试验区示例医院{TAG}",
                                      name_en="FTZ Example Hospital (demo)", street_address="张杨路100号", postal_code="200120",
                                      contact_name="李明", contact_email="procurement@hospital.example", contact_phone="021-5000-0000",
                                      supervising_entity_id=admin.pk, is_demo=True)
    for pid, (zh, en) in SUPPLIERS.items():
        if not Party.objects.filter(pk=pid).exists():
            party_create(party_id=pid, name_zh=zh, name_en=en, foreign_scheme="OPENFTZ-DEMO", foreign_id=pid.upper())
    officer = _user("pe-officer-demo", Role.ENTITY_OFFICER, entity=hospital, party=None)
    suppliers = {pid: _user(f"{pid}-user", Role.SUPPLIER, party_id=pid, entity=None) for pid in SUPPLIERS}
    review = _user("review-body-demo", Role.REVIEW_BODY, entity=None, party=None)
    _user("supervisor-demo", Role.SUPERVISOR, entity=None, party=None)
    a, b, c = suppliers.values()

    start = now - dt.timedelta(days=60)
    ct = services.procedure_create(
        actor=officer, entity_id=hospital.pk, method="open", title=f"64排CT设备采购{TAG}", title_en="Procurement of a 64-slice CT scanner (demo)",
        description="采购64排CT设备一台,含安装、培训及五年保修。", description_en="One 64-slice CT scanner with installation, training and a five-year warranty.",
        value_amount=Decimal("6800000"), items=[services.TenderItem("64排CT设备", Decimal(1), "台")],
        tender_period_end=start + dt.timedelta(days=41), submission_details="通过上海市政府采购云平台在线递交投标文件",
        eligibility_criteria="具有医疗器械经营许可证;近三年无重大违法记录。", eligibility_criteria_en="A medical device trading licence; no serious violation in the last three years.",
        exclusion_grounds="供应商在参与本次采购活动前3年内,与采购人或与采购人存在管理关系的单位履行采购合同时发生重大实质性违约且未及时采取合理补救措施的,拒绝其参与。",
        when=start, is_demo=True)
    services.procedure_release_add(actor=officer, procedure=ct, tag="tenderUpdate", tenderers=list(SUPPLIERS),
                                   when=start + dt.timedelta(days=42))
    services.procedure_release_add(actor=officer, procedure=ct, tag="award", when=start + dt.timedelta(days=45), awards=[{
        "id": "1", "title": "64排CT设备", "title_en": "64-slice CT scanner", "value": {"amount": 6480000, "currency": "CNY"},
        "suppliers": [{"id": "demo-supplier-a"}]}])
    services.procedure_release_add(actor=officer, procedure=ct, tag="contract", when=start + dt.timedelta(days=52), contracts=[{
        "id": "C1", "awardID": "1", "status": "active", "value": {"amount": 6480000, "currency": "CNY"},
        "dateSigned": (start + dt.timedelta(days=52)).isoformat()}])
    ct.refresh_from_db()
    services.confidential_mark(actor=officer, procedure=ct, supplier_id="demo-supplier-a", text="球管保修8年",
                               note="中标人投标文件技术方案第4.2节")
    award_day = (start + dt.timedelta(days=45)).date()
    dismissed = services.challenge_file(actor=b, procedure=ct, grounds=f"{TAG} 中标人的探测器排数不满足招标文件第三章技术参数要求。",
                                        knew_on=award_day, evidence="中标结果公告;招标文件第三章", when=start + dt.timedelta(days=47), is_demo=True)
    services.challenge_statement(actor=officer, challenge=dismissed, statement=f"{TAG} 中标产品的技术参数见其投标文件第4章,满足要求。")
    services.challenge_route(actor=review, challenge=dismissed, action="accept", when=start + dt.timedelta(days=48))
    services.challenge_decide(actor=review, challenge=dismissed, outcome="dismiss", when=start + dt.timedelta(days=55),
                              decision_text=f"{TAG} 经审查,中标产品技术参数满足招标文件要求,质疑不成立,予以驳回。")
    services.challenge_file(actor=c, procedure=ct, grounds=f"{TAG} 评标委员会未对我司的节能产品给予加分。", knew_on=award_day,
                            when=start + dt.timedelta(days=58), is_demo=True)  # 13 days after: recorded as late
    answered = services.debriefing_request(actor=b, procedure=ct, question=f"{TAG} 请说明我司未中标的理由。",
                                           when=start + dt.timedelta(days=46), is_demo=True)
    services.debriefing_answer(actor=officer, debriefing=answered, when=start + dt.timedelta(days=49),
                               answer=f"{TAG} 贵司技术得分低于中标人6分,主要在售后服务响应时间一项;价格得分相同。")
    services.debriefing_request(actor=c, procedure=ct, question=f"{TAG} 请说明中标人的优势。", when=now - dt.timedelta(days=2), is_demo=True)

    services.procedure_create(
        actor=officer, entity_id=hospital.pk, method="selective", title=f"医院信息系统运维服务{TAG}", title_en="",
        description="医院信息系统三年运维服务,先进行资格预审。", value_amount=Decimal("2400000"),
        items=[services.TenderItem("信息系统运维服务", Decimal(36), "月", estimated=True)],
        tender_period_end=now + dt.timedelta(days=26), submission_details="张杨路100号行政楼302室,或上海市政府采购云平台",
        eligibility_criteria="具有信息系统运维服务能力评估证书;提交近三年类似项目业绩证明。",
        fees=[services.Fee("资格预审文件免费提供", Decimal(0))], max_candidates=5,
        selection_criteria="按资格评审得分由高到低邀请前5名合格供应商投标。", when=now - dt.timedelta(days=1), is_demo=True)
    services.procedure_create(
        actor=officer, entity_id=hospital.pk, method="limited", limited_grounds=["urgency"], title=f"应急发热门诊改造物资{TAG}",
        title_en="Emergency supplies for the fever clinic (demo)", rationale="突发公共卫生事件,须在72小时内到货,不能从其他供应商处及时采购。",
        value_amount=Decimal("380000"), items=[services.TenderItem("负压隔离设备", Decimal(4), "套")], when=now - dt.timedelta(days=3),
        is_demo=True)
    services.debarment_record(actor=officer, supplier_id="demo-supplier-c", entity_id=hospital.pk, contract_reference=f"HT-2024-031{TAG}",
                              breach_on=(now - dt.timedelta(days=400)).date(), decided_on=(now - dt.timedelta(days=380)).date(),
                              grounds=f"{TAG} 交付的监护仪与合同约定型号不符,经催告仍拒不更换。", is_demo=True)
    return [("pe-officer-demo", Role.ENTITY_OFFICER.value), *((f"{pid}-user", Role.SUPPLIER.value) for pid in SUPPLIERS),
            ("review-body-demo", Role.REVIEW_BODY.value), ("supervisor-demo", Role.SUPERVISOR.value)]
