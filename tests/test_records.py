"""Transferable records: the operations on DCSA eBLs (straight, to order, blank endorsed) and e-warehouse receipts,
and the MLETR checklist, one test per function (SC-28, SH-43)."""
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openftz.cli import app as cli
from openftz.core import crypto
from openftz.core.errors import InvalidInput
from openftz.ledger import selectors as ledger
from openftz.ledger.models import Entry
from openftz.ledger.registry_key import registry_key
from openftz.ledger.verify import verify_bundle
from openftz.parties import services as parties
from openftz.records import selectors
from openftz.records.models import Record, RecordEvent
from openftz.records.services import record_instruct

pytestmark = pytest.mark.django_db
DCSA = Path(__file__).parent / "data" / "dcsa"
LEI = "529900T8BM49AURSDO55"


def dcsa_document(name="regularSTD", *, to_order=True):
    doc = json.loads((DCSA / f"transport-document-{name}Example.json").read_text())
    doc["isToOrder"] = to_order
    return doc


class Registry:
    """Parties with keys, and a way to sign and submit instructions as any of them."""

    def __init__(self):
        self.keys = {}
        for pid, name, algorithm in (("msc", "地中海航运", "SM2"), ("shipper", "发货人", "SM2"), ("bank", "银行", "Ed25519"),
                                     ("buyer", "买方", "SM2"), ("warehouse", "仓储公司", "SM2"), ("stranger", "无关方", "SM2")):
            parties.party_create(party_id=pid, name_zh=name, foreign_scheme="TEST", foreign_id=pid.upper())
            pem = crypto.generate_private_key(algorithm)
            key = parties.party_key_add(party_id=pid, algorithm=algorithm, public_key=crypto.public_key_pem(algorithm, pem))
            self.keys[pid] = (algorithm, pem, key.kid)
        self.seq = {}

    def envelope(self, actor, record, op, params=None, *, seq=None, place="CNSHA", at=None, as_key=None):
        algorithm, pem, kid = self.keys[as_key or actor]
        seq = seq if seq is not None else self.seq.get(record, 0) + 1
        at = at or dt.datetime.now(dt.UTC).replace(microsecond=0)
        instruction = {"record": record, "op": op, "seq": seq, "actor": actor, "key_id": kid, "at": at.isoformat(),
                       "place": place, "params": params or {}}
        return instruction, crypto.b64(crypto.sign(algorithm, pem, crypto.canonical_json(instruction)))

    def do(self, actor, record, op, params=None, **kw):
        instruction, signature = self.envelope(actor, record, op, params, **kw)
        result = record_instruct(instruction=instruction, signature=signature)
        self.seq[record] = result.seq
        return result

    def issue_ebl(self, record_id="62CD536BA8D34C469AFD", form="to_order", **extra):
        doc = dcsa_document(to_order=form != "straight")
        doc["transportDocumentReference"] = record_id
        params = {"kind": "ebl", "form": form, "holder": "shipper", "document": doc} | extra
        return self.do("msc", record_id, "issue", params)


@pytest.fixture
def reg():
    return Registry()


def refused(code, fn, *args, **kwargs):
    with pytest.raises(InvalidInput) as err:
        fn(*args, **kwargs)
    assert err.value.code == code, (err.value.code, err.value.message_en)
    return err.value


# --- the MLETR checklist: one test per function -------------------------------------------------------------


def test_mletr_singularity_one_authoritative_record_and_copies_marked(reg):
    """Art. 10(1)(b)(i): one authoritative record per id; exported copies say they are copies."""
    reg.issue_ebl()
    refused("duplicate_record", reg.do, "msc", "62CD536BA8D34C469AFD", "issue",
            {"kind": "ebl", "form": "to_order", "holder": "buyer", "document": dcsa_document()}, seq=1)
    assert Record.objects.count() == 1
    bundle = selectors.record_bundle(selectors.record_get("62CD536BA8D34C469AFD"))
    assert bundle["copy"] is True and "copy" in bundle["notice_en"] and "副本" in bundle["notice_zh"]
    assert selectors.record_as_dict(selectors.record_get("62CD536BA8D34C469AFD"))["authoritative"] is True


