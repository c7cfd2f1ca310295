"""How long an export approval holds, when to remind, and when a transfer means it must be filed again. Pure.

- A security assessment result is valid 3 years from the day it is issued (促进和规范数据跨境流动规定 Art. 9; 2 years
  under 数据出境安全评估办法 Art. 14 before 2024-03-22). If exports go on and nothing requiring a new declaration
  has happened, an extension may be requested within the 60 working days before it ends; the CAC may extend it
  by 3 years (Art. 9).
- A personal information export certificate is valid 3 years; to keep using it, certification is applied for again
  "在有效期届满前6个月" (个人信息出境认证办法 Art. 8): read as a deadline — no later than the corresponding day six
  months before expiry — so the reminders come before that day, not before expiry. The reading is a parameter
  (``certification_renewal_reading``: deadline | window).
- After a security assessment, exports may not go beyond the purpose, method, scope, kinds and scale assessed
  (网络数据安全管理条例 Art. 38): a transfer beyond them is filed again.
- A processor told that its data is important data and that keeps exporting it applies for a security assessment
  within 2 months of the notice (CAC policy Q&A, 2025-05-30): reminders before that day, and when it has passed.
- A standard contract has no statutory term (its own term applies, if it has one); it is filed within 10 working
  days of taking effect (个人信息出境标准合同办法 Art. 7).
- Periods in years or months end on the corresponding day of the last year or month, the first day not counted;
  without a corresponding day, on the month's last day (民法典 Arts. 201-202).
- Filing again (重新申报 / 重新订立并备案): during validity, when the purpose, method, scope or kinds of data, the
  recipient's processing or the storage abroad change, or the recipient's country's laws change (数据出境安全评估办法
  Art. 14; 个人信息出境标准合同办法 Art. 8). Here: a transfer to a country the approval does not name, of a data
  category it does not name (important data above all), of sensitive personal information an approval without it,
  or — for a standard contract or certification — counts or data that now need a security assessment (the
  Provisions Art. 7; certification only below it, 个人信息出境认证办法 Art. 5).
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

import iso3166

from openftz.core.citations import cites
from openftz.core.errors import InvalidInput
from openftz.core.parameters import ParameterError, parameter
from openftz.core.workdays import working_days_after, working_days_before

MEASURES = cites("SH-38", "SC-24")
KINDS = ("security_assessment", "standard_contract", "certification")
P = "促进和规范数据跨境流动规定"
DSAM = "数据出境安全评估办法"
SCM = "个人信息出境标准合同办法"
PICM = "个人信息出境认证办法"
NDS = "网络数据安全管理条例"
QA_2025 = "国家网信办 数据出境安全管理政策问答（2025-05-30）"
LABELS = {"security_assessment": ("数据出境安全评估", "security assessment"),
          "standard_contract": ("个人信息出境标准合同备案", "standard contract filing"),
          "certification": ("个人信息出境认证", "certification")}


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later (or earlier); the month's last day when there is none (民法典 Art. 202)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def valid_until(kind: str, granted_on: dt.date, *, contract_end: dt.date | None = None) -> dt.date | None:
    """The last day an approval of ``kind`` granted on ``granted_on`` is valid (the parameters in force that day)."""
    if kind == "standard_contract":
        return contract_end
    name = "assessment_validity_years" if kind == "security_assessment" else "certification_validity_years"
    return add_months(granted_on, 12 * parameter("dataexport", name).at(granted_on))


def extended_until(previous_end: dt.date) -> dt.date:
    """An extension of a security assessment result runs for the validity period from the end of the previous one."""
    return add_months(previous_end, 12 * parameter("dataexport", "assessment_validity_years").at(previous_end))


def filing_deadline(effective_on: dt.date):
    """The last day to file a standard contract that takes effect on ``effective_on`` (a workdays.Count), and the
    number of working days allowed."""
    days = parameter("dataexport", "contract_filing_working_days").at(effective_on)
    return working_days_after(effective_on, days), days


@dataclass(frozen=True)
class Milestone:
    """A day on which the holder of an approval is to be reminded of something."""

    kind: str  # extension_window_opens | renewal_window_opens | renewal_due_in_<n>_days | renewal_deadline | expires_in_<n>_days
    #            | expired | application_due_in_<n>_days | application_deadline | application_overdue
    due_on: dt.date
    zh: str
    en: str
    cites: tuple[str, ...]
    warnings: tuple[dict, ...] = ()


def _expiry_cites(kind: str) -> tuple[str, ...]:
    return {"security_assessment": (f"{P} 第9条",), "certification": (f"{PICM} 第8条",), "standard_contract": (f"{SCM} 第8条",)}[kind]


def renewal_deadline(end: dt.date) -> dt.date | None:
    """The last day to apply again for a certificate valid until ``end`` (个人信息出境认证办法 Art. 8), or None when the
    renewal period reads as a window (it then opens on that day instead)."""
    if parameter("dataexport", "certification_renewal_reading").at(end) != "deadline":
        return None
    return add_months(end, -parameter("dataexport", "certification_renewal_deadline_months").at(end))


def milestones(kind: str, end: dt.date | None) -> list[Milestone]:
    """Every reminder an approval of ``kind`` valid until ``end`` gives, in date order."""
    if end is None:
        return []
    out = []
    label_zh, label_en = LABELS[kind]
    if kind == "security_assessment":
        try:
            days = parameter("dataexport", "assessment_extension_window_working_days").at(end)
        except ParameterError:
            days = None  # ended before the Provisions allowed extensions
        if days:
            count = working_days_before(end, days)
            warning = count.warning()
            out.append(Milestone("extension_window_opens", count.day,
                                 f"可申请延长评估结果有效期：有效期 {end.isoformat()} 届满，届满前 {days} 个工作日内可通过所在地省级网信部门提出申请"
                                 "（未发生需要重新申报的情形时）",
                                 f"the extension window is open: the result ends on {end.isoformat()}; an extension can be requested "
                                 f"through the provincial CAC within the {days} working days before (if nothing requires a new declaration)",
                                 (f"{P} 第9条",), (warning,) if warning else ()))
    elif kind == "certification":
        months = parameter("dataexport", "certification_renewal_deadline_months").at(end)
        deadline = renewal_deadline(end)
        if deadline is None:
            out.append(Milestone("renewal_window_opens", add_months(end, -months),
                                 f"认证证书 {end.isoformat()} 届满：需要继续使用的，应在届满前 {months} 个月内重新申请认证",
                                 f"the certificate ends on {end.isoformat()}: to keep using it, apply again within the {months} months before",
                                 (f"{PICM} 第8条",)))
        else:
            for days in sorted(parameter("dataexport", "expiry_reminder_days").at(end), reverse=True):
                out.append(Milestone(f"renewal_due_in_{days}_days", deadline - dt.timedelta(days=days),
                                     f"认证证书 {end.isoformat()} 届满；需要继续使用的，应在届满前 {months} 个月即 {deadline.isoformat()} 前重新申请认证（{days} 日后截止）",
                                     f"the certificate ends on {end.isoformat()}; to keep using it, apply again {months} months before, by "
                                     f"{deadline.isoformat()} (in {days} days)", (f"{PICM} 第8条",)))
            out.append(Milestone("renewal_deadline", deadline,
                                 f"今天是重新申请认证的最后一日（证书 {end.isoformat()} 届满前 {months} 个月）",
                                 f"today is the last day to apply again for certification ({months} months before the certificate ends on "
                                 f"{end.isoformat()})", (f"{PICM} 第8条",)))
    for days in sorted(parameter("dataexport", "expiry_reminder_days").at(end), reverse=True):
        out.append(Milestone(f"expires_in_{days}_days", end - dt.timedelta(days=days),
                             f"{label_zh}将于 {end.isoformat()} 届满（{days} 日后）", f"the {label_en} ends on {end.isoformat()} (in {days} days)",
                             _expiry_cites(kind)))
    out.append(Milestone("expired", end + dt.timedelta(days=1), f"{label_zh}已于 {end.isoformat()} 届满：继续出境须重新申报、订立或认证",
                         f"the {label_en} ended on {end.isoformat()}: further exports need a new one",
                         _expiry_cites(kind)))
    return sorted(out, key=lambda m: m.due_on)


def _countdown(kind: str) -> str | None:
    """The countdown a reminder belongs to: only the latest stage of each is sent."""
    for prefix, group in (("expire", "expiry"), ("renewal_due", "renewal"), ("renewal_deadline", "renewal"), ("application_", "application")):
        if kind.startswith(prefix):
            return group
    return None


def due(all_milestones: list[Milestone], today: dt.date, sent: set[str]) -> list[Milestone]:
    """The reminders to create today: those whose day has come and that were not sent before — but only the latest
    stage of each countdown (a 90-day reminder is not sent once the 30-day one is due, nor a window opening or a
    renewal reminder after expiry), so that an approval recorded late does not flood its holder."""
    reached = [m for m in all_milestones if m.due_on <= today]
    if not reached:
        return []
    latest = {}
    for m in reached:
        group = _countdown(m.kind)
        if group and (group not in latest or m.due_on >= latest[group].due_on):
            latest[group] = m
    expired = any(m.kind == "expired" for m in reached)
    out = []
    for m in reached:
        if m.kind in sent:
            continue
        group = _countdown(m.kind)
        if group and m is not latest[group]:
            continue
        if (m.kind.endswith("window_opens") or group == "renewal") and expired:
            continue
        out.append(m)
    return out


def application_deadline(notified_on: dt.date) -> dt.date | None:
    """The last day to apply for a security assessment after an important-data notice of ``notified_on`` (None when
    no period was set on that day)."""
    try:
        months = parameter("dataexport", "important_data_assessment_application_months").at(notified_on)
    except ParameterError:
        return None
    return add_months(notified_on, months)


def notice_milestones(notified_on: dt.date) -> list[Milestone]:
    """The reminders an important-data notice gives: before the application deadline, on it, and once it has passed."""
    deadline = application_deadline(notified_on)
    if deadline is None:
        return []
    months = parameter("dataexport", "important_data_assessment_application_months").at(notified_on)
    cites = (QA_2025, f"{NDS} 第37条")
    out = [Milestone(f"application_due_in_{days}_days", deadline - dt.timedelta(days=days),
                     f"{notified_on.isoformat()} 被告知重要数据：继续出境的，应在 {deadline.isoformat()} 前申报数据出境安全评估（{days} 日后截止）",
                     f"told on {notified_on.isoformat()} that data is important data: to keep exporting it, apply for a security assessment "
                     f"by {deadline.isoformat()} (in {days} days)", cites)
           for days in sorted(parameter("dataexport", "important_data_application_reminder_days").at(notified_on), reverse=True)
           if deadline - dt.timedelta(days=days) > notified_on]
    out.append(Milestone("application_deadline", deadline,
                         f"今天是申报数据出境安全评估的最后一日（自 {notified_on.isoformat()} 告知起 {months} 个月）",
                         f"today is the last day to apply for a security assessment ({months} months from the notice of {notified_on.isoformat()})",
                         cites))
    out.append(Milestone("application_overdue", deadline + dt.timedelta(days=1),
                         f"自 {notified_on.isoformat()} 告知起 {months} 个月内未登记申报：应停止出境该重要数据，或立即申报",
                         f"no application recorded within {months} months of the notice of {notified_on.isoformat()}: stop exporting the "
                         "important data, or apply now", cites))
    return sorted(out, key=lambda m: m.due_on)


def status(*, end: dt.date | None, today: dt.date, flagged: bool, replaced: bool, window_opens: dt.date | None) -> str:
    """replaced | needs_refiling | expired | window_open | valid."""
    if replaced:
        return "replaced"
    if flagged:
        return "needs_refiling"
    if end is not None and today > end:
        return "expired"
    if window_opens is not None and today >= window_opens:
        return "window_open"
    return "valid"


# — filing again ————————————————————————————————————————————————————————————————————————————————


@dataclass(frozen=True)
class Scope:
    """What an approval covers, as declared when it was recorded."""

    kind: str
    countries: frozenset[str]
    categories: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # empty: not declared, not checked
    sensitive: bool = False


@dataclass(frozen=True)
class TransferFacts:
    pathway: str
    countries: frozenset[str]
    categories: frozenset[tuple[str, str]]
    important_categories: frozenset[tuple[str, str]]
    sensitive_people: int


def _names(pairs) -> str:
    return "、".join(f"{s}/{c}" for s, c in sorted(pairs))


def refiling(scope: Scope, transfer: TransferFacts) -> list[dict]:
    """Why a transfer means the approval of ``scope`` must be filed again; empty when it stays within it."""
    reasons = []
    # A certificate covers the scope certified; beyond it there is no mechanism under PIPL Art. 38(1)(2).
    art = {"security_assessment": (f"{DSAM} 第14条第1款", f"{NDS} 第38条"), "standard_contract": (f"{SCM} 第8条第1项",),
           "certification": ("个人信息保护法 第38条第1款第2项",)}[scope.kind]
    if scope.kind != "security_assessment" and transfer.pathway == "security_assessment":
        reasons.append({"id": "DX-REFILE-PATHWAY",
                        "zh": "当年累计人数或所含重要数据使出境须申报数据出境安全评估：标准合同或认证不再适用",
                        "en": "this year's counts or the important data now require a security assessment: the standard contract or "
                              "certification no longer suffices",
                        "cites": [f"{P} 第7条", f"{P} 第8条", f"{PICM} 第5条"] if scope.kind == "certification" else
                                 [f"{P} 第7条", f"{P} 第8条"]})
    new_countries = transfer.countries - scope.countries
    if new_countries:
        extra = (f"{DSAM} 第14条第1款第2项",) if scope.kind == "security_assessment" else ()
        reasons.append({"id": "DX-REFILE-COUNTRY", "zh": f"出境至未申报的国家或者地区：{'、'.join(sorted(new_countries))}",
                        "en": f"a recipient in a country or region not covered: {', '.join(sorted(new_countries))}",
                        "cites": [*art, *extra], "countries": sorted(new_countries)})
    if scope.categories:
        new_important = transfer.important_categories - scope.categories
        if new_important and scope.kind == "security_assessment":
            reasons.append({"id": "DX-REFILE-IMPORTANT-DATA", "zh": f"出境数据新增重要数据类别：{_names(new_important)}",
                            "en": f"a new category of important data: {_names(new_important)}", "cites": list(art),
                            "categories": [list(c) for c in sorted(new_important)]})
        new_other = transfer.categories - scope.categories - (new_important if scope.kind == "security_assessment" else frozenset())
        if new_other:
            reasons.append({"id": "DX-REFILE-CATEGORY", "zh": f"出境数据种类发生变化：{_names(new_other)}",
                            "en": f"the kinds of data changed: {_names(new_other)}", "cites": list(art),
                            "categories": [list(c) for c in sorted(new_other)]})
    if transfer.sensitive_people > 0 and not scope.sensitive:
        reasons.append({"id": "DX-REFILE-SENSITIVE", "zh": "出境个人信息的敏感程度发生变化：新增敏感个人信息",
                        "en": "the sensitivity changed: sensitive personal information is now exported", "cites": list(art)})
    return reasons


def covers(kind: str, pathway: str) -> bool:
    """Whether an approval of ``kind`` is a mechanism for a transfer of ``pathway`` (a security assessment covers both)."""
    if pathway == "security_assessment":
        return kind == "security_assessment"
    return pathway == "standard_contract_or_certification"


def clean_countries(raw, *, field: str = "recipient_countries", required: bool = True) -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes of the recipients' countries or regions (境外: HK, MO and TW included, CN not)."""
    if raw is None and not required:
        return frozenset()
    if not isinstance(raw, list) or (required and not raw) or not all(isinstance(c, str) for c in raw):
        raise InvalidInput(f"{field} 须为国家或地区代码列表", f"{field} must be a non-empty list of ISO 3166-1 alpha-2 codes"
                           if required else f"{field} must be a list of ISO 3166-1 alpha-2 codes", details={"field": field})
    codes = frozenset(c.strip().upper() for c in raw)
    unknown = sorted(c for c in codes if c not in iso3166.countries_by_alpha2 or c == "CN")
    if unknown:
        raise InvalidInput(f"{field} 含无效的境外国家或地区代码：{unknown}", f"{field}: not a foreign country or region code: {unknown}",
                           details={"field": field, "codes": unknown})
    return codes
