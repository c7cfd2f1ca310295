"""The pure workflow decisions of rules/workflow.py, tested by cases written as data (workflow_cases.yaml)."""
import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, strategies as st

from openftz.core.parameters import parameter
from openftz.core.workdays import is_working_day
from openftz.procurement.rules import workflow

CASES = yaml.safe_load((Path(__file__).parent / "workflow_cases.yaml").read_text(encoding="utf-8"))


def _d(value):
    return value if value is None or isinstance(value, dt.date) else dt.date.fromisoformat(value)


def test_the_legal_numbers_come_from_the_parameters_with_their_measures():
    assert parameter("procurement", "challenge_window_days").at(dt.date(2025, 1, 1)) == 10
    assert parameter("procurement", "debarment_lookback_years").at(dt.date(2025, 1, 1)) == 3
    assert parameter("procurement", "record_retention_years").at(dt.date(2025, 1, 1)) == 15
    assert [c.measure for c in parameter("procurement", "challenge_window_days").cites] == ["SH-86", "SC-61"]
    assert "SH-80" in [c.measure for c in parameter("procurement", "debriefing_answer_days").cites]


@pytest.mark.parametrize("case", CASES["challenge_timeliness"], ids=lambda c: f"{c['knew_on']}→{c['filed_on']}")
def test_challenge_window(case):
    t = workflow.challenge_timeliness(knew_on=_d(case["knew_on"]), filed_on=_d(case["filed_on"]), window_days=10)
    assert (t.late, t.deadline) == (case["late"], _d(case["deadline"]))
    assert t.findings[0].cites[0].measure == "SH-86"


def test_knowledge_after_filing_is_refused():
    t = workflow.challenge_timeliness(knew_on=dt.date(2025, 3, 5), filed_on=dt.date(2025, 3, 4), window_days=10)
    assert t.findings[0].rule == "PW-CHALLENGE-KNEW-FUTURE" and t.findings[0].severity == "violation"


@pytest.mark.parametrize("case", CASES["challenge_transitions"], ids=lambda c: f"{c['status']}-{c['action']}-{c['late']}")
def test_challenge_transitions(case):
    target, findings = workflow.challenge_transition(status=case["status"], action=case["action"], late=case["late"])
    assert target == case["to"]
    assert bool(findings) == (case["to"] is None)


@pytest.mark.parametrize("case", CASES["exclusion"]["cases"], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_exclusion_for_a_material_breach(case):
    facts = CASES["exclusion"]["defaults"] | {k: v for k, v in case.items() if k not in ("allowed", "rules")}
    decision = workflow.exclusion_decision(
        breach_on=_d(facts["breach_on"]), procedure_started_on=_d(facts["procedure_started_on"]),
        grounds_stated=facts["grounds_stated"], remedied=facts["remedied"], material=facts["material"],
        breach_entity=facts["breach_entity"], procuring_entity=facts["procuring_entity"],
        related_entities=frozenset(facts["related_entities"]), lookback_years=3)
    assert decision.allowed == case["allowed"]
    if not case["allowed"]:
        assert [f.rule for f in decision.findings] == case["rules"]
    assert all(c.measure in ("SH-78", "SC-54") for f in decision.findings for c in f.cites)


@pytest.mark.parametrize("case", CASES["retention"], ids=lambda c: f"{c['ended_on']}@{c['today']}")
def test_retention(case):
    until = None if case["ended_on"] is None else workflow.retain_until(ended_on=_d(case["ended_on"]), retention_years=case["years"])
    assert until == _d(case["retain_until"])
    assert (workflow.deletion_findings(retain_until_on=until, today=_d(case["today"])) == []) == case["deletable"]


@pytest.mark.parametrize("case", CASES["debriefing"], ids=lambda c: f"{c['supplier']}-{c['rules']}")
def test_debriefing_eligibility(case):
    findings = workflow.debriefing_eligibility(supplier=case["supplier"], tenderers=case["tenderers"], awarded=case["awarded"],
                                               has_award=case["has_award"])
    assert [f.rule for f in findings] == case["rules"]


@pytest.mark.parametrize("case", CASES["confidential"]["cases"], ids=lambda c: c["answer"][:12])
def test_confidential_items_of_other_suppliers(case):
    items = [tuple(i) for i in CASES["confidential"]["items"]]
    found = workflow.confidential_disclosures(answer=case["answer"], items=items, requester=case["requester"])
    assert [f.message_en.split("“")[1].rstrip("”") for f in found] == case["found"]


def test_the_sh72_grounds_are_the_five_of_the_plan():
    grounds = workflow.limited_grounds()
    assert grounds["scheme"] == "OpenFTZ-SH72"
    assert list(grounds["grounds"]) == ["no_tenders", "sole_supplier", "additional_deliveries", "prototype_rd", "urgency"]


@given(knew=st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)), delay=st.integers(0, 400), window=st.integers(1, 60))
def test_a_challenge_is_late_exactly_when_filed_after_the_window(knew, delay, window):
    filed = knew + dt.timedelta(days=delay)
    plain = workflow.challenge_timeliness(knew_on=knew, filed_on=filed, window_days=window, extend_past_rest_days=False)
    assert plain.late == (delay > window) and plain.deadline == knew + dt.timedelta(days=window)
    t = workflow.challenge_timeliness(knew_on=knew, filed_on=filed, window_days=window)
    # the last day moves past rest days only, to the first working day on or after the plain one
    assert t.late == (filed > t.deadline) and is_working_day(t.deadline)[0]
    skipped = [plain.deadline + dt.timedelta(days=i) for i in range((t.deadline - plain.deadline).days)]
    assert all(not is_working_day(day)[0] for day in skipped)


@given(ended=st.dates(dt.date(2000, 1, 1), dt.date(2200, 12, 31)), years=st.integers(1, 50))
def test_records_are_kept_at_least_the_retention_years(ended, years):
    until = workflow.retain_until(ended_on=ended, retention_years=years)
    assert until.year == ended.year + years and (until - ended).days >= 365 * years
    assert workflow.deletion_findings(retain_until_on=until, today=until - dt.timedelta(days=1))
    assert not workflow.deletion_findings(retain_until_on=until, today=until)
