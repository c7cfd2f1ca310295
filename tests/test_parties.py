"""The enterprise directory: identifiers (USCC, LEI, foreign), keys with rotation and revocation, API and CLI."""
import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from openftz.cli import app as cli
from openftz.core import crypto
from openftz.core.errors import InvalidInput, NotFound
from openftz.parties import rules, selectors, services
from openftz.parties.models import Party, PartyKey

USCC = "91310000MA1FL4LC9D"  # check digit computed with stdnum.cn.uscc for a made-up base
LEI = "529900T8BM49AURSDO55"  # the LEI in DCSA's eBL examples


@pytest.mark.parametrize("kwargs, field", [
    ({"uscc": "91310000MA1FL4LC9X"}, "uscc"),           # wrong check character
    ({"lei": "529900T8BM49AURSDO56"}, "lei"),           # wrong check digits
    ({"foreign_scheme": "EORI"}, "foreign_id"),          # scheme without value
    ({"foreign_scheme": "e o r i", "foreign_id": "1"}, "foreign_scheme"),
])
def test_bad_identifiers_are_refused(kwargs, field):
    args = {"uscc": None, "lei": None, "foreign_scheme": None, "foreign_id": None} | kwargs
    with pytest.raises(InvalidInput) as err:
        rules.clean_identifiers(**args)
    assert err.value.details["field"] == field


def test_identifiers_are_normalised_and_one_is_required():
    ids = rules.clean_identifiers(uscc=" 91310000ma1fl4lc9d ".upper(), lei=LEI.lower(), foreign_scheme="eori", foreign_id="DE123")
    assert (ids.uscc, ids.lei, ids.foreign_scheme) == (USCC, LEI, "EORI")
    with pytest.raises(InvalidInput):
        rules.clean_identifiers(uscc="", lei=None, foreign_scheme=None, foreign_id=None)


@pytest.mark.django_db
def test_party_create_and_conflicts_write_nothing():
    services.party_create(party_id="sipg", name_zh="上海国际港务", name_en="SIPG", uscc=USCC)
    with pytest.raises(InvalidInput) as err:
        services.party_create(party_id="other", name_zh="另一家", uscc=USCC)
    assert err.value.status == 409
    with pytest.raises(InvalidInput):
        services.party_create(party_id="Bad Id", name_zh="x", lei=LEI)
    assert list(Party.objects.values_list("id", flat=True)) == ["sipg"]


@pytest.mark.django_db
@pytest.mark.parametrize("algorithm", crypto.ALGORITHMS)
def test_key_rotation_and_revocation(algorithm):
    services.party_create(party_id="carrier", name_zh="承运人", lei=LEI)
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    first = services.party_key_add(party_id="carrier", algorithm=algorithm,
                                   public_key=crypto.public_key_pem(algorithm, crypto.generate_private_key(algorithm)), at=t0)
    assert (first.valid_until - first.valid_from).days == 730  # data/parameters/parties.yaml
    t1 = t0 + dt.timedelta(days=10)
    second = services.party_key_add(party_id="carrier", algorithm=algorithm,
                                    public_key=crypto.public_key_pem(algorithm, crypto.generate_private_key(algorithm)), at=t1)
    first.refresh_from_db()
    assert first.valid_until == t1  # rotation ended the old key
    rules.key_usable(selectors.key_facts(first), party_id="carrier", at=t0 + dt.timedelta(days=1))
    with pytest.raises(InvalidInput) as err:
        rules.key_usable(selectors.key_facts(first), party_id="carrier", at=t1)
    assert err.value.code == "key_expired"
    with pytest.raises(InvalidInput) as err:
        rules.key_usable(selectors.key_facts(second), party_id="someone-else", at=t1)
    assert err.value.code == "key_not_owned"
    services.party_key_revoke(kid=second.kid, reason="compromised", at=t1 + dt.timedelta(days=1))
    with pytest.raises(InvalidInput) as err:
        rules.key_usable(selectors.key_facts(PartyKey.objects.get(pk=second.kid)), party_id="carrier", at=t1 + dt.timedelta(days=2))
    assert err.value.code == "key_revoked"


@pytest.mark.django_db
def test_a_key_that_is_not_a_key_is_refused():
    services.party_create(party_id="carrier", name_zh="承运人", lei=LEI)
    sm2_public = crypto.public_key_pem("SM2", crypto.generate_private_key("SM2"))
    for algorithm, pem in (("SM2", "not a key"), ("Ed25519", sm2_public), ("RSA", sm2_public)):
        with pytest.raises(InvalidInput):
            services.party_key_add(party_id="carrier", algorithm=algorithm, public_key=pem)
    with pytest.raises(NotFound):
        services.party_key_add(party_id="nobody", algorithm="SM2", public_key=sm2_public)
    assert not PartyKey.objects.exists()


@pytest.mark.django_db
def test_parties_api(client):
    services.party_create(party_id="sipg", name_zh="上海国际港务", uscc=USCC)
    body = client.get("/api/parties/").json()
    assert body["count"] == 1 and body["parties"][0]["uscc"] == USCC
    assert client.get("/api/parties/sipg").json()["name_zh"] == "上海国际港务"
    missing = client.get("/api/parties/nobody")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found" and missing.json()["message_zh"]


@pytest.mark.django_db
def test_parties_cli(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["parties", "add", "sipg", "--name-zh", "上海国际港务", "--uscc", USCC])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(cli, ["parties", "add", "x2", "--name-zh", "坏", "--uscc", "123"])
    assert bad.exit_code == 2 and "unified social credit code" in bad.output
    gen = runner.invoke(cli, ["parties", "keygen", "--out", str(tmp_path / "k.pem")])
    assert gen.exit_code == 0 and "BEGIN PUBLIC KEY" in gen.output
    assert (tmp_path / "k.pem").stat().st_mode & 0o777 == 0o600
    (tmp_path / "k.pub").write_text(gen.output)
    added = runner.invoke(cli, ["parties", "key-add", "sipg", str(tmp_path / "k.pub")])
    assert added.exit_code == 0, added.output
    listed = json.loads(runner.invoke(cli, ["parties", "list"]).output)
    assert listed[0]["keys"][0]["algorithm"] == "SM2"
    assert runner.invoke(cli, ["parties", "key-revoke", "nokey", "--reason", "x"]).exit_code == 2


@pytest.mark.django_db
def test_party_pages(client):
    services.party_create(party_id="sipg", name_zh="上海国际港务", name_en="SIPG", uscc=USCC)
    pem = crypto.generate_private_key("SM2")
    key = services.party_key_add(party_id="sipg", algorithm="SM2", public_key=crypto.public_key_pem("SM2", pem))
    assert "上海国际港务" in client.get("/parties/").content.decode()
    page = client.get("/parties/sipg/").content.decode()
    assert USCC in page and key.kid in page and "有效" in page
    services.party_key_revoke(kid=key.kid, reason="泄露")
    assert "已撤销" in client.get("/parties/sipg/").content.decode()
    assert "revoked" in client.get("/en/parties/sipg/").content.decode()
    assert client.get("/parties/nobody/").status_code == 404
