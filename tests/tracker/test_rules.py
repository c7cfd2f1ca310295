"""Pure tracker rules, tested as data."""
import datetime as dt

import pytest

from openftz.tracker import rules

D = dt.date


@pytest.mark.parametrize("case", [
    # status, due, today, last_report, expected rag
    dict(status="in_force", due=D(2024, 8, 3), today=D(2025, 1, 1), last=None, rag="green"),
    dict(status="suspended", due=D(2024, 8, 3), today=D(2025, 1, 1), last=None, rag="grey"),
    dict(status="terminated", due=None, today=D(2025, 1, 1), last=None, rag="grey"),
    dict(status="drafting_rules", due=D(2024, 8, 3), today=D(2024, 8, 4), last=D(2024, 8, 1), rag="red"),
    dict(status="drafting_rules", due=D(2024, 8, 3), today=D(2024, 8, 3), last=D(2024, 8, 1), rag="amber"),  # on the day: not yet late
    dict(status="drafting_rules", due=D(2024, 8, 3), today=D(2024, 7, 4), last=D(2024, 7, 1), rag="amber"),  # 30 days before
    dict(status="drafting_rules", due=D(2024, 8, 3), today=D(2024, 7, 3), last=D(2024, 7, 1), rag="green"),  # 31 days before
    dict(status="not_started", due=None, today=D(2024, 3, 10), last=None, rag="green"),   # first report due 03-03, grace 7
    dict(status="not_started", due=None, today=D(2024, 3, 11), last=None, rag="amber"),   # grace over
    dict(status="awaiting_approval", due=None, today=D(2024, 6, 8), last=D(2024, 5, 1), rag="green"),
    dict(status="awaiting_approval", due=None, today=D(2024, 6, 9), last=D(2024, 5, 1), rag="amber"),
])
def test_task_rag(case):
    result = rules.task_rag(status=case["status"], due=case["due"], today=case["today"], last_report=case["last"],
                            started=D(2024, 2, 3), cadence_months=1, grace_days=7, amber_days=30)
    assert result.rag == case["rag"]
    assert all(zh and en for zh, en in result.reasons)


@pytest.mark.parametrize("status, current, expected", [
    ("not_started", 40, 0), ("drafting_rules", 0, 30), ("awaiting_approval", 10, 60), ("in_force", 0, 100),
    ("suspended", 45, 45), ("terminated", 70, 70),
])
def test_default_progress(status, current, expected):
    assert rules.progress_for(status, current) == expected


def test_rollup_weights_the_lead_and_drops_terminated():
    assert rules.measure_progress([(100, "in_force", True), (0, "not_started", False)], lead_weight=2) == 67
    assert rules.measure_progress([(100, "in_force", True), (0, "terminated", False)], lead_weight=2) == 100
    assert rules.measure_progress([], lead_weight=2) == 0
    assert rules.rollup([(50, 1), (100, 3)]) == 88


@pytest.mark.parametrize("statuses, expected", [
    ([], "not_started"), (["in_force", "in_force"], "in_force"), (["in_force", "drafting_rules"], "drafting_rules"),
    (["in_force", "suspended"], "suspended"), (["terminated", "terminated"], "terminated"),
    (["terminated", "awaiting_approval"], "awaiting_approval"),
    # some tasks started, some not: "in progress", never "not started" beside a progress above 0
    (["not_started", "in_force"], "in_progress"), ([("not_started", 0), ("drafting_rules", 30)], "in_progress"),
    ([("not_started", 33)], "in_progress"), ([("not_started", 0), ("terminated", 50)], "not_started"),
    (["in_progress", "in_force"], "in_progress"),  # a State Council measure from its Shanghai measures
])
def test_measure_status(statuses, expected):
    assert rules.measure_status(statuses) == expected


@pytest.mark.parametrize("likelihood, impact, level", [(5, 5, "high"), (3, 5, "high"), (2, 4, "medium"), (1, 5, "low"), (1, 1, "low")])
def test_risk_level(likelihood, impact, level):
    assert rules.risk_level(likelihood, impact, warning_score=15) == level


def test_rank_cases_by_mean_total_then_originality():
    ranked = rules.rank_cases([(1, 8, 7, 6), (1, 6, 7, 8), (2, 9, 6, 6), (3, 5, 5, 5)])
    assert [r.case_id for r in ranked] == [2, 1, 3]  # 21 vs 21: case 2 has the higher originality
    assert ranked[1].reviewers == 2 and ranked[1].mean_total == 21.0


@pytest.mark.parametrize("tasks", [
    [(0, "not_started", True), (100, "in_force", False)], [(0, "not_started", False), (30, "drafting_rules", True)],
    [(33, "not_started", True)], [(0, "not_started", True), (0, "not_started", False)], [(100, "in_force", True)],
])
def test_a_measure_is_not_started_exactly_when_its_rolled_up_progress_is_nought(tasks):
    progress = rules.measure_progress(tasks, lead_weight=2)
    status = rules.measure_status([(s, p) for p, s, _ in tasks])
    assert (status == "not_started") == (progress == 0), (status, progress)
