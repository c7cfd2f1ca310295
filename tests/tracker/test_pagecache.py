"""Whole pages served from the cache: never older than the last write, never another session's; and the fast reads
behind every signed-in request (session, user with its profile, data version)."""
import datetime as dt
import re
import time
from types import SimpleNamespace

from django.contrib.sessions.models import Session
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openftz.tracker import selectors, services

from .conftest import make_user


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def without_tokens(content: bytes) -> bytes:
    """A page with its CSRF tokens blanked: each response masks the client's token afresh."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b'name="csrfmiddlewaretoken" value=""', content)


def test_a_write_is_seen_at_once_on_a_cached_page(people, own_task):
    coordinator = client_for(people["coordinator"])
    first = coordinator.get(f"/tracker/tasks/{own_task.pk}/")
    with CaptureQueriesContext(connection) as queries:
        again = coordinator.get(f"/tracker/tasks/{own_task.pk}/")
    assert without_tokens(again.content) == without_tokens(first.content)  # a hit: the same page …
    assert len(queries) == 1  # … for a session this process verified: one read of the data and access versions
    services.task_update(actor=people["coordinator"], task=own_task, status="drafting_rules", progress=35, note="起草中")
    after = coordinator.get(f"/tracker/tasks/{own_task.pk}/")
    assert after.content != first.content and "35%" in after.content.decode()


def test_viewers_with_the_same_permissions_share_a_page_each_with_their_own_name_and_token(people, own_task, other_task):
    second_coordinator = make_user("coord-2", "coordinator")
    first, second = client_for(people["coordinator"]), client_for(second_coordinator)
    path = f"/tracker/tasks/{own_task.pk}/"
    mine = first.get(path).content
    with CaptureQueriesContext(connection) as queries:
        theirs = second.get(path).content
    # served from the first coordinator's rendering: session + user, the data version, and the two memberships the
    # menu depends on beside the tracker role (data export representative, e-invoice party)
    assert len(queries) == 5, [q["sql"] for q in queries]
    assert b'<span class="who">coord-2</span>' in theirs and b'<span class="who">coord</span>' not in theirs
    assert without_tokens(theirs) == without_tokens(mine).replace(b'<span class="who">coord</span>', b'<span class="who">coord-2</span>')
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', theirs).group(1).decode()
    answer = second.post(path, {"action": "report", "narrative": "起草", "status": "drafting_rules", "progress": 10, "csrfmiddlewaretoken": token})
    assert answer.status_code == 302  # the token put into the shared page is valid for this client
    # a unit officer sees its own unit's task with its forms; another unit's officer is refused, never served it
    officer, other = client_for(people["officer"]), client_for(people["other_officer"])
    assert b'id="report-form"' in officer.get(path).content
    assert other.get(path).status_code == 403
    assert b'id="report-form"' not in client_for(people["other_officer"]).get(f"/tracker/tasks/{own_task.pk + 10**6}/").content


def test_a_public_page_with_a_form_is_shared_between_enterprises_each_with_a_token_of_its_own(people, tasks):
    path = "/tracker/progress/SH-39/"
    with CaptureQueriesContext(connection) as rendering:
        assert b"csrfmiddlewaretoken" in client_for(people["enterprise"]).get(path).content
    other_firm = Client(enforce_csrf_checks=True)
    other_firm.force_login(make_user("firm-2", "enterprise"))
    with CaptureQueriesContext(connection) as queries:
        page = other_firm.get(path)
    assert page.status_code == 200 and len(queries) < len(rendering)  # served from the first enterprise's rendering
    assert b'<span class="who">firm-2</span>' in page.content
    masked = re.search(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page.content).group(1).decode()
    assert _unmask_cipher_token(masked) == other_firm.cookies["csrftoken"].value  # this client's own token
    answer = other_firm.post(path, {"kind": "question", "text": "何时施行?", "csrfmiddlewaretoken": masked})
    assert answer.status_code == 302


def test_a_cached_page_is_never_served_to_another_session_or_role(people, other_task):
    coordinator, officer = client_for(people["coordinator"]), client_for(people["officer"])
    assert coordinator.get(f"/tracker/tasks/{other_task.pk}/").status_code == 200
    assert officer.get(f"/tracker/tasks/{other_task.pk}/").status_code == 403  # another unit's task
    second_session = client_for(people["coordinator"])
    page = second_session.get(f"/tracker/tasks/{other_task.pk}/").content.decode()
    token = second_session.cookies["csrftoken"].value
    assert "csrfmiddlewaretoken" in page and token  # its own forms carry a token valid for its own session
    answer = second_session.post(f"/tracker/tasks/{other_task.pk}/", {
        "action": "report", "narrative": "起草", "status": "drafting_rules", "progress": 10, "csrfmiddlewaretoken": token})
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

    make_user("spare")  # a user without a profile: the next user's id and its profile's id differ
    for name, user in (people | {"shifted": make_user("shifted", "unit_officer", "上海海关")}).items():
        if user is None:
            continue
        fast, orm = Backend().get_user(user.pk), User.objects.select_related("tracker_profile").get(pk=user.pk)
        assert {k: v for k, v in vars(fast).items() if k != "_state"} == {k: v for k, v in vars(orm).items() if k != "_state"}, name
        assert vars(fast.tracker_profile).keys() == vars(orm.tracker_profile).keys()
        assert vars(fast.tracker_profile) | {"_state": None} == vars(orm.tracker_profile) | {"_state": None}, name
    plain = make_user("no-profile")
    assert not hasattr(Backend().get_user(plain.pk), "tracker_profile")  # no profile: the public role, as with the ORM
    assert Backend().get_user(10**9) is None and Backend().get_user("x") is None and Backend().get_user(None) is None


def test_the_data_version_is_read_once_a_request_and_fresh_outside_requests(people, tasks):
    from openftz.tracker.models import DataVersion

    DataVersion.bump()
    before = DataVersion.current()
    DataVersion.objects.filter(pk=1).update(value=10**6)  # another process writes
    assert DataVersion.current() != before  # outside a request: every read is fresh
    DataVersion.open_memo()  # what request_started does (sending the signal would also close the test's connection)
    try:
        seen = DataVersion.current()
        DataVersion.objects.filter(pk=1).update(value=10**6 + 1)  # another process writes during this request
        assert DataVersion.current() == seen  # one version for the whole request
        services.task_update(actor=people["coordinator"], task=tasks.first(), status="drafting_rules", progress=5, note="")
        assert DataVersion.current() not in (seen, before)  # a write of this request is seen at once
    finally:
        DataVersion.close_memo()
    DataVersion.objects.filter(pk=1).update(value=10**6 + 7)
    assert DataVersion.current().endswith(".1000007")


def test_the_csrf_token_put_into_a_cached_page_is_the_clients_secret_under_a_fresh_mask():
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import RequestFactory

    from openftz.tracker.pagecache import _csrf_token

    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = secret = _get_new_csrf_string()
    tokens = {_csrf_token(request) for _ in range(200)}
    assert len(tokens) == 200 and all(re.fullmatch(r"[A-Za-z0-9]{64}", t) for t in tokens)
    assert {_unmask_cipher_token(t) for t in tokens} == {secret}
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]  # the cookie is sent again, as get_token does
    assert len({t[i] for t in tokens for i in range(32)}) == 62  # masks drawn over the whole alphabet
    fresh = RequestFactory().get("/")  # no cookie yet: Django makes the secret
    assert _unmask_cipher_token(_csrf_token(fresh)) == fresh.META["CSRF_COOKIE"]


def test_a_remembered_session_is_served_fast_until_anything_could_have_ended_or_narrowed_it(people, own_task, other_task, monkeypatch):
    from openftz.tracker import pagecache

    path = f"/tracker/tasks/{own_task.pk}/"
    officer = client_for(people["officer"])
    assert officer.get(path).status_code == 200  # verified the whole way, and remembered
    with CaptureQueriesContext(connection) as queries:
        fast = officer.get(path)
    assert fast.status_code == 200 and len(queries) == 1 and "Cookie" in fast["Vary"]
    assert b'<span class="who">customs</span>' in fast.content
    assert officer.get(f"/tracker/tasks/{other_task.pk}/").status_code == 403  # another unit's task: never from memory
    # the officer becomes an enterprise user: the profile's save moves the access version on
    profile = people["officer"].tracker_profile
    profile.role, profile.unit = "enterprise", None
    profile.save()
    assert officer.get(path).status_code == 403
    # a session ended elsewhere (a sign-out in another worker deletes it) is not served again
    coordinator = client_for(people["coordinator"])
    assert coordinator.get("/tracker/dashboard/").status_code == 200
    assert coordinator.get("/tracker/dashboard/").status_code == 200
    stolen = coordinator.cookies["sessionid"].value
    Session.objects.filter(session_key=stolen).delete()
    replay = Client()
    replay.cookies["sessionid"] = stolen
    assert replay.get("/tracker/dashboard/").status_code == 302  # to the login page
    # a deactivated user is signed out at once
    firm = make_user("coord-3", "coordinator")
    third = client_for(firm)
    third.get("/tracker/dashboard/")
    assert third.get("/tracker/dashboard/").status_code == 200
    firm.is_active = False
    firm.save()
    assert third.get("/tracker/dashboard/").status_code == 302
    # a session ended by a direct SQL update sends no signal: it is honoured once the memory's lifetime is over
    fourth = client_for(make_user("coord-4", "coordinator"))
    fourth.get("/tracker/dashboard/")
    Session.objects.filter(session_key=fourth.cookies["sessionid"].value).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert fourth.get("/tracker/dashboard/").status_code == 200  # still remembered …
    later = time.monotonic() + pagecache.SESSION_MEMORY_SECONDS + 1
    monkeypatch.setattr(pagecache, "time", SimpleNamespace(monotonic=lambda: later, time=time.time))
    assert fourth.get("/tracker/dashboard/").status_code == 302  # … for SESSION_MEMORY_SECONDS at most


def test_a_sign_out_moves_the_access_version_on(people):
    from openftz.tracker.models import DataVersion

    coordinator = Client()
    coordinator.login(username="coord", password="pw-coord")  # a real sign-in only stamps last_login
    before = DataVersion.current_access()
    assert coordinator.get("/tracker/dashboard/").status_code == 200 and DataVersion.current_access() == before
    coordinator.post("/tracker/logout/")
    assert DataVersion.current_access() != before
