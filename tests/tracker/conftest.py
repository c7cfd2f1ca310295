import pytest
from django.contrib.auth import get_user_model

from openftz.rulebook.models import Unit
from openftz.tracker.models import Profile, Task
from openftz.tracker.services import tasks_sync


@pytest.fixture
def tasks(db):
    tasks_sync()
    return Task.objects.all()


def make_user(username, role=None, unit=None, **extra):
    user = get_user_model().objects.create_user(username=username, password="pw-" + username, **extra)
    if role:
        Profile.objects.create(user=user, role=role, unit=Unit.objects.get(name=unit) if unit else None)
    return user


@pytest.fixture
def people(db):
    return {
        "coordinator": make_user("coord", "coordinator"),
        "officer": make_user("customs", "unit_officer", "上海海关"),
        "other_officer": make_user("data", "unit_officer", "市数据局"),
        "enterprise": make_user("firm", "enterprise"),
        "public": None,
    }


@pytest.fixture
def own_task(tasks):
    return Task.objects.filter(unit__name="上海海关").order_by("pk").first()


@pytest.fixture
def other_task(tasks):
    return Task.objects.filter(unit__name="市数据局").order_by("pk").first()
