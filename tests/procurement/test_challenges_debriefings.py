"""Challenges (SH-85, SH-86), debriefing (SH-80) and the debarment register (SH-78) through the services."""
import datetime as dt

import pytest

from openftz.core.errors import InvalidInput
from openftz.procurement import selectors, services
from openftz.procurement.models import AuditEntry, Challenge, Debriefing, Exclusion
from openftz.procurement.permissions import Forbidden
from openftz.procurement.retention import RecordsKept

from .conftest import T0, awarded_procedure, open_procedure


def test_a_challenge_in_time_goes_to_the_review_body_and_is_decided(world):
    procedure = awarded_procedure(world)
    u = world["users"]
    filed = T0 + dt.timedelta(days=47)
    challenge = services.challenge_file(actor=u["beta"], procedure=procedure, grounds="评标标准未在招标文件中载明",
                                        knew_on=(T0 + dt.timedelta(days=45)).date(), evidence="评标报告第3页", when=filed)
    assert (challenge.status, challenge.late, challenge.deadline) == ("filed", False, dt.date(2025, 4, 27))
    assert challenge.supplier_id == "beta-med"
    services.challenge_statement(actor=u["officer"], challenge=challenge, statement="评标标准见招标文件第五章")
    with pytest.raises(Forbidden):  # the procuring entity does not review challenges against itself (SH-85)
        services.challenge_route(actor=u["officer"], challenge=challenge, action="accept")
    services.challenge_route(actor=u["review"], challenge=challenge, action="accept", when=filed + dt.timedelta(days=1))
    decided = services.challenge_decide(actor=u["review"], challenge=challenge, outcome="uphold",
                                        decision_text="责令重新评标", when=filed + dt.timedelta(days=20))
    assert (decided.status, decided.decided_on, decided.decided_by) == ("upheld", (filed + dt.timedelta(days=20)).date(), u["review"])
    actions = list(AuditEntry.objects.filter(object_type="challenge", object_id=str(challenge.pk)).order_by("id").values_list("action", flat=True))
    assert actions == ["challenge_file", "challenge_statement", "challenge_accept", "challenge_uphold"]
    assert list(selectors.challenges(u["beta"])) == [decided] and list(selectors.challenges(u["alpha"])) == []


def test_a_late_challenge_is_recorded_as_late_and_only_rejected_as_late(world):
    procedure = awarded_procedure(world)
    u = world["users"]
    challenge = services.challenge_file(actor=u["gamma"], procedure=procedure, grounds="中标人资质不符",
                                        knew_on=(T0 + dt.timedelta(days=45)).date(), when=T0 + dt.timedelta(days=60))
    assert challenge.late and Challenge.objects.filter(pk=challenge.pk, late=True).exists()
    with pytest.raises(InvalidInput) as exc:
        services.challenge_route(actor=u["review"], challenge=challenge, action="accept")
    assert exc.value.status == 409 and Challenge.objects.get(pk=challenge.pk).status == "filed"
    rejected = services.challenge_route(actor=u["review"], challenge=challenge, action="reject_late")
    assert rejected.status == "rejected_late" and rejected.decision_text and rejected.decided_on


def test_a_challenge_cannot_be_filed_by_anyone_but_a_supplier_nor_with_knowledge_after_filing(world):
    procedure = open_procedure(world)
    u = world["users"]
    for who in ("officer", "review", "supervisor", "nobody"):
        with pytest.raises(Forbidden):
            services.challenge_file(actor=u[who], procedure=procedure, grounds="x", knew_on=T0.date(), when=T0)
    with pytest.raises(InvalidInput):
        services.challenge_file(actor=u["beta"], procedure=procedure, grounds="x", knew_on=T0.date() + dt.timedelta(days=1), when=T0)
    with pytest.raises(InvalidInput):
        services.challenge_file(actor=u["beta"], procedure=procedure, grounds="a\x00b", knew_on=T0.date(), when=T0)
    assert not Challenge.objects.exists()


def test_a_supplier_withdraws_its_challenge_after_consultation(world):
    procedure = open_procedure(world)
    u = world["users"]
    challenge = services.challenge_file(actor=u["beta"], procedure=procedure, grounds="技术参数指向特定品牌", knew_on=T0.date(), when=T0)
    with pytest.raises(Forbidden):
        services.challenge_withdraw(actor=u["alpha"], challenge=challenge)
    assert services.challenge_withdraw(actor=u["beta"], challenge=challenge, reason="经磋商,采购人修改了参数").status == "withdrawn"


def test_debriefing_is_answered_without_other_suppliers_trade_secrets(world):
    procedure = awarded_procedure(world)
    u = world["users"]
    services.confidential_mark(actor=u["officer"], procedure=procedure, supplier_id="alpha-med", text="单价 1,650,000 元")
    services.confidential_mark(actor=u["officer"], procedure=procedure, supplier_id="beta-med", text="交货期 90 天")
    asked = T0 + dt.timedelta(days=46)
    request = services.debriefing_request(actor=u["beta"], procedure=procedure, question="请说明未中标理由", when=asked)
    assert request.due_on == asked.date() + dt.timedelta(days=7)
    with pytest.raises(InvalidInput) as exc:
        services.debriefing_answer(actor=u["officer"], debriefing=request, answer="中标人单价1,650,000元,低于贵司。")
    assert exc.value.code == "trade_secret" and exc.value.details["findings"][0]["cites"] == ["SH-80", "SC-56"]
    assert Debriefing.objects.get(pk=request.pk).answer == ""
    answered = services.debriefing_answer(actor=u["officer"], debriefing=request,
                                          answer="贵司交货期 90 天,中标人技术评分高出12分。", when=asked + dt.timedelta(days=3))
    assert answered.answered_on == (asked + dt.timedelta(days=3)).date() and not selectors.is_overdue(answered)


