"""A record's state changed behind the ledger (SC-28, SH-43; MLETR art. 10(2): integrity), written as scenarios.

Someone who can write the database — not the registry's code — changes a record's row with raw SQL: the holder, the
status, the form, the medium… The registry must notice it everywhere it looks: ``openftz ledger verify`` exits 1
naming the record and the field, ``openftz records show`` lists the problem, and every instruction on the record —
the forged holder's and the real holder's alike — is refused with ``record_state_mismatch`` and writes nothing, until
the operator repairs the row. Records nobody touched go on working.
"""
import json
import logging

import pytest
from django.db import connection
from joserfc import jws
from typer.testing import CliRunner

from openftz.cli import app as cli
from openftz.core import crypto
from openftz.ledger import merkle
from openftz.ledger import selectors as ledger
from openftz.ledger.models import Entry, LogState, TreeHead
from openftz.records import rules, selectors
from openftz.records.models import PintDelivery, Record, RecordEvent, RecordVersion
from openftz.records.services import record_instruct_batch, record_pint_deliver
from openftz.records.tasks import pint_deliver
from tests.test_records import Registry, refused
from tests.test_dcsa import world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
runner = CliRunner()
RECORD = "TAMPER1"


@pytest.fixture
def reg():
    reg = Registry()
    reg.issue_ebl(RECORD)  # to order, the shipper in control
    reg.do("shipper", RECORD, "endorse_to_order", {"to": "bank"})  # seq 2: the bank in control
    return reg