def test_mletr_exclusive_control(reg):
    """Art. 11(1)(a): only the person in control can act on the record."""
    reg.issue_ebl()
    refused("not_in_control", reg.do, "stranger", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "stranger"})
    reg.do("shipper", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "bank"})
    refused("not_in_control", reg.do, "shipper", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "buyer"})
    assert selectors.record_get("62CD536BA8D34C469AFD").holder_id == "bank"


def test_mletr_identification_of_the_person_in_control(reg):
    """Art. 11(1)(b): each action is signed by an identified party with its own registered key."""
    reg.issue_ebl()
    # the shipper's instruction signed with the stranger's key is refused, and so is a forged signature
    refused("key_not_owned", reg.do, "shipper", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "bank"}, as_key="stranger")
    instruction, _ = reg.envelope("shipper", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "bank"})
    _, other = reg.envelope("shipper", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "buyer"})
    refused("bad_signature", record_instruct, instruction=instruction, signature=other)
    refused("bad_signature", record_instruct, instruction=instruction, signature="not base64!")
    reg.do("shipper", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "bank"})
    event = RecordEvent.objects.get(seq=2)
    assert (event.actor_id, event.key_id) == ("shipper", reg.keys["shipper"][2])


def test_mletr_transfer_of_control(reg):
    """Art. 11(2), 15: control passes by endorsement to order, blank endorsement and transfer, to a restrictive endorsee."""
    reg.issue_ebl()
    reg.do("shipper", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "bank"})  # SM2 signer
    reg.do("bank", "62CD536BA8D34C469AFD", "blank_endorse")  # Ed25519 signer
    refused("refused", reg.do, "bank", "62CD536BA8D34C469AFD", "endorse", {"to": "buyer"})  # blank: passes by transfer
    reg.do("bank", "62CD536BA8D34C469AFD", "transfer", {"to": "buyer"})
    reg.do("buyer", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "bank"})
    reg.do("bank", "62CD536BA8D34C469AFD", "endorse", {"to": "buyer"})  # restrictive: no further negotiation
    refused("refused", reg.do, "buyer", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "bank"})
    record = selectors.record_get("62CD536BA8D34C469AFD")
    assert (record.holder_id, record.form, record.transfers, record.seq) == ("buyer", "to_order", 4, 6)
    assert [e.holder_after_id for e in selectors.record_events(record)] == ["shipper", "bank", "bank", "buyer", "bank", "buyer"]


def test_mletr_integrity(reg):
    """Art. 10(1)(b)(iii), 10(2): the content hash and the ledger show any change."""
    reg.issue_ebl()
    reg.do("shipper", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "bank"})
    record = selectors.record_get("62CD536BA8D34C469AFD")
    assert record.document_hash == crypto.digest("sm3", crypto.canonical_json(json.loads(record.document))).hex()
    assert selectors.record_verify(record) == [] and ledger.ledger_verify().ok
    Record.objects.filter(pk=record.pk).update(document=record.document.replace("DCSA CTK", "SOMEONE ELSE"))
    assert "the stored content does not match its hash" in selectors.record_verify(selectors.record_get(record.pk))
    Entry.objects.filter(index=1).update(leaf=Entry.objects.get(index=1).leaf.replace('"bank"', '"buyer"'))
    assert not ledger.ledger_verify().ok


def test_mletr_time_and_place_of_each_action(reg):
    """Art. 13, 14: each action states when and where; the registry records its own time too; far-off times are refused."""
    reg.issue_ebl()
    refused("invalid_input", reg.do, "shipper", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "bank"}, place="Shanghai")
    refused("stale_instruction", reg.do, "shipper", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "bank"},
            at=dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=1))
    reg.do("shipper", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "bank"}, place="SGSIN")
    event = RecordEvent.objects.get(seq=2)
    assert event.place == "SGSIN" and abs((event.received_at - event.at).total_seconds()) < 300
    assert json.loads(Entry.objects.get(index=event.ledger_index).leaf)["logged_at"]


