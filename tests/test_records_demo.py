"""``openftz records demo [--if-empty]``: demo parties with keys, an eBL endorsed shipper → bank → importer and a
warehouse receipt, all signed instructions on the ledger; nothing loaded twice."""
import datetime as dt
import json
import os
import stat

import pytest
from typer.testing import CliRunner

from openftz.cli import app
from openftz.core import crypto
from openftz.ledger import selectors as ledger
from openftz.parties.models import Party
from openftz.records import selectors
from openftz.records.demo import EBL_ID, EWR_ID
from openftz.records.services import record_instruct

runner = CliRunner()
pytestmark = pytest.mark.django_db


def test_records_demo_on_an_empty_registry_then_if_empty_and_second_run(tmp_path, client):
    keys = tmp_path / "keys"
    out = runner.invoke(app, ["records", "demo", "--if-empty", "--keys-out", str(keys)])
    assert out.exit_code == 0, out.output
    assert "演示数据" in out.output and f"/records/{EBL_ID}/" in out.output and "/ledger/" in out.output
    assert "demo-importer" in out.output

    ebl = selectors.record_get(EBL_ID)
    assert (ebl.kind, ebl.issuer_id, ebl.holder_id) == ("ebl", "demo-carrier", "demo-importer")
    assert json.loads(ebl.document)["documentParties"]["issuingParty"]["partyName"].startswith("Ocean Carrier (demo)")
    events = list(selectors.record_events(ebl))
    assert [(e.op, e.actor_id) for e in events] == [("issue", "demo-carrier"), ("endorse_to_order", "demo-shipper"),
                                                   ("endorse_to_order", "demo-bank")]
    assert all(e.signature and e.instruction for e in events)
    ewr = selectors.record_get(EWR_ID)
    assert (ewr.kind, ewr.issuer_id, ewr.holder_id) == ("ewr", "demo-warehouse", "demo-bank")
    assert [e.op for e in selectors.record_events(ewr)] == ["issue", "endorse_to_order"]
    assert selectors.record_verify(ebl) == [] and selectors.record_verify(ewr) == []
    assert [e["op"] for e in selectors.ledger_history(EBL_ID)] == ["issue", "endorse_to_order", "endorse_to_order"]
    report = ledger.ledger_verify()
    assert report.ok and report.size == 5, report.problems
    assert all("演示" in p.name_zh for p in Party.objects.filter(pk__startswith="demo-"))

    for path in ("/records/", f"/records/{EBL_ID}/", f"/records/{EWR_ID}/", "/ledger/"):
        page = client.get(path)
        assert page.status_code == 200, path
    assert "进口商（演示）" in client.get(f"/records/{EBL_ID}/").content.decode()

    # the private key written out signs for its party: the importer surrenders the eBL for delivery
    pem = (keys / "demo-importer.pem").read_text()
    assert stat.S_IMODE(os.stat(keys / "demo-importer.pem").st_mode) == 0o600
    key = Party.objects.get(pk="demo-importer").keys.get()
    instruction = {"record": EBL_ID, "op": "surrender_for_delivery", "seq": 4, "actor": "demo-importer", "key_id": key.kid,
                   "at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(), "place": "NLRTM", "params": {}}
    record_instruct(instruction=instruction, signature=crypto.b64(crypto.sign("P-256", pem, crypto.canonical_json(instruction))))
    assert selectors.record_get(EBL_ID).holder_id == "demo-carrier"

    again = runner.invoke(app, ["records", "demo", "--if-empty"])
    assert again.exit_code == 0 and "not loaded" in again.output
    plain = runner.invoke(app, ["records", "demo"])
    assert plain.exit_code == 2 and len(plain.output.strip().splitlines()) == 1 and "already holds records" in plain.output
    assert selectors.records().count() == 2 and len(selectors.record_events(ebl)) == 4
