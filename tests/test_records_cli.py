"""The scripted CLI of the registry (contract names): parties add, records issue / endorse / transfer / surrender /
accept-surrender / history, ledger verify — and an instruction signed by anyone but the person in control."""
import json

import pytest
from typer.testing import CliRunner

from openftz.cli import app
from openftz.ledger.models import Entry
from tests.conftest import DATA

runner = CliRunner()
pytestmark = pytest.mark.django_db
DOCUMENT = DATA / "dcsa" / "transport-document-regularSTDExample.json"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def parties(tmp_path):
    keys = {}
    for party, extra, algorithm in (("carrier", ["--uscc", "91310000MA1FL4LC9D"], "sm2"),
                                    ("shipper", ["--foreign-scheme", "EORI", "--foreign-id", "DE1234"], "ed25519"),
                                    ("bank", ["--foreign-scheme", "EORI", "--foreign-id", "DE9999"], "sm2")):
        keys[party] = tmp_path / f"{party}.pem"
        result = run("parties", "add", party, "--name", f"{party} 公司", *extra, "--keygen", algorithm, "--key-out", keys[party])
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == party
    return keys


def test_party_id_derived_from_the_uscc(tmp_path):
    result = run("parties", "add", "--name", "上海示例", "--uscc", "91310000MA1FL4LC9D", "--keygen", "sm2", "--key-out", tmp_path / "k.pem")
    assert result.exit_code == 0 and result.stdout.strip() == "91310000ma1fl4lc9d"
    assert (tmp_path / "k.pem").stat().st_mode & 0o777 == 0o600


def test_life_of_a_bill_of_lading(parties):
    issued = run("records", "issue", "--type", "ebl", "--document", DOCUMENT, "--issuer", "carrier", "--holder", "shipper",
                 "--key", parties["carrier"])
    assert issued.exit_code == 0, issued.output
    record = issued.stdout.strip()
    assert record == json.loads(DOCUMENT.read_text())["transportDocumentReference"]
    for args in (("endorse", record, "--to", "bank", "--key", parties["shipper"]),
                 ("endorse", record, "--to", "shipper", "--key", parties["bank"]),
                 ("surrender", record, "--key", parties["shipper"]),
                 ("accept-surrender", record, "--key", parties["carrier"])):
        result = run("records", *args)
        assert result.exit_code == 0, result.output
    history = json.loads(run("records", "history", record, "--format", "json").stdout)
    assert [e["op"] for e in history["events"]] == ["issue", "endorse_to_order", "endorse_to_order", "surrender_for_delivery", "accept_surrender"]
    assert history["record"]["status"] == "surrendered"
    assert run("ledger", "verify").exit_code == 0


def test_only_the_person_in_control_may_instruct(parties):
    record = run("records", "issue", "--type", "ebl", "--document", DOCUMENT, "--issuer", "carrier", "--holder", "shipper",
                 "--key", parties["carrier"]).stdout.strip()
    entries = Entry.objects.count()
    result = run("records", "transfer", record, "--to", "bank", "--key", parties["bank"])
    assert result.exit_code == 2 and "person in control" in result.output
    assert Entry.objects.count() == entries
    forged = run("records", "issue", "--type", "ebl", "--document", DOCUMENT, "--issuer", "carrier", "--holder", "bank",
                 "--key", parties["shipper"])
    assert forged.exit_code == 2 and "not to the issuer" in forged.output
