"""Validity, windows, reminders and re-filing triggers — pure rules; working days with the Chinese calendar."""
import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest
import yaml
from hypothesis import given, strategies as st

from openftz.core import workdays
from openftz.core.errors import InvalidInput
from openftz.core.parameters import ParameterError
from openftz.dataexport import validity
from openftz.dataexport.validity import Scope, TransferFacts

D = dt.date


# — working days ——————————————————————————————————————————————————————————————————————————


def test_the_published_2026_schedule_is_used():
    # 国务院办公厅 2026 holiday schedule: National Day 1-7 October off, Saturday 10 October a make-up working day
    assert workdays.covered_years()[1] >= 2026
    assert workdays.is_working_day(D(2026, 10, 5)) == (False, False)
    assert workdays.is_working_day(D(2026, 10, 10)) == (True, False)
    assert workdays.working_days_before(D(2026, 10, 9), 2).day == D(2026, 9, 30)  # 8 October, then 30 September


def test_years_without_a_schedule_count_weekdays_and_say_so():
    last = workdays.covered_years()[1]
    beyond = D(last + 1, 6, 30)
    count = workdays.working_days_before(beyond, 5)
    assert count.estimated_years == (last + 1,) and count.day.weekday() < 5
    warning = count.warning()
    assert warning["id"] == "WORKDAYS-ESTIMATED" and str(last + 1) in warning["zh"] and str(last + 1) in warning["en"]
    assert workdays.working_days_before(D(2026, 6, 30), 5).warning() is None


@given(st.dates(min_value=D(2005, 3, 1), max_value=D(2035, 12, 31)), st.integers(min_value=1, max_value=80))
def test_counting_back_n_working_days(end, n):
    count = workdays.working_days_before(end, n)
    days = [count.day + dt.timedelta(days=i) for i in range((end - count.day).days)]
    flags = [workdays.is_working_day(d) for d in days]
    assert sum(working for working, _ in flags) == n and flags[0][0], "the window opens on a working day and holds n of them"
    assert count.estimated == any(guess for _, guess in flags)
    for day, (working, guess) in zip(days, flags):
        assert working == (day.weekday() < 5 if guess else chinese_calendar.is_workday(day))


# — periods ————————————————————————————————————————————————————————————————————————————————


def test_periods_end_on_the_corresponding_day():
    assert validity.add_months(D(2024, 5, 10), 36) == D(2027, 5, 10)
    assert validity.add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)  # no corresponding day: the month's last
    assert validity.add_months(D(2027, 8, 31), -6) == D(2027, 2, 28)


def test_validity_follows_the_law_in_force_when_granted():
    assert validity.valid_until("security_assessment", D(2024, 5, 10)) == D(2027, 5, 10)  # 3 years (the Provisions Art. 9)
    assert validity.valid_until("security_assessment", D(2023, 6, 1)) == D(2025, 6, 1)  # 2 years (2022 Measures Art. 14)
    assert validity.valid_until("certification", D(2026, 3, 1)) == D(2029, 3, 1)
    assert validity.valid_until("standard_contract", D(2026, 3, 1)) is None
    assert validity.valid_until("standard_contract", D(2026, 3, 1), contract_end=D(2028, 2, 29)) == D(2028, 2, 29)
    with pytest.raises(ParameterError):
        validity.valid_until("certification", D(2025, 6, 1))  # the certification measures are in force from 2026-01-01
    assert validity.extended_until(D(2027, 5, 10)) == D(2030, 5, 10)


def test_a_standard_contract_is_filed_within_ten_working_days():
    deadline, days = validity.filing_deadline(D(2026, 9, 29))
    assert days == 10
    # 30 Sep, 8-9 Oct, 10 Oct (make-up Saturday), 12-16 Oct, 19 Oct: the tenth working day after 29 September
    assert deadline.day == D(2026, 10, 19) and not deadline.estimated


# — reminders ——————————————————————————————————————————————————————————————————————————————


def kinds(ms):
    return [m.kind for m in ms]


def test_milestones_of_each_kind():
    end = D(2026, 12, 31)
    assessment = validity.milestones("security_assessment", end)
    assert kinds(assessment) == ["expires_in_90_days", "extension_window_opens", "expires_in_30_days", "expired"]
    window = assessment[1]
    assert window.due_on == workdays.working_days_before(end, 60).day and window.cites == ("促进和规范数据跨境流动规定 第9条",)
    assert assessment[-1].due_on == D(2027, 1, 1)
    certification = validity.milestones("certification", D(2029, 3, 1))
    assert kinds(certification)[:3] == ["renewal_due_in_90_days", "renewal_due_in_30_days", "renewal_deadline"]
    assert validity.milestones("standard_contract", None) == []
    assert kinds(validity.milestones("standard_contract", D(2027, 6, 30))) == ["expires_in_90_days", "expires_in_30_days", "expired"]
    beyond = validity.milestones("security_assessment", D(workdays.covered_years()[1] + 2, 6, 30))
    assert next(m for m in beyond if m.kind == "extension_window_opens").warnings[0]["id"] == "WORKDAYS-ESTIMATED"


