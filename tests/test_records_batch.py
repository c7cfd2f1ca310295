"""Signed instructions in batches (group commit): in order, each on its predecessors' state, refused ones in place
and writing nothing, one signed tree head per batch (SC-28, SH-43)."""
import json

import pytest
from typer.testing import CliRunner

from openftz.cli import app as cli
from openftz.ledger import selectors as ledger
from openftz.ledger.models import Entry, TreeHead
from openftz.records import dcsa, selectors
from openftz.records.models import Record, RecordEvent
from openftz.records.services import record_instruct_batch

from .test_dcsa import our_keys
from .test_records import Registry, dcsa_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg():
    return Registry()


def issue_params(record_id, form="blank"):
    doc = dcsa_document(to_order=form != "straight") | {"transportDocumentReference": record_id}
    return {"kind": "ebl", "form": form, "holder": "shipper", "document": doc}


def test_a_batch_runs_in_order_on_its_own_state_and_refusals_write_nothing(reg):
    heads_before = TreeHead.objects.count()
    good_sig = reg.envelope("shipper", "B1", "transfer", {"to": "bank"}, seq=2)
    forged = (good_sig[0] | {"params": {"to": "stranger"}}, good_sig[1])  # the signature covers other bytes
    envelopes = [
        reg.envelope("msc", "B1", "issue", issue_params("B1"), seq=1),
        forged,
        good_sig,
        reg.envelope("bank", "B1", "transfer", {"to": "buyer"}, seq=2),  # stale: seq 2 was used by the line before
        reg.envelope("bank", "B1", "transfer", {"to": "nobody-here"}, seq=3),  # unknown party
        reg.envelope("bank", "B1", "transfer", {"to": "buyer"}, seq=3),
        ("not an instruction", "c2ln"),
    ]
    results = record_instruct_batch(envelopes=envelopes)
    codes = [getattr(r, "code", "ok") for r in results]
    assert codes == ["ok", "bad_signature", "ok", "stale_sequence", "unknown_party", "ok", "invalid_input"]
    record = Record.objects.get(pk="B1")
    assert (record.seq, record.holder_id, record.transfers) == (3, "buyer", 2)
    assert list(RecordEvent.objects.filter(record=record).values_list("seq", "op")) == [(1, "issue"), (2, "transfer"), (3, "transfer")]
    assert Entry.objects.filter(subject="record:B1").count() == 3
    assert TreeHead.objects.count() == heads_before + 1  # one signed head for the whole batch
    assert ledger.ledger_verify().ok and selectors.record_verify(record) == []
    bundle = selectors.record_bundle(record)
    assert [json.loads(e["leaf"])["event"]["seq"] for e in bundle["entries"]] == [1, 2, 3]


def test_a_batch_of_refusals_only_writes_nothing_at_all(reg):
    reg.issue_ebl("B2", form="blank")
    entries, heads = Entry.objects.count(), TreeHead.objects.count()
    results = record_instruct_batch(envelopes=[reg.envelope("stranger", "B2", "transfer", {"to": "bank"}, seq=2),
                                               reg.envelope("shipper", "B2", "transfer", {"to": "bank"}, seq=7)])
    assert [r.code for r in results] == ["not_in_control", "stale_sequence"]
    assert (Entry.objects.count(), TreeHead.objects.count()) == (entries, heads)


def test_a_transfer_to_another_platform_inside_a_batch_sees_the_transfers_before_it(reg):
    results = record_instruct_batch(envelopes=[
        reg.envelope("msc", "B3", "issue", issue_params("B3"), seq=1),
        reg.envelope("shipper", "B3", "transfer", {"to": "bank"}, seq=2),
        reg.envelope("bank", "B3", "transfer_to_platform", {"to": "buyer", "platform": "BOLE"}, seq=3),
    ])
    assert not [r for r in results if isinstance(r, Exception)]
    envelope = selectors.record_outbound_envelope(selectors.record_get("B3"))
    verdict = dcsa.verify_envelope(envelope, platform_keys={dcsa.PLATFORM: our_keys()}, accepted=set(), receiving_platform="BOLE")
    assert verdict.code == "RECE", verdict.reason
    assert [t["action"] for t in verdict.transactions] == ["ISSU", "TRNS", "TRNS"]
    assert ledger.ledger_verify().ok


def test_batch_api(client, reg):
    body = {"envelopes": [
        {"instruction": i, "signature": s} for i, s in (reg.envelope("msc", "B4", "issue", issue_params("B4"), seq=1),
                                                        reg.envelope("shipper", "B4", "transfer", {"to": "bank"}, seq=5))]}
    answer = client.post("/api/records/instructions/batch", body, content_type="application/json")
    assert answer.status_code == 200
    data = answer.json()
    assert (data["accepted"], data["refused"]) == (1, 1)
    assert data["results"][0]["record"]["id"] == "B4" and data["results"][1]["error"]["code"] == "stale_sequence"
    assert client.post("/api/records/instructions/batch", {"envelopes": []}, content_type="application/json").status_code == 422


def test_submit_batch_cli_answers_every_line_in_place(tmp_path, reg):
    lines = [json.dumps({"instruction": i, "signature": s}) for i, s in (
        reg.envelope("msc", "B5", "issue", issue_params("B5"), seq=1),
        reg.envelope("shipper", "B5", "transfer", {"to": "bank"}, seq=2))]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([lines[0], "{not json", "", lines[1]]) + "\n")
    result = CliRunner().invoke(cli, ["records", "submit-batch", str(path)])
    assert result.exit_code == 1, result.output  # one line was refused
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["line"], r["ok"]) for r in rows] == [(1, True), (2, False), (4, True)]
    assert Record.objects.get(pk="B5").holder_id == "bank"
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    result = CliRunner().invoke(cli, ["records", "submit-batch", str(empty)])
    assert result.exit_code == 2 and "no instruction" in result.output


def test_a_stream_runs_batch_after_batch_in_order(reg):
    from openftz.records.services import record_instruct_stream

    heads = TreeHead.objects.count()
    envelopes = [reg.envelope("msc", "S1", "issue", issue_params("S1"), seq=1)]
    holders = ["shipper", "bank"]
    for seq in range(2, 9):
        envelopes.append(reg.envelope(holders[seq % 2], "S1", "transfer", {"to": holders[(seq + 1) % 2]}, seq=seq))
    envelopes.insert(4, reg.envelope("stranger", "S1", "transfer", {"to": "bank"}, seq=5))  # refused in its place
    results = list(record_instruct_stream(envelopes=envelopes, batch_size=3))
    assert [getattr(r, "code", "ok") for r in results] == ["ok"] * 4 + ["not_in_control"] + ["ok"] * 4
    assert Record.objects.get(pk="S1").seq == 8
    assert TreeHead.objects.count() == heads + 3  # one signed head for each of the three batches
    assert ledger.ledger_verify().ok
