"""The daily reminders job: every approval gets the reminders due today, then tomorrow's run is queued (the tasks
framework, database backend — the tracker's pattern). ``openftz dataexport tick`` does the same work at once."""
from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from openftz.tracker.tasks import next_run


@task()
def daily_reminders() -> dict[str, int]:
    from .services import reminders_tick

    counts = reminders_tick()
    schedule_daily_reminders()
    return counts


def schedule_daily_reminders() -> bool:
    """Enqueue the next run unless one is already waiting; True when it enqueued one."""
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=daily_reminders.module_path, status="READY").exists():
        return False
    daily_reminders.using(run_after=next_run(timezone.now())).enqueue()
    return True
