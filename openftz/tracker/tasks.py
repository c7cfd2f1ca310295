"""The daily job: recompute red / amber / green, then schedule tomorrow's run (tasks framework, database backend).

A worker (`manage.py db_worker`) runs it; `openftz tracker tick` does the same work at once.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from django_tasks import task

SHANGHAI = ZoneInfo("Asia/Shanghai")
RUN_AT = dt.time(0, 10)  # ten past midnight, Shanghai time


@task()
def daily_tick() -> dict[str, int]:
    from .services import tick

    counts = tick()
    schedule_daily_tick()
    return counts


def next_run(now: dt.datetime) -> dt.datetime:
    local = now.astimezone(SHANGHAI)
    run = dt.datetime.combine(local.date(), RUN_AT, tzinfo=SHANGHAI)
    return run if run > local else run + dt.timedelta(days=1)


def schedule_daily_tick() -> bool:
    """Enqueue the next daily tick unless one is already waiting; True when it enqueued one."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=daily_tick.module_path, status="READY").exists()
    if waiting:
        return False
    daily_tick.using(run_after=next_run(timezone.now())).enqueue()
    return True
