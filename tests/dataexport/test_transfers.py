"""Yearly counting: each recorded transfer is assessed with the year's cumulative counts, reset each 1 January."""
import datetime as dt
import json

import pytest
from django.test import Client

from openftz.core.errors import InvalidInput, NotFound
from openftz.dataexport import services
from openftz.dataexport.models import RecordedTransfer
from openftz.parties.models import Party

pytestmark = pytest.mark.django_db


def raw(people=0, sensitive=0):
    return {"processor": {"ciio": False, "state_organ": False, "ftz_registered": False},
            "transfer": {"recipient_foreign_judicial_authority": False, "important_data": False, "personal_info_people": people,
                         "sensitive_personal_info_people": sensitive, "collected_abroad_only": False, "purpose": None,
                         "ftz_negative_list": None}}


@pytest.fixture
def firm(db, django_user_model):
    party = Party.objects.create(id="demo-trading", name_zh="示例贸易有限公司", foreign_scheme="GB-COH", foreign_id="01234567")
    user = django_user_model.objects.create_user("firm", password="pw")
    services.representative_set(username="firm", party_id=party.pk)
    return party, user


def test_counts_add_up_within_a_year_and_reset_on_1_january(firm):
    party, user = firm
    first = services.transfer_record(actor=user, party_id=party.pk, on=dt.date(2026, 3, 1), raw=raw(60_000))
    assert (first.pathway, first.cumulative_people) == ("exempt", 60_000)
    assert [w["threshold"] for w in first.assessment["warnings"]] == [100_000]  # the next 60,000 would cross it
    second = services.transfer_record(actor=user, party_id=party.pk, on=dt.date(2026, 5, 1), raw=raw(50_000))
    assert (second.pathway, second.cumulative_people) == ("standard_contract_or_certification", 110_000)
    third = services.transfer_record(actor=user, party_id=party.pk, on=dt.date(2026, 6, 1), raw=raw(0, 9_999))
    assert third.cumulative_sensitive == 9_999 and third.assessment["warnings"][0]["threshold"] == 10_000
    new_year = services.transfer_record(actor=user, party_id=party.pk, on=dt.date(2027, 1, 1), raw=raw(60_000))
    assert (new_year.pathway, new_year.cumulative_people) == ("exempt", 60_000)


def test_bad_input_records_nothing(firm, django_user_model):
    party, user = firm
    with pytest.raises(InvalidInput, match="negative"):
        services.transfer_record(actor=user, party_id=party.pk, on=dt.date(2026, 1, 2), raw=raw(-1))
    admin = django_user_model.objects.create_superuser("zone-admin", password="pw")
    with pytest.raises(NotFound):
        services.transfer_record(actor=admin, party_id="no-such-party", on=dt.date(2026, 1, 2), raw=raw(1))
    assert not RecordedTransfer.objects.exists()


def test_api(firm):
    party, user = firm
    client = Client()
    body = {**raw(150_000), "party": party.pk, "transferred_on": "2026-04-01"}
    assert client.post("/api/dataexport/transfers", data=json.dumps(body), content_type="application/json").status_code == 401
    client.force_login(user)
    created = client.post("/api/dataexport/transfers", data=json.dumps(body), content_type="application/json")
    assert created.status_code == 201 and created.json()["assessment"]["pathway"] == "standard_contract_or_certification"
    listed = client.get("/api/dataexport/transfers", {"party": party.pk, "year": 2026}).json()
    assert [r["cumulative_people"] for r in listed] == [150_000]
    other = client.post("/api/dataexport/transfers", data=json.dumps({**body, "party": "nobody"}), content_type="application/json")
    assert other.status_code == 403  # a representative acts for its own party only


def test_only_the_representative_or_the_zone_administration_records_and_reads(firm, django_user_model):
    party, _ = firm
    stranger = Client()
    stranger.force_login(django_user_model.objects.create_user("stranger", password="pw"))
    body = {**raw(1_000), "party": party.pk, "transferred_on": "2026-04-01"}
    assert stranger.post("/api/dataexport/transfers", data=json.dumps(body), content_type="application/json").status_code == 403
    assert stranger.get("/api/dataexport/transfers", {"party": party.pk, "year": 2026}).status_code == 403
    assert not RecordedTransfer.objects.exists()
    admin = Client()
    admin.force_login(django_user_model.objects.create_superuser("zone-admin", password="pw"))
    assert admin.post("/api/dataexport/transfers", data=json.dumps(body), content_type="application/json").status_code == 201
    missing = admin.post("/api/dataexport/transfers", data=json.dumps({**body, "party": "nobody"}), content_type="application/json")
    assert missing.status_code == 404