def test_only_unsuccessful_tenderers_ask_and_once(world):
    procedure = awarded_procedure(world)
    u = world["users"]
    with pytest.raises(InvalidInput, match="awarded"):
        services.debriefing_request(actor=u["alpha"], procedure=procedure)
    services.debriefing_request(actor=u["gamma"], procedure=procedure)
    with pytest.raises(InvalidInput, match="already"):
        services.debriefing_request(actor=u["gamma"], procedure=procedure)
    with pytest.raises(InvalidInput, match="no award"):
        services.debriefing_request(actor=u["beta"], procedure=open_procedure(world))


def test_overdue_debriefings_are_flagged(world):
    procedure = awarded_procedure(world, when=dt.datetime(2025, 1, 2, 9, tzinfo=T0.tzinfo))
    late = services.debriefing_request(actor=world["users"]["beta"], procedure=procedure, when=dt.datetime(2025, 2, 20, 9, tzinfo=T0.tzinfo))
    assert selectors.is_overdue(late)
    assert selectors.debriefings(world["users"]["officer"], overdue=True) == [late]
    assert selectors.debriefings(world["users"]["other_officer"]) == []


def test_exclusion_only_for_a_registered_breach_within_three_years_and_a_stated_ground(world):
    u = world["users"]
    stated = open_procedure(world, exclusion_grounds="近3年内在履行本单位采购合同中发生重大实质性违约且未及时补救的供应商,拒绝其参与。")
    silent = open_procedure(world)
    recent = services.debarment_record(actor=u["officer"], supplier_id="gamma-med", entity_id="ftz-hospital",
                                       contract_reference="HT-2023-018", breach_on=dt.date(2023, 6, 1),
                                       decided_on=dt.date(2023, 9, 1), grounds="交付设备与合同约定型号不符,拒不更换")
    old = services.debarment_record(actor=u["officer"], supplier_id="gamma-med", entity_id="ftz-hospital",
                                    contract_reference="HT-2019-002", breach_on=dt.date(2019, 6, 1),
                                    decided_on=dt.date(2019, 9, 1), grounds="逾期交付")
    from django.contrib.auth import get_user_model

    from openftz.procurement.models import ProcurementProfile

    finance_officer = get_user_model().objects.create_user("finance-officer")
    ProcurementProfile.objects.create(user=finance_officer, role="entity_officer", entity=world["parent"])
    parent = services.debarment_record(actor=finance_officer, supplier_id="beta-med", entity_id="pudong-finance",
                                       contract_reference="HT-2024-5", breach_on=dt.date(2024, 6, 1),
                                       decided_on=dt.date(2024, 7, 1), grounds="重大违约")
    with pytest.raises(Forbidden):  # an officer of another entity cannot register this entity's breaches
        services.debarment_record(actor=u["other_officer"], supplier_id="gamma-med", entity_id="ftz-hospital",
                                  contract_reference="x", breach_on=dt.date(2024, 1, 1), decided_on=dt.date(2024, 1, 2), grounds="x")
    assert services.supplier_exclude(actor=u["officer"], procedure=stated, debarment=recent).supplier_id == "gamma-med"
    assert services.supplier_exclude(actor=u["officer"], procedure=stated, debarment=parent).supplier_id == "beta-med"
    with pytest.raises(InvalidInput) as exc:
        services.supplier_exclude(actor=u["officer"], procedure=silent, debarment=recent)
    assert exc.value.details["findings"][0]["rule"] == "PW-EXCL-NOT-STATED"
    with pytest.raises(InvalidInput) as exc:
        services.supplier_exclude(actor=u["officer"], procedure=stated, debarment=old)
    assert exc.value.details["findings"][0]["rule"] == "PW-EXCL-TOO-OLD"
    assert Exclusion.objects.count() == 2
    assert list(selectors.debarments(u["gamma"])) == [recent, old] and selectors.debarments(u["nobody"]).count() == 0


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_evidence_files_are_kept_with_their_hash_and_bad_ones_refused(world):
    import hashlib

    from openftz.procurement.models import ChallengeEvidence

    procedure = awarded_procedure(world)
    u = world["users"]
    challenge = services.challenge_file(actor=u["beta"], procedure=procedure, grounds="评分错误", knew_on=T0.date(),
                                        files=[services.Upload("评标报告.pdf", PDF)], when=T0 + dt.timedelta(days=46))
    stored = ChallengeEvidence.objects.get()
    assert (stored.file_name, stored.sha256, bytes(stored.content)) == ("评标报告.pdf", hashlib.sha256(PDF).hexdigest(), PDF)
    for name, content, rule in (("a.pdf", b"not a pdf", "PW-EVIDENCE-CONTENT"), ("a.exe", b"MZ", "PW-EVIDENCE-TYPE"),
                                ("a.txt", b"\xff\xfe", "PW-EVIDENCE-TEXT"), ("a.pdf", b"", "PW-EVIDENCE-EMPTY")):
        with pytest.raises(InvalidInput) as exc:
            services.challenge_evidence_add(actor=u["beta"], challenge=challenge, uploads=[services.Upload(name, content)])
        assert exc.value.details["findings"][0]["rule"] == rule
    with pytest.raises(Forbidden):
        services.challenge_evidence_add(actor=u["alpha"], challenge=challenge, uploads=[services.Upload("x.txt", b"x")])
    services.challenge_evidence_add(actor=u["beta"], challenge=challenge, uploads=[services.Upload("补充说明.txt", "补充".encode())])
    assert ChallengeEvidence.objects.count() == 2
    with pytest.raises(RecordsKept):
        stored.delete()
    assert ChallengeEvidence.objects.count() == 2
