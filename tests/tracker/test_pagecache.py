"""Whole pages served from the cache: never older than the last write, never another session's; and the fast reads
behind every signed-in request (session, user with its profile, data version)."""
import datetime as dt

from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from openftz.tracker import selectors, services

from .conftest import make_user


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_a_write_is_seen_at_once_on_a_cached_page(people, own_task):
    coordinator = client_for(people["coordinator"])
    first = coordinator.get(f"/tracker/tasks/{own_task.pk}/")
    assert coordinator.get(f"/tracker/tasks/{own_task.pk}/").content == first.content  # a hit: the same bytes
    services.task_update(actor=people["coordinator"], task=own_task, status="drafting_rules", progress=35, note="起草中")
    after = coordinator.get(f"/tracker/tasks/{own_task.pk}/")
    assert after.content != first.content and "35%" in after.content.decode()


def test_a_cached_page_is_never_served_to_another_session_or_role(people, other_task):
    coordinator, officer = client_for(people["coordinator"]), client_for(people["officer"])
    assert coordinator.get(f"/tracker/tasks/{other_task.pk}/").status_code == 200
    assert officer.get(f"/tracker/tasks/{other_task.pk}/").status_code == 403  # another unit's task
    second_session = client_for(people["coordinator"])
    page = second_session.get(f"/tracker/tasks/{other_task.pk}/").content.decode()
    token = second_session.cookies["csrftoken"].value
    assert "csrfmiddlewaretoken" in page and token  # its own forms carry a token valid for its own session
    answer = second_session.post(f"/tracker/tasks/{other_task.pk}/", {
        "action": "status", "status": "drafting_rules", "progress": 10, "note": "", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302


def test_signed_in_reads(people, tasks):
    user = make_user("plain")  # no tracker profile: the public role
    c = client_for(user)
    assert c.get("/tracker/dashboard/").status_code == 403
    officer = client_for(people["officer"])
    assert officer.get("/tracker/dashboard/").status_code == 200  # unit officers see the dashboard
    people["officer"].is_active = False
    people["officer"].save()
    assert officer.get("/tracker/dashboard/").status_code == 302  # a deactivated user is signed out: to the login page
    Session.objects.filter(session_key=c.session.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert c.get("/tracker/dashboard/").status_code == 302  # an expired session is no session
    before = selectors.data_version()
    services.task_update(actor=people["coordinator"], task=tasks.first(), status="drafting_rules", progress=5, note="")
    assert selectors.data_version() != before