def test_only_the_latest_stage_of_the_countdown_is_sent():
    ms = validity.milestones("security_assessment", D(2026, 12, 31))
    assert validity.due(ms, D(2026, 9, 1), set()) == []
    assert kinds(validity.due(ms, D(2026, 10, 2), set())) == ["expires_in_90_days"]
    assert kinds(validity.due(ms, D(2026, 12, 1), set())) == ["extension_window_opens", "expires_in_30_days"]  # recorded late
    assert kinds(validity.due(ms, D(2026, 12, 1), {"expires_in_90_days", "extension_window_opens"})) == ["expires_in_30_days"]
    assert kinds(validity.due(ms, D(2027, 2, 1), set())) == ["expired"]
    assert validity.due(ms, D(2027, 2, 1), {"expired"}) == []


def test_status():
    kw = {"end": D(2026, 12, 31), "window_opens": D(2026, 10, 9), "flagged": False, "replaced": False}
    assert validity.status(today=D(2026, 6, 1), **kw) == "valid"
    assert validity.status(today=D(2026, 10, 9), **kw) == "window_open"
    assert validity.status(today=D(2027, 1, 1), **kw) == "expired"
    assert validity.status(today=D(2026, 6, 1), **{**kw, "flagged": True}) == "needs_refiling"
    assert validity.status(today=D(2026, 6, 1), **{**kw, "flagged": True, "replaced": True}) == "replaced"


# — filing again ————————————————————————————————————————————————————————————————————————————

CARS = ("智能网联汽车", "车外视频图像数据")
MAPS = ("智能网联汽车", "测绘地理信息")
CREW = ("国际航运", "船员个人信息")


def facts(pathway="standard_contract_or_certification", countries=("DE",), categories=(), important=(), sensitive=0):
    return TransferFacts(pathway, frozenset(countries), frozenset(categories), frozenset(important), sensitive)


def ids(reasons):
    return [r["id"] for r in reasons]


def test_a_new_recipient_country():
    reasons = validity.refiling(Scope("standard_contract", frozenset({"DE"})), facts(countries=("DE", "US")))
    assert ids(reasons) == ["DX-REFILE-COUNTRY"] and reasons[0]["countries"] == ["US"]
    assert reasons[0]["cites"] == ["个人信息出境标准合同办法 第8条第1项"]
    assessment = validity.refiling(Scope("security_assessment", frozenset({"DE"})), facts("security_assessment", countries=("SG",)))
    assert assessment[0]["cites"] == ["数据出境安全评估办法 第14条第1款", "网络数据安全管理条例 第38条", "数据出境安全评估办法 第14条第1款第2项"]


def test_a_new_category_of_important_data():
    scope = Scope("security_assessment", frozenset({"DE"}), frozenset({CARS}))
    reasons = validity.refiling(scope, facts("security_assessment", categories=(CARS, MAPS), important=(MAPS,)))
    assert ids(reasons) == ["DX-REFILE-IMPORTANT-DATA"] and reasons[0]["categories"] == [list(MAPS)]
    other = validity.refiling(Scope("standard_contract", frozenset({"DE"}), frozenset({CREW})), facts(categories=(CREW, CARS)))
    assert ids(other) == ["DX-REFILE-CATEGORY"]
    # categories not declared on the approval: nothing to compare with, nothing flagged
    assert validity.refiling(Scope("standard_contract", frozenset({"DE"})), facts(categories=(CARS,))) == []


def test_counts_that_now_need_a_security_assessment():
    for kind in ("standard_contract", "certification"):
        reasons = validity.refiling(Scope(kind, frozenset({"DE"})), facts("security_assessment"))
        assert ids(reasons) == ["DX-REFILE-PATHWAY"] and "促进和规范数据跨境流动规定 第7条" in reasons[0]["cites"]


def test_which_approval_is_a_mechanism_for_which_pathway():
    assert validity.covers("security_assessment", "standard_contract_or_certification")
    assert validity.covers("certification", "standard_contract_or_certification")
    assert not validity.covers("standard_contract", "security_assessment")
    assert not validity.covers("security_assessment", "exempt")


