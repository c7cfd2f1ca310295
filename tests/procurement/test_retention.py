"""SH-81: procedure records cannot be deleted until 15 years after the procedure ends — through the ORM, the admin,
the API, a service or raw SQL — and every refusal is logged."""
import datetime as dt
import logging

import pytest
from django.db import connection, transaction

from openftz.procurement import services
from openftz.procurement.models import AuditEntry, Challenge, Procedure, Release
from openftz.procurement.permissions import Forbidden
from openftz.procurement.retention import RecordsKept

from .conftest import SHANGHAI, T0, awarded_procedure, open_procedure

OLD = dt.datetime(2005, 3, 1, 9, tzinfo=SHANGHAI)


def expired_procedure(world):
    """A procedure taken over from before the rules (2005-2008, when no parameter was yet in force), whose end is
    recorded as it happened: its 15 years ran out in 2023. The database lets an open procedure's end be set once."""
    procedure = awarded_procedure(world)
    services.challenge_file(actor=world["users"]["beta"], procedure=procedure, grounds="评分不公", knew_on=T0.date(),
                            when=T0 + dt.timedelta(days=46))
    Procedure.objects.filter(pk=procedure.pk).update(started_on=OLD.date(), ended_on=dt.date(2008, 1, 10),
                                                     retain_until=dt.date(2023, 1, 10))
    return Procedure.objects.get(pk=procedure.pk)


def refusals(via):
    return AuditEntry.objects.filter(action="delete_refused", via=via)


def test_a_service_refuses_and_audits(world):
    procedure = open_procedure(world)
    with pytest.raises(RecordsKept) as exc:
        services.record_delete(actor=world["users"]["root"], obj=procedure, via="service")
    assert exc.value.status == 409 and "has not ended" in exc.value.message_en
    entry = refusals("service").get()
    assert (entry.actor, entry.object_type, entry.ocid) == (world["users"]["root"], "procedure", procedure.ocid)
    assert entry.details["findings"][0]["cites"] == ["SH-81", "SC-57"]


@pytest.mark.parametrize("target", ["procedure", "release", "challenge", "audit"])
def test_the_orm_refuses_and_audits(world, target):
    procedure = awarded_procedure(world)
    challenge = services.challenge_file(actor=world["users"]["beta"], procedure=procedure, grounds="x", knew_on=T0.date(),
                                        when=T0 + dt.timedelta(days=46))
    obj = {"procedure": procedure, "release": procedure.releases.first(), "challenge": challenge,
           "audit": AuditEntry.objects.first()}[target]
    with pytest.raises(RecordsKept):
        obj.delete()
    with pytest.raises(RecordsKept):
        type(obj).objects.filter(pk=obj.pk).delete()
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert refusals("orm").count() == 2


def test_an_ended_procedure_is_kept_until_its_fifteen_years_are_over(world):
    procedure = awarded_procedure(world)
    services.procedure_end(actor=world["users"]["officer"], procedure=procedure, status="complete", when=T0 + dt.timedelta(days=60))
    with pytest.raises(RecordsKept) as exc:
        procedure.releases.first().delete()
    assert "2040-05-02" in exc.value.message_en


def test_raw_sql_is_refused_by_the_database_and_logged(world, caplog):
    procedure = awarded_procedure(world)
    for sql in ("DELETE FROM procurement_release", "DELETE FROM procurement_procedure",
                "DELETE FROM procurement_auditentry", "UPDATE procurement_release SET tags = '[]'",
                "UPDATE procurement_auditentry SET action = 'x'"):
        with caplog.at_level(logging.WARNING, logger="openftz.procurement.retention"):
            with pytest.raises(RecordsKept), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
        assert "the database refused" in caplog.text
        caplog.clear()
    assert Release.objects.filter(procedure=procedure).count() == 3 and AuditEntry.objects.count() == 3


def test_the_database_refuses_to_shorten_a_retention_date(world):
    procedure = awarded_procedure(world)
    services.procedure_end(actor=world["users"]["officer"], procedure=procedure, status="complete", when=T0 + dt.timedelta(days=60))
    for assignment in ("retain_until = '2020-01-01'", "retain_until = NULL", "ended_on = '2010-01-01'"):
        with pytest.raises(RecordsKept), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE procurement_procedure SET {assignment} WHERE id = %s", [procedure.pk])
    assert Procedure.objects.get(pk=procedure.pk).retain_until == dt.date(2040, 5, 2)


