"""The API's and the CLI's shape of 我的工作 / My work."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema


class WorkItemOut(Schema):
    service: str
    kind: str
    title: str
    subject: str
    url: str
    deadline: dt.date | None
    overdue: bool
    urgency: Literal["overdue", "due_soon", "later", "open"]


class WorkGroupOut(Schema):
    service: str
    label: str
    count: int
    overdue: int


class WorkOut(Schema):
    today: dt.date
    total: int
    overdue: int
    due_this_week: int
    services: list[WorkGroupOut]
    items: list[WorkItemOut]


class ErrorOut(Schema):
    code: str
    message_zh: str
    message_en: str
    details: object | None = None
