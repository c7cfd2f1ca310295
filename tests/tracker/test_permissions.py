"""The permission matrix: every role × every action, with the object-level rule for unit officers."""
import pytest

from openftz.tracker.permissions import Action, can

A = Action
# role → actions allowed (on an object of its own unit where that matters)
ALLOWED = {
    "coordinator": set(Action),
    "officer": {A.VIEW_PUBLIC, A.VIEW_TASK, A.UPDATE_TASK, A.SUBMIT_REPORT, A.VIEW_RISKS, A.RAISE_RISK, A.SUBMIT_CASE,
                A.ANSWER_FEEDBACK, A.VIEW_DASHBOARD, A.EXPORT},
    "enterprise": {A.VIEW_PUBLIC, A.ASK_FEEDBACK, A.SUBMIT_CASE},
    "public": {A.VIEW_PUBLIC},
}
OBJECT_LEVEL = {A.VIEW_TASK, A.UPDATE_TASK, A.SUBMIT_REPORT, A.RAISE_RISK, A.ANSWER_FEEDBACK}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("action", list(Action))
def test_matrix(people, own_task, other_task, role, action):
    user = people[role]
    expected = action in ALLOWED[role]
    assert can(user, action, own_task) is expected
    if role == "officer" and action in OBJECT_LEVEL:
        assert can(user, action, other_task) is False, "an officer acts only on its own unit's tasks"
        assert can(user, action, None) is False
    elif role != "officer":
        assert can(user, action, other_task) is expected


@pytest.mark.django_db
def test_superuser_is_coordinator(django_user_model, own_task):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    assert all(can(admin, action, own_task) for action in Action)


@pytest.mark.django_db
def test_user_without_profile_is_public(django_user_model, own_task):
    user = django_user_model.objects.create_user("nobody", password="pw")
    assert [a for a in Action if can(user, a, own_task)] == [A.VIEW_PUBLIC]