def forge(record_id: str, column: str, value) -> None:
    """What an attacker with database access does: one UPDATE, no service, no ledger."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE records_record SET {column} = %s WHERE id = %s", [value, record_id])


def written() -> tuple:
    """Everything an instruction writes, counted."""
    return (Entry.objects.count(), TreeHead.objects.count(), RecordEvent.objects.count(), RecordVersion.objects.count(),
            LogState.objects.get().size)


def row(record_id: str = RECORD) -> tuple:
    r = Record.objects.get(pk=record_id)
    return r.holder_id, r.status, r.form, r.medium, r.seq, r.transfers, r.updated_at


def ledger_verify_cli():
    return runner.invoke(cli, ["ledger", "verify"])


# column, forged value, the field named in the problem
FORGERIES = [
    ("holder_id", "stranger", "holder"),
    ("status", "surrendered", "status"),
    ("form", "blank", "form"),
    ("medium", "paper", "medium"),
    ("restricted", True, "restricted"),
    ("transfers", 0, "transfers"),
    ("issuer_id", "stranger", "issuer"),
    ("pending_surrender", "delivery", "pending_surrender"),
    ("version", 5, "version"),
]


@pytest.mark.parametrize(("column", "value", "field"), FORGERIES, ids=[f[2] for f in FORGERIES])
def test_a_field_forged_in_the_row_is_found_and_every_instruction_on_the_record_refused(reg, column, value, field):
    forge(RECORD, column, value)

    # (a) the whole-registry check exits 1 and names the record and the field
    result = ledger_verify_cli()
    assert result.exit_code == 1, result.output
    assert f"record {RECORD}: stored {field} is" in result.output and "NOT OK" in result.output

    # (b) show lists it, in JSON with both values, and in text
    shown = json.loads(runner.invoke(cli, ["records", "show", RECORD, "--format", "json"]).stdout)
    assert [m["field"] for m in shown["state_mismatches"]] == [field]
    assert any(f"stored {field} is" in p for p in shown["integrity_problems"])
    text = runner.invoke(cli, ["records", "show", RECORD, "--format", "text"]).stdout
    assert f"problem: stored {field} is" in text and "integrity: NOT OK" in text

    # (c) the real holder's instruction is refused and nothing is written
    before, stored = written(), row()
    err = refused("record_state_mismatch", reg.do, "bank", RECORD, "endorse_to_order", {"to": "buyer"})
    assert err.status == 409 and err.details["fields"] == [field] and err.details["record"] == RECORD
    assert "账本" in err.message_zh and "ledger" in err.message_en
    assert written() == before and row() == stored


def test_the_forged_holder_cannot_sign_the_record_away(reg):
    forge(RECORD, "holder_id", "stranger")
    before, stored = written(), row()
    # the stranger now "holds" the record in the row: its signed endorsement to itself would pass every rule
    refused("record_state_mismatch", reg.do, "stranger", RECORD, "endorse_to_order", {"to": "buyer"})
    refused("record_state_mismatch", reg.do, "stranger", RECORD, "surrender_for_delivery")
    # the real holder is refused too: the registry does not act on a record whose state it cannot trust
    refused("record_state_mismatch", reg.do, "bank", RECORD, "endorse_to_order", {"to": "buyer"})
    assert written() == before and row() == stored

    # the operator repairs the row from the ledger; the real holder's instruction then goes through
    forge(RECORD, "holder_id", "bank")
    assert ledger_verify_cli().exit_code == 0
    reg.do("bank", RECORD, "endorse_to_order", {"to": "buyer"})
    assert selectors.record_get(RECORD).holder_id == "buyer" and ledger.ledger_verify().ok


def test_the_refusal_is_logged_for_the_operator_outside_the_database(reg, caplog):
    forge(RECORD, "holder_id", "stranger")
    with caplog.at_level(logging.ERROR, logger="openftz.records.integrity"):
        refused("record_state_mismatch", reg.do, "stranger", RECORD, "endorse_to_order", {"to": "buyer"})
    [line] = [r.getMessage() for r in caplog.records if r.name == "openftz.records.integrity"]
    assert RECORD in line and "holder" in line and "endorse_to_order seq 3 by stranger refused" in line


def test_refusal_in_the_api_the_cli_and_the_page(reg, client, tmp_path):
    forge(RECORD, "status", "surrendered")
    instruction, signature = reg.envelope("bank", RECORD, "endorse_to_order", {"to": "buyer"})
    before = written()
    answer = client.post("/api/records/instructions", {"instruction": instruction, "signature": signature},
                         content_type="application/json")
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "record_state_mismatch" and body["details"]["fields"] == ["status"]
    assert body["message_zh"] and body["message_en"]
    history = client.get(f"/api/records/{RECORD}/history").json()
    assert history["state_mismatches"] == [{"field": "status", "stored": "surrendered", "ledger": "active", "ledger_index": 1}]

    envelope = tmp_path / "envelope.json"
    envelope.write_text(json.dumps({"instruction": instruction, "signature": signature}))
    submitted = runner.invoke(cli, ["records", "submit", str(envelope)])
    assert submitted.exit_code == 2 and "record_state_mismatch" in submitted.output
    assert len(submitted.output.strip().splitlines()) == 1

    page = client.get(f"/records/{RECORD}/").content.decode()
    assert 'class="state-mismatch"' in page and "<code>status</code>" in page
    assert written() == before


def test_a_batch_refuses_the_tampered_record_and_carries_out_the_others(reg):
    reg.issue_ebl("CLEAN1")
    forge(RECORD, "holder_id", "stranger")
    envelopes = [reg.envelope("bank", RECORD, "endorse_to_order", {"to": "buyer"}),
                 reg.envelope("shipper", "CLEAN1", "endorse_to_order", {"to": "bank"})]
    results = record_instruct_batch(envelopes=envelopes)
    assert results[0].code == "record_state_mismatch"
    assert isinstance(results[1], Record) and results[1].holder_id == "bank"
    assert Record.objects.get(pk=RECORD).seq == 2 and not RecordEvent.objects.filter(record_id=RECORD, seq=3).exists()


def test_a_deleted_row_does_not_let_the_id_be_issued_again(reg):
    """Singularity (art. 10(1)(b)(i)): the ledger, not the table, knows which ids exist."""
    with connection.cursor() as cursor:
        for table in ("records_recordevent", "records_recordversion", "records_record"):
            cursor.execute(f"DELETE FROM {table} WHERE {'id' if table == 'records_record' else 'record_id'} = %s", [RECORD])
    before = written()
    err = refused("record_state_mismatch", reg.issue_ebl, RECORD)
    assert err.details["fields"] == ["record"]
    assert written() == before and not Record.objects.filter(pk=RECORD).exists()
    result = ledger_verify_cli()
    assert result.exit_code == 1 and f"record {RECORD}: the ledger holds 2 entries of it but its stored row is missing" in result.output


def test_a_ledger_entry_rewritten_to_match_the_forged_row_is_not_proven(reg):
    """Changing the last entry too (its leaf and leaf hash) does not help: the entry no longer leads to the signed root."""
    forge(RECORD, "holder_id", "stranger")
    entry = Entry.objects.filter(subject=f"record:{RECORD}").order_by("-index").first()
    leaf = json.loads(entry.leaf)
    leaf["event"]["state"]["holder"] = "stranger"
    forged = crypto.canonical_json(leaf)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_entry SET leaf = %s, leaf_hash = %s WHERE \"index\" = %s",
                       [forged.decode(), merkle.leaf_hash("sm3", forged).hex(), entry.index])
    before = written()
    err = refused("record_state_mismatch", reg.do, "stranger", RECORD, "endorse_to_order", {"to": "buyer"})
    assert err.details["fields"] == ["ledger"] and "not proven" in err.message_en
    assert written() == before
    assert ledger_verify_cli().exit_code == 1


def test_a_row_with_no_ledger_entry_is_refused_and_reported(reg):
    """A record inserted into the table alone (no issue instruction on the ledger)."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO records_record (id, kind, form, status, medium, issuer_id, holder_id, restricted, transfers, seq, "
                       "version, document, document_hash, pending_surrender, created_at, updated_at) SELECT 'PLANTED', kind, form, "
                       "status, medium, issuer_id, 'stranger', restricted, transfers, seq, version, document, document_hash, "
                       "pending_surrender, created_at, updated_at FROM records_record WHERE id = %s", [RECORD])
    refused("record_state_mismatch", reg.do, "stranger", "PLANTED", "endorse_to_order", {"to": "buyer"}, seq=3)
    result = ledger_verify_cli()
    assert result.exit_code == 1 and "record PLANTED: the ledger holds no entry of it" in result.output