def test_mletr_change_of_medium(reg):
    """Art. 17, 18: to paper makes the record inoperative with a statement; back to electronic where allowed."""
    reg.issue_ebl()
    reg.do("shipper", "62CD536BA8D34C469AFD", "to_paper", {"statement": "Bank requires paper under the L/C"})
    record = selectors.record_get("62CD536BA8D34C469AFD")
    assert (record.status, record.medium) == ("paper", "paper")
    statement = RecordEvent.objects.get(seq=2).statement
    assert "inoperative" in statement and "失效" in statement and "Bank requires paper" in statement
    refused("inoperative", reg.do, "shipper", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "bank"})
    reg.do("msc", "62CD536BA8D34C469AFD", "to_electronic", {"holder": "bank", "statement": "Paper original no. 1 returned"})
    record = selectors.record_get("62CD536BA8D34C469AFD")
    assert (record.status, record.medium, record.holder_id) == ("active", "electronic", "bank")


def test_mletr_reliability_replays_stale_and_revoked_keys_write_nothing(reg):
    """Art. 12: operational rules — sequence numbers refuse replays; revoked keys sign nothing; refusals write nothing."""
    reg.issue_ebl()
    instruction, signature = reg.envelope("shipper", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "bank"})
    record_instruct(instruction=instruction, signature=signature)
    reg.seq["62CD536BA8D34C469AFD"] = 2
    entries = Entry.objects.count()
    refused("stale_sequence", record_instruct, instruction=instruction, signature=signature)  # the very same, replayed
    refused("stale_sequence", reg.do, "bank", "62CD536BA8D34C469AFD", "blank_endorse", seq=2)
    refused("stale_sequence", reg.do, "bank", "62CD536BA8D34C469AFD", "blank_endorse", seq=9)
    parties.party_key_revoke(kid=reg.keys["bank"][2], reason="lost")
    refused("key_revoked", reg.do, "bank", "62CD536BA8D34C469AFD", "blank_endorse")
    assert Entry.objects.count() == entries and RecordEvent.objects.count() == 2
    assert selectors.record_get("62CD536BA8D34C469AFD").seq == 2
    # the audit trail: the exported copy verifies offline, every instruction signature included
    bundle = json.loads(json.dumps(selectors.record_bundle(selectors.record_get("62CD536BA8D34C469AFD"))))
    report = verify_bundle(bundle, registry_key().public_pem)
    assert report.ok and report.entries == 2, report.problems
    forged = json.loads(json.dumps(bundle))
    leaf = json.loads(forged["entries"][1]["leaf"])
    leaf["event"]["signature"] = signature[:-4] + "AAA="
    forged["entries"][1]["leaf"] = crypto.canonical_json(leaf).decode()
    assert any("signature" in p for p in verify_bundle(forged).problems)


# --- the forms and the surrender / amendment / void cycle -------------------------------------------------------


def test_straight_bill_passes_only_to_its_consignee_who_surrenders_it(reg):
    reg.issue_ebl(form="straight", consignee="buyer")
    refused("refused", reg.do, "shipper", "62CD536BA8D34C469AFD", "endorse_to_order", {"to": "buyer"})
    refused("refused", reg.do, "shipper", "62CD536BA8D34C469AFD", "transfer", {"to": "bank"})
    refused("refused", reg.do, "shipper", "62CD536BA8D34C469AFD", "surrender_for_delivery")
    reg.do("shipper", "62CD536BA8D34C469AFD", "transfer", {"to": "buyer"})
    reg.do("buyer", "62CD536BA8D34C469AFD", "surrender_for_delivery")
    refused("not_issuer", reg.do, "buyer", "62CD536BA8D34C469AFD", "accept_surrender")
    reg.do("msc", "62CD536BA8D34C469AFD", "accept_surrender")
    assert selectors.record_get("62CD536BA8D34C469AFD").status == "surrendered"
    refused("inoperative", reg.do, "msc", "62CD536BA8D34C469AFD", "transfer", {"to": "bank"})


