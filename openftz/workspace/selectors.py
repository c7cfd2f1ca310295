"""Reads of 我的工作 / My work: what core.workspace collects from the apps, in the shape the page, API and CLI share."""
from __future__ import annotations

import datetime as dt

from openftz.core.workspace import Work, collect


def work(user, *, today: dt.date | None = None) -> Work:
    return collect(user, today=today)


def work_as_dict(work: Work) -> dict:
    """The API's body (schemas.WorkOut); ``items`` all together, overdue first and then by deadline."""
    return {
        "today": work.today.isoformat(), "total": work.total, "overdue": work.overdue,
        "due_this_week": len(work.due_this_week),
        "services": [{"service": g.service, "label": g.label, "count": g.count, "overdue": g.overdue} for g in work.groups],
        "items": [i.as_dict() for i in work.items],
    }


def user_by_name(username: str):
    """The user of this user name (NotFound if there is none)."""
    from django.contrib.auth import get_user_model

    from openftz.core.errors import NotFound

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"没有用户 {username}", f"there is no user {username!r}", details={"user": username[:150]})
    return user