def test_an_answer_from_another_platform_is_not_acted_on_while_the_record_is_tampered(world):  # noqa: F811
    reg, _ = world
    reg.issue_ebl("SENDX", form="blank")
    reg.do("shipper", "SENDX", "transfer_to_platform", {"to": "importer", "platform": "BOLE"})
    # the last retry: BOLE has no endpoint in the directory, so control would return to the shipper
    PintDelivery.objects.filter(record_id="SENDX").update(attempts=99)
    forge("SENDX", "holder_id", "stranger")
    before = written()
    refused("record_state_mismatch", record_pint_deliver, record_id="SENDX")
    assert written() == before and PintDelivery.objects.get(record_id="SENDX").status == "pending"
    assert pint_deliver.call("SENDX", 2) == "refused"


def test_untampered_records_replay_to_their_rows(reg):
    """The full replay of every kind of history agrees with the rows: issue, endorsements, surrender and amendment,
    change of medium."""
    reg.do("bank", RECORD, "surrender_for_amendment")
    reg.do("msc", RECORD, "accept_surrender")
    doc = json.loads(Record.objects.get(pk=RECORD).document) | {"shippingInstructionsReference": "AMENDED"}
    reg.do("msc", RECORD, "amend", {"document": doc, "reason": "corrected reference"})
    reg.do("bank", RECORD, "to_paper", {"statement": "printed for a court"})
    reg.issue_ebl("STRAIGHT1", form="straight", consignee="buyer")
    for record in Record.objects.all():
        integrity = selectors.record_integrity(record)
        assert integrity.ok, integrity.problems
    assert ledger.ledger_verify().ok and ledger_verify_cli().exit_code == 0
    record = Record.objects.get(pk=RECORD)
    assert (record.version, record.status, record.medium, record.holder_id) == (2, "paper", "paper", "bank")


# --- the replay itself (pure) -----------------------------------------------------------------------------------


def entries_of(record_id: str) -> list[tuple[int, dict]]:
    return [(e.index, json.loads(e.leaf)["event"]) for e in Entry.objects.filter(subject=f"record:{record_id}").order_by("index")]


def test_the_replay_folds_the_signed_instructions_into_the_row_state(reg):
    record = Record.objects.get(pk=RECORD)
    replayed = rules.replay(RECORD, entries_of(RECORD))
    assert replayed.problems == [] and replayed.assumed == []
    assert replayed.facts == rules.state_facts(selectors.state_of(record), record.document_hash)
    assert replayed.facts["holder"] == "bank" and replayed.facts["transfers"] == 1