def test_country_codes():
    assert validity.clean_countries(["de", " HK "]) == frozenset({"DE", "HK"})
    for bad in (["CN"], ["XX"], [], "DE", [1]):
        with pytest.raises(InvalidInput):
            validity.clean_countries(bad)
    assert validity.clean_countries(None, required=False) == frozenset()


REFILING = yaml.safe_load((Path(__file__).parent / "refiling.yaml").read_text(encoding="utf-8"))["cases"]


def pairs(names):
    return frozenset(tuple(n.split("/", 1)) for n in names or ())


@pytest.mark.parametrize("case", REFILING, ids=[c["name"] for c in REFILING])
def test_refiling_table(case):
    scope, transfer = case["scope"], case["transfer"]
    reasons = validity.refiling(
        Scope(scope["kind"], frozenset(scope["countries"]), pairs(scope.get("categories")), scope.get("sensitive", False)),
        TransferFacts(transfer["pathway"], frozenset(transfer.get("countries", ())), pairs(transfer.get("categories")),
                      pairs(transfer.get("important")), transfer.get("sensitive", 0)))
    assert ids(reasons) == case["reasons"]
    assert all(r["zh"] and r["en"] and r["cites"] for r in reasons), "every reason says why, in both languages, with its article"


# — certification renewal: 个人信息出境认证办法 Art. 8, "在有效期届满前6个月" read as a deadline ——————————————————


def test_the_renewal_period_of_a_certificate_is_a_deadline_and_its_reminders_come_before_it():
    end = D(2029, 3, 1)  # a certificate issued 2026-03-01
    deadline = validity.renewal_deadline(end)
    assert deadline == D(2028, 9, 1)  # the corresponding day six months before expiry: the last day to apply again
    ms = validity.milestones("certification", end)
    renewal = [m for m in ms if m.kind.startswith("renewal")]
    assert [(m.kind, m.due_on) for m in renewal] == [
        ("renewal_due_in_90_days", D(2028, 6, 3)), ("renewal_due_in_30_days", D(2028, 8, 2)), ("renewal_deadline", D(2028, 9, 1))]
    assert all(m.due_on <= deadline for m in renewal), "no renewal reminder comes after the last day to apply"
    assert all(m.cites == ("个人信息出境认证办法 第8条",) for m in ms), "certificate reminders cite Order No. 20 by article"
    assert "2028-09-01" in renewal[0].zh and "2028-09-01" in renewal[0].en


def test_only_the_latest_renewal_reminder_is_sent_and_none_after_expiry():
    ms = validity.milestones("certification", D(2029, 3, 1))
    assert kinds(validity.due(ms, D(2028, 8, 10), set())) == ["renewal_due_in_30_days"]
    assert kinds(validity.due(ms, D(2028, 12, 15), set())) == ["renewal_deadline", "expires_in_90_days"]
    assert kinds(validity.due(ms, D(2029, 3, 2), set())) == ["expired"]


def test_a_window_reading_is_a_data_change(monkeypatch):
    real = validity.parameter

    class Window:
        def at(self, day):
            return "window"

    monkeypatch.setattr(validity, "parameter", lambda app, name: Window() if name == "certification_renewal_reading" else real(app, name))
    ms = validity.milestones("certification", D(2029, 3, 1))
    assert ms[0].kind == "renewal_window_opens" and ms[0].due_on == D(2028, 9, 1) and validity.renewal_deadline(D(2029, 3, 1)) is None


# — important data notified: apply for a security assessment within 2 months (CAC Q&A, 2025-05-30) ——————————————


def test_an_important_data_notice_gives_a_deadline_two_months_on():
    assert validity.application_deadline(D(2026, 3, 15)) == D(2026, 5, 15)
    assert validity.application_deadline(D(2025, 12, 31)) == D(2026, 2, 28)  # no 31 February: the month's last day
    assert validity.application_deadline(D(2025, 5, 29)) is None  # before the Q&A set the period
    ms = validity.notice_milestones(D(2026, 3, 15))
    assert [(m.kind, m.due_on) for m in ms] == [("application_due_in_30_days", D(2026, 4, 15)), ("application_due_in_7_days", D(2026, 5, 8)),
                                               ("application_deadline", D(2026, 5, 15)), ("application_overdue", D(2026, 5, 16))]
    assert all(m.cites == ("国家网信办 数据出境安全管理政策问答（2025-05-30）", "网络数据安全管理条例 第37条") for m in ms)
    assert kinds(validity.due(ms, D(2026, 5, 20), set())) == ["application_overdue"]
