"""Working days (工作日) in mainland China: public holidays off, make-up working days (调休) on.

The State Council publishes each year's holiday schedule late in the year before; the ``chinesecalendar``
package carries the schedules published when its version was released (``covered_years()``). A day outside
them is counted by weekday alone — Monday to Friday — and the answer says so (``estimated``), so that no date
beyond the published schedules is passed off as exact.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

import chinese_calendar


@cache
def covered_years() -> tuple[int, int]:
    """The first and last year whose holiday schedule the installed chinesecalendar knows."""
    years = {d.year for d in (*chinese_calendar.holidays, *chinese_calendar.workdays)}
    return min(years), max(years)


def is_working_day(day: dt.date) -> tuple[bool, bool]:
    """(working day?, estimated?) — estimated when ``day``'s year has no published schedule here."""
    first, last = covered_years()
    if first <= day.year <= last:
        return chinese_calendar.is_workday(day), False
    return day.weekday() < 5, True


@dataclass(frozen=True)
class Count:
    """A date found by counting working days, and the years in which weekdays stood in for the schedule."""

    day: dt.date
    estimated_years: tuple[int, ...] = field(default=())

    @property
    def estimated(self) -> bool:
        return bool(self.estimated_years)

    def warning(self) -> dict | None:
        if not self.estimated:
            return None
        years = "、".join(str(y) for y in self.estimated_years)
        first, last = covered_years()
        return {"id": "WORKDAYS-ESTIMATED",
                "zh": f"{years} 年的节假日安排未收录（已收录 {first}–{last} 年）：该年按周一至周五计算工作日，日期可能有出入",
                "en": f"no holiday schedule for {', '.join(str(y) for y in self.estimated_years)} here (covered: {first}–{last}): "
                      "working days in that year are counted as Monday to Friday, so the date may be off"}


def _count(start: dt.date, n: int, step: int) -> Count:
    if n < 1:
        raise ValueError("n must be at least 1")
    day, counted, estimated = start, 0, set()
    while counted < n:
        day += dt.timedelta(days=step)
        working, guess = is_working_day(day)
        if guess:
            estimated.add(day.year)
        counted += working
    return Count(day, tuple(sorted(estimated)))


def working_days_before(end: dt.date, n: int) -> Count:
    """The ``n``-th working day before ``end`` (``end`` itself not counted).

    "届满前60个工作日内" — within the 60 working days before expiry — opens on ``working_days_before(expiry, 60)``.
    """
    return _count(end, n, -1)


def working_days_after(start: dt.date, n: int) -> Count:
    """The ``n``-th working day after ``start`` (``start`` not counted): "自…之日起10个工作日内" ends on it."""
    return _count(start, n, 1)