def test_entries_written_before_the_state_was_complete_replay_in_full(reg):
    """Older entries recorded holder, form, status and medium only: the replay derives the rest from the signed
    instructions, and the cheap check compares the fields they have."""
    old = entries_of(RECORD)
    for _, event in old:
        event["state"] = {k: event["state"][k] for k in ("holder", "form", "status", "medium")}
    record = Record.objects.get(pk=RECORD)
    stored = rules.state_facts(selectors.state_of(record), record.document_hash)
    replayed = rules.replay(RECORD, old)
    assert replayed.problems == [] and replayed.facts == stored
    assert rules.disagreements(stored, rules.entry_facts(old[-1][1])) == []
    assert rules.disagreements(stored | {"holder": "stranger", "restricted": True}, rules.entry_facts(old[-1][1])) == ["holder"]


def test_the_replay_names_an_entry_that_records_another_state_than_its_instruction_implies(reg):
    entries = entries_of(RECORD)
    entries[-1][1]["state"]["holder"] = "stranger"
    replayed = rules.replay(RECORD, entries)
    assert len(replayed.problems) == 1
    assert "records holder = 'stranger' where its signed instruction implies 'bank'" in replayed.problems[0]
    assert replayed.facts["holder"] == "bank"  # the signed instruction, not the recorded state, decides


def test_the_replay_names_a_missing_entry(reg):
    reg.do("bank", RECORD, "endorse_to_order", {"to": "buyer"})
    entries = entries_of(RECORD)
    del entries[1]  # the endorsement to the bank
    replayed = rules.replay(RECORD, entries)
    assert replayed.problems and "seq must be 2" in replayed.problems[0]


def test_a_received_record_of_an_older_entry_takes_its_issuer_from_the_row(world):  # noqa: F811
    from openftz.records.services import pint_receive
    from tests.test_dcsa import build, dcsa_document

    _, platforms = world
    doc = dcsa_document()
    assert pint_receive(envelope=build(doc, platforms["BOLE"])).verdict.code == "RECE"
    record_id = doc["transportDocumentReference"]
    record = Record.objects.get(pk=record_id)
    stored = rules.state_facts(selectors.state_of(record), record.document_hash)
    current = rules.replay(record_id, entries_of(record_id))
    assert current.problems == [] and current.assumed == [] and current.facts == stored
    old = entries_of(record_id)
    old[0][1]["state"] = {k: old[0][1]["state"][k] for k in ("holder", "form", "status", "medium")}
    replayed = rules.replay(record_id, old, assume=stored)
    assert replayed.problems == [] and replayed.assumed == ["issuer"] and replayed.facts == stored
    old[0][1]["seq"] = 2
    assert "only as its first entry, seq 1" in rules.replay(record_id, old, assume=stored).problems[0]


def test_record_instruct_on_a_clean_record_is_not_slowed_by_a_signature_check_per_head(reg, monkeypatch):
    """The cheap check verifies a tree head's signature once per process, not once per instruction: the heads this
    process signed are trusted as it signs them."""
    from openftz.ledger import selectors as ledger_selectors

    calls = []
    real = ledger_selectors.verify_tree_head
    monkeypatch.setattr(ledger_selectors, "verify_tree_head", lambda *a: calls.append(1) or real(*a))
    for to in ("buyer", "bank", "buyer"):
        holder = selectors.record_get(RECORD).holder_id
        reg.do(holder, RECORD, "endorse_to_order", {"to": to})
    assert calls == []
    ledger_selectors._TRUSTED_HEADS.clear()  # another process signed the latest head: it is verified once
    reg.do("buyer", RECORD, "endorse_to_order", {"to": "bank"})
    reg.do("bank", RECORD, "endorse_to_order", {"to": "buyer"})
    assert calls == [1]