def test_a_to_order_bill_must_be_endorsed_and_the_document_must_match_its_form(reg):
    refused("invalid_input", reg.do, "msc", "X1", "issue", {"kind": "ebl", "form": "to_order", "holder": "shipper",
                                                             "document": dcsa_document() | {"transportDocumentReference": "X1", "isToOrder": False}})
    refused("invalid_input", reg.do, "msc", "X1", "issue", {"kind": "ebl", "form": "to_order", "holder": "shipper",
                                                             "document": dcsa_document() | {"transportDocumentReference": "X1", "transportDocumentTypeCode": "SWB"}})
    refused("unknown_party", reg.do, "msc", "X1", "issue", {"kind": "ebl", "form": "to_order", "holder": "nobody",
                                                             "document": dcsa_document() | {"transportDocumentReference": "X1"}})
    assert not Record.objects.exists() and not Entry.objects.exists()
    reg.issue_ebl("X1")
    refused("refused", reg.do, "shipper", "X1", "transfer", {"to": "bank"})


@pytest.mark.parametrize("example", ["regularSTD", "reefer", "dg"])
def test_every_dcsa_example_issues_and_is_surrendered_for_amendment(reg, example):
    doc = dcsa_document(example)
    rid = doc["transportDocumentReference"]
    reg.do("msc", rid, "issue", {"kind": "ebl", "form": "to_order", "holder": "shipper", "document": doc})
    reg.do("shipper", rid, "surrender_for_amendment")
    reg.do("msc", rid, "reject_surrender", {"reason": "no amendment requested in writing"})
    assert selectors.record_get(rid).holder_id == "shipper"
    reg.do("shipper", rid, "surrender_for_amendment")
    refused("refused", reg.do, "msc", rid, "amend", {"document": doc, "reason": "too early"})
    reg.do("msc", rid, "accept_surrender")
    amended = doc | {"termsAndConditions": "amended terms"}
    old_hash = selectors.record_get(rid).document_hash
    reg.do("msc", rid, "amend", {"document": amended, "reason": "consignee address corrected"})
    record = selectors.record_get(rid)
    assert (record.version, record.status, record.holder_id) == (2, "active", "shipper")
    versions = list(record.versions.order_by("version"))
    assert versions[1].previous_hash == old_hash == versions[0].document_hash != versions[1].document_hash
    assert selectors.record_verify(record) == []


def test_void_only_before_any_transfer(reg):
    reg.issue_ebl("V1")
    reg.do("msc", "V1", "void", {"reason": "issued in error"})
    assert selectors.record_get("V1").status == "void"
    reg.issue_ebl("V2")
    reg.do("shipper", "V2", "endorse_to_order", {"to": "bank"})
    refused("refused", reg.do, "msc", "V2", "void", {"reason": "too late"})


def test_electronic_warehouse_receipt(reg):
    receipt = {"receiptNumber": "WR-2026-0001", "warehouse": "洋山保税仓库", "depositor": "shipper",
               "goodsDescription": "电解铜 copper cathodes", "quantity": 25.5, "unit": "TNE", "location": "CNYSA"}
    refused("invalid_input", reg.do, "warehouse", "WR-2026-0001", "issue",
            {"kind": "ewr", "form": "to_order", "holder": "shipper", "document": receipt | {"quantity": 0}})
    reg.do("warehouse", "WR-2026-0001", "issue", {"kind": "ewr", "form": "to_order", "holder": "shipper", "document": receipt})
    reg.do("shipper", "WR-2026-0001", "endorse_to_order", {"to": "bank"}, place="CNYSA")
    reg.do("bank", "WR-2026-0001", "endorse_to_order", {"to": "buyer"})
    reg.do("buyer", "WR-2026-0001", "surrender_for_delivery")
    reg.do("warehouse", "WR-2026-0001", "accept_surrender")
    assert selectors.record_get("WR-2026-0001").status == "surrendered"


