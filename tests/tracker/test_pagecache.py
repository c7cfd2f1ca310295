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


def test_the_backend_reads_the_user_and_profile_as_the_orm_does(people):
    from django.contrib.auth.models import User

    from openftz.tracker.auth import Backend

    for name, user in people.items():
        if user is None:
            continue
        fast, orm = Backend().get_user(user.pk), User.objects.select_related("tracker_profile").get(pk=user.pk)
        assert {k: v for k, v in vars(fast).items() if k != "_state"} == {k: v for k, v in vars(orm).items() if k != "_state"}, name
        assert vars(fast.tracker_profile).keys() == vars(orm.tracker_profile).keys()
        assert all(getattr(fast.tracker_profile, k) == getattr(orm.tracker_profile, k) for k in ("id", "role", "unit_id", "organisation"))
    plain = make_user("no-profile")
    assert not hasattr(Backend().get_user(plain.pk), "tracker_profile")  # no profile: the public role, as with the ORM
    assert Backend().get_user(10**9) is None and Backend().get_user("x") is None and Backend().get_user(None) is None


def test_the_data_version_is_read_once_a_request_and_fresh_outside_requests(people, tasks):
    from django.core.signals import request_finished, request_started

    from openftz.tracker.models import DataVersion

    DataVersion.bump()
    before = DataVersion.current()
    DataVersion.objects.filter(pk=1).update(value=10**6)  # another process writes
    assert DataVersion.current() != before  # outside a request: every read is fresh
    request_started.send(sender=None)
    try:
        seen = DataVersion.current()
        DataVersion.objects.filter(pk=1).update(value=10**6 + 1)  # another process writes during this request
        assert DataVersion.current() == seen  # one version for the whole request
        services.task_update(actor=people["coordinator"], task=tasks.first(), status="drafting_rules", progress=5, note="")
        assert DataVersion.current() not in (seen, before)  # a write of this request is seen at once
    finally:
        request_finished.send(sender=None)
    DataVersion.objects.filter(pk=1).update(value=10**6 + 7)
    assert DataVersion.current().endswith(".1000007")