def test_the_operator_restores_the_row_from_the_ledger_and_the_record_works_again(reg, caplog):
    forge(RECORD, "holder_id", "stranger")
    forge(RECORD, "transfers", 9)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE records_record SET document = %s WHERE id = %s", ['{"forged":true}', RECORD])
    with caplog.at_level(logging.WARNING, logger="openftz.records.integrity"):
        result = runner.invoke(cli, ["records", "restore", RECORD])
    assert result.exit_code == 0, result.output
    assert "restored holder: 'stranger' -> 'bank'" in result.stdout and "restored transfers: 9 -> 1" in result.stdout
    assert "restored document" in result.stdout
    assert any("row restored" in r.getMessage() and RECORD in r.getMessage() for r in caplog.records)
    assert ledger_verify_cli().exit_code == 0 and selectors.record_integrity(Record.objects.get(pk=RECORD)).ok
    reg.do("bank", RECORD, "endorse_to_order", {"to": "buyer"})
    assert "nothing to restore" in runner.invoke(cli, ["records", "restore", RECORD]).stdout


def test_a_ledger_history_that_does_not_replay_is_not_used_to_repair(reg):
    entry = Entry.objects.filter(subject=f"record:{RECORD}").order_by("-index").first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_entry WHERE \"index\" = %s", [entry.index - 1])  # the issue entry
    result = runner.invoke(cli, ["records", "restore", RECORD])
    assert result.exit_code == 2 and "ledger_history_broken" in result.output


def test_entries_read_back_after_commit_are_checked_by_their_rehashed_leaf(django_capture_on_commit_callbacks):
    """The entries this process appended and committed need no inclusion proof when read back, but their stored leaf
    is hashed again: a leaf rewritten afterwards falls back to the proof, which fails."""
    from openftz.ledger import selectors as ledger_selectors

    reg = Registry()
    with django_capture_on_commit_callbacks(execute=True):
        reg.issue_ebl("FAST1")
        reg.do("shipper", "FAST1", "endorse_to_order", {"to": "bank"})
    last = Entry.objects.filter(subject="record:FAST1").order_by("-index").first()
    assert ledger_selectors._APPENDED[last.index].hex() == last.leaf_hash
    with django_capture_on_commit_callbacks(execute=True):
        reg.do("bank", "FAST1", "endorse_to_order", {"to": "buyer"})  # clean: goes through on the fast path
    forge("FAST1", "holder_id", "bank")
    refused("record_state_mismatch", reg.do, "bank", "FAST1", "endorse_to_order", {"to": "shipper"})
    last = Entry.objects.filter(subject="record:FAST1").order_by("-index").first()
    leaf = json.loads(last.leaf)
    leaf["event"]["state"]["holder"] = "bank"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_entry SET leaf = %s WHERE \"index\" = %s", [crypto.canonical_json(leaf).decode(), last.index])
    err = refused("record_state_mismatch", reg.do, "bank", "FAST1", "endorse_to_order", {"to": "shipper"})
    assert err.details["fields"] == ["ledger"]


def test_what_the_registry_signs_for_another_platform_comes_from_the_ledger_not_the_event_rows(world):  # noqa: F811
    from openftz.records.rules import SUBJECT_PREFIX

    reg, _ = world
    reg.issue_ebl("SENDY", form="blank")
    reg.do("shipper", "SENDY", "transfer", {"to": "bank"})
    with connection.cursor() as cursor:  # the history rewritten in the event rows: the record went to the stranger
        cursor.execute("UPDATE records_recordevent SET holder_after_id = 'stranger', actor_id = 'stranger' "
                       "WHERE record_id = 'SENDY' AND seq = 2")
    reg.do("bank", "SENDY", "transfer_to_platform", {"to": "importer", "platform": "BOLE"})
    envelope = selectors.record_outbound_envelope(selectors.record_get("SENDY"))
    chain = [json.loads(jws.extract_compact(t.encode()).payload) for t in envelope["envelopeTransferChain"]]
    names = [(t["actor"]["partyName"], t["recipient"]["partyName"]) for e in chain for t in e["transactions"]]
    assert ("发货人", "银行") in names and not any("无关方" in pair for pair in names)  # shipper → bank, no stranger
    assert [t["recipient"]["partyName"] for t in selectors.record_dcsa_transactions(selectors.record_get("SENDY"))["transactions"]][1] == "银行"
    result = ledger_verify_cli()
    assert result.exit_code == 1 and "record SENDY: event 2: differs from its ledger entry" in result.output
    assert Entry.objects.filter(subject=SUBJECT_PREFIX + "SENDY").count() == 3
