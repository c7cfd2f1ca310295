"""Fixtures of the procurement workflow: a procuring entity, suppliers in the directory and a user for every role."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)  # a Monday in Shanghai


@pytest.fixture
def world(db):
    """Two procuring entities (one managing the other), three suppliers, users of every role."""
    from django.contrib.auth import get_user_model

    from openftz.parties.services import party_create
    from openftz.procurement import services
    from openftz.procurement.models import ProcurementProfile

    User = get_user_model()
    parent = services.entity_create(entity_id="pudong-finance", name_zh="浦东新区财政局", name_en="Pudong Finance Bureau",
                                    street_address="世纪大道2001号", contact_name="王工")
    entity = services.entity_create(entity_id="ftz-hospital", name_zh="自贸区示范医院", name_en="FTZ Model Hospital",
                                    street_address="张杨路100号", postal_code="200120", contact_name="李明",
                                    contact_email="cg@hospital.example", contact_phone="021-5000-0000",
                                    supervising_entity_id="pudong-finance")
    other = services.entity_create(entity_id="lingang-school", name_zh="临港学校", street_address="临港大道1号", contact_name="赵老师")
    suppliers = {}
    for pid, name in (("alpha-med", "阿尔法医疗"), ("beta-med", "贝塔医疗"), ("gamma-med", "伽马医疗")):
        suppliers[pid] = party_create(party_id=pid, name_zh=name, name_en=pid.title(), foreign_scheme="OPENFTZ-TEST", foreign_id=pid.upper())

    def user(name, role, **profile):
        u = User.objects.create_user(name, password="pw")
        ProcurementProfile.objects.create(user=u, role=role, **profile)
        return u

    users = {
        "officer": user("officer", "entity_officer", entity=entity),
        "other_officer": user("other-officer", "entity_officer", entity=other),
        "alpha": user("alpha", "supplier", party=suppliers["alpha-med"]),
        "beta": user("beta", "supplier", party=suppliers["beta-med"]),
        "gamma": user("gamma", "supplier", party=suppliers["gamma-med"]),
        "review": user("review", "review_body"),
        "supervisor": user("supervisor", "supervisor"),
        "root": User.objects.create_superuser("root", password="pw"),
        "nobody": User.objects.create_user("nobody", password="pw"),
    }
    return {"entity": entity, "parent": parent, "other": other, "suppliers": suppliers, "users": users}


def open_procedure(world, *, when=T0, **kwargs):
    from openftz.procurement import services

    args = dict(actor=world["users"]["officer"], entity_id="ftz-hospital", method="open", title="医用影像设备采购",
                title_en="Procurement of medical imaging equipment", description="采购CT设备一台",
                value_amount=Decimal("3500000"), items=[services.TenderItem("64排CT", Decimal(1), "台")],
                tender_period_end=when + dt.timedelta(days=41), submission_details="通过上海市政府采购云平台递交",
                eligibility_criteria="具有医疗器械经营许可证", when=when)
    return services.procedure_create(**(args | kwargs))


def awarded_procedure(world, *, when=T0, **kwargs):
    """An open procedure with three tenderers, awarded to alpha-med."""
    from openftz.procurement import services

    procedure = open_procedure(world, when=when, **kwargs)
    officer = world["users"]["officer"]
    services.procedure_release_add(actor=officer, procedure=procedure, tag="tenderUpdate",
                                   tenderers=["alpha-med", "beta-med", "gamma-med"], when=when + dt.timedelta(days=42))
    services.procedure_release_add(actor=officer, procedure=procedure, tag="award",
                                   awards=[{"id": "1", "title": "CT设备", "value": {"amount": 3300000, "currency": "CNY"},
                                            "suppliers": [{"id": "alpha-med"}]}], when=when + dt.timedelta(days=45))
    procedure.refresh_from_db()
    return procedure


_triggers = {"dropped": True}  # install them once per run too (a reused test database may have lost them)


@pytest.fixture
def flushable_records(transactional_db):
    """Tests whose data is flushed, not rolled back: the retention triggers would (rightly) refuse the flush of kept
    rows, so they are dropped before it and installed again before the next test."""
    from django.db import connection

    from openftz.procurement import retention

    yield
    retention.drop_triggers(connection)
    _triggers["dropped"] = True


@pytest.fixture(autouse=True)
def retention_triggers_back(django_db_setup, django_db_blocker):
    """Runs before the test's transaction opens, so the triggers it installs again stay installed."""
    if _triggers["dropped"]:
        from django.db import connection

        from openftz.procurement import retention

        with django_db_blocker.unblock():
            retention.install_triggers(connection)
        _triggers["dropped"] = False