# --- API, pages, CLI ------------------------------------------------------------------------------------------


def test_records_api(client, reg):
    instruction, signature = reg.envelope("msc", "API1", "issue", {"kind": "ebl", "form": "blank", "holder": "shipper",
                                                                    "document": dcsa_document() | {"transportDocumentReference": "API1"}})
    created = client.post("/api/records/instructions", {"instruction": instruction, "signature": signature}, content_type="application/json")
    assert created.status_code == 200, created.content
    assert created.json()["holder"] == "shipper" and created.json()["document"]["transportDocumentReference"] == "API1"
    again = client.post("/api/records/instructions", {"instruction": instruction, "signature": signature}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "duplicate_record" and again.json()["message_zh"]
    forged = client.post("/api/records/instructions", {"instruction": instruction | {"seq": 2}, "signature": signature},
                         content_type="application/json")
    assert forged.status_code == 403
    assert client.post("/api/records/instructions", {"instruction": {}}, content_type="application/json").status_code == 422
    assert client.get("/api/records/?kind=ebl").json()["count"] == 1
    history = client.get("/api/records/API1/history").json()
    assert history["events"][0]["op"] == "issue" and history["integrity_problems"] == []
    bundle = client.get("/api/records/API1/bundle").json()
    assert verify_bundle(bundle).ok
    assert client.get("/api/records/NOPE").status_code == 404


def test_record_pages(client, reg):
    reg.issue_ebl("PG1")
    reg.do("shipper", "PG1", "endorse_to_order", {"to": "bank"})
    page = client.get("/records/PG1/").content.decode()
    assert "权威记录" in page and "背书" in page and "CNSHA" in page and "银行" in page
    english = client.get("/en/records/PG1/").content.decode()
    assert "Endorsement to order" in english and "authoritative record" in english
    assert "PG1" in client.get("/records/").content.decode()
    assert client.get("/records/NOPE/").status_code == 404


def test_records_cli(tmp_path, reg):
    runner = CliRunner()
    algorithm, pem, kid = reg.keys["msc"]
    (tmp_path / "msc.pem").write_text(pem)
    doc = dcsa_document() | {"transportDocumentReference": "CLI1"}
    instruction = {"record": "CLI1", "op": "issue", "seq": 1, "actor": "msc", "key_id": kid,
                   "at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(), "place": "CNSHA",
                   "params": {"kind": "ebl", "form": "to_order", "holder": "shipper", "document": doc}}
    (tmp_path / "ins.json").write_text(json.dumps(instruction))
    signed = runner.invoke(cli, ["records", "sign", str(tmp_path / "ins.json"), "--key", str(tmp_path / "msc.pem")])
    assert signed.exit_code == 0, signed.output
    (tmp_path / "env.json").write_text(signed.output)
    done = runner.invoke(cli, ["records", "submit", str(tmp_path / "env.json")])
    assert done.exit_code == 0 and json.loads(done.output)["holder"] == "shipper"
    replay = runner.invoke(cli, ["records", "submit", str(tmp_path / "env.json")])
    assert replay.exit_code == 2 and "already exists" in replay.output
    assert json.loads(runner.invoke(cli, ["records", "show", "CLI1"]).output)["integrity_problems"] == []
    (tmp_path / "bundle.json").write_text(runner.invoke(cli, ["records", "export", "CLI1"]).output)
    check = runner.invoke(cli, ["ledger", "verify-bundle", str(tmp_path / "bundle.json")])
    assert check.exit_code == 0 and "1 entries verified" in check.output
    assert runner.invoke(cli, ["records", "show", "NOPE"]).exit_code == 2