@pytest.mark.usefixtures("flushable_records")
def test_raw_sql_outside_a_transaction_is_refused_and_written_to_the_audit_trail(world):
    awarded_procedure(world)
    with pytest.raises(RecordsKept), connection.cursor() as cursor:
        cursor.execute("DELETE FROM procurement_release")
    entry = refusals("sql").get()
    assert entry.details["sql"] == "DELETE FROM procurement_release" and Release.objects.count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is a PostgreSQL statement")
def test_truncate_is_refused_while_rows_are_kept(world):
    awarded_procedure(world)
    with connection.cursor() as cursor:  # the test's own rows have deferred foreign-key checks pending: run them now
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table in ("procurement_release", "procurement_procedure", "procurement_auditentry"):
        with pytest.raises(RecordsKept), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table} CASCADE")
    assert Release.objects.count() == 3


def test_the_admin_refuses_and_audits(world, client):
    procedure = awarded_procedure(world)
    client.force_login(world["users"]["root"])
    url = f"/admin/procurement/procedure/{procedure.pk}/delete/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"post": "yes"}, follow=True)
    assert "kept by law" in response.content.decode()
    response = client.post("/admin/procurement/release/", {"action": "_delete_through_service",
                                                           "_selected_action": [r.pk for r in procedure.releases.all()]}, follow=True)
    assert response.status_code == 200 and Release.objects.filter(procedure=procedure).count() == 3
    assert refusals("admin").count() == 4
    assert client.get(f"/admin/procurement/release/{procedure.releases.first().pk}/change/").status_code == 200  # read only view


def test_after_fifteen_years_only_a_superuser_destroys_and_it_is_audited(world):
    procedure = expired_procedure(world)
    assert procedure.retain_until == dt.date(2023, 1, 10)
    with pytest.raises(Forbidden):
        services.record_delete(actor=world["users"]["supervisor"], obj=procedure)
    assert not refusals("service").exists()  # the role decided: not a retention event
    ocid = procedure.ocid
    services.record_delete(actor=world["users"]["root"], obj=procedure)
    assert not Procedure.objects.filter(ocid=ocid).exists() and not Challenge.objects.filter(procedure__ocid=ocid).exists()
    assert AuditEntry.objects.filter(action="destroy_expired", ocid=ocid, object_type="procedure").count() == 1
    assert AuditEntry.objects.filter(ocid=ocid, action="procedure_create").exists()  # the trail outlives the records


@pytest.mark.parametrize("role", ["officer", "other_officer", "alpha", "beta", "review", "supervisor", "nobody"])
def test_only_someone_who_could_delete_leaves_a_refusal_in_the_audit_trail(world, client, role):
    """Anyone signed in asking to delete a kept record gets 403 before the retention rule is asked, and writes
    nothing; a superuser (who could delete an expired record) gets 409 and the refusal is audited."""
    procedure = awarded_procedure(world)
    challenge = services.challenge_file(actor=world["users"]["beta"], procedure=procedure, grounds="x", knew_on=T0.date(),
                                        when=T0 + dt.timedelta(days=46))
    debriefing = services.debriefing_request(actor=world["users"]["beta"], procedure=procedure, when=T0 + dt.timedelta(days=46))
    urls = (f"/api/procurement/procedures/{procedure.ocid}", f"/api/procurement/challenges/{challenge.pk}",
            f"/api/procurement/debriefings/{debriefing.pk}")
    entries = AuditEntry.objects.count()
    client.force_login(world["users"][role])
    for url in urls:
        response = client.delete(url)
        assert response.status_code in (403, 404) and response.json()["code"] in ("forbidden", "not_found"), url
    with pytest.raises(Forbidden):
        services.record_delete(actor=world["users"][role], obj=procedure)
    assert AuditEntry.objects.count() == entries
    client.force_login(world["users"]["root"])
    for url in urls:
        assert client.delete(url).status_code == 409
    assert refusals("api").count() == 3 and AuditEntry.objects.count() == entries + 3
