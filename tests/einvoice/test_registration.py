"""Invoice evidence on the ledger: register (idempotent), check, receipts verified offline, and the API."""
from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from typer.testing import CliRunner

from openftz.cli import app
from openftz.einvoice.models import Registration
from openftz.einvoice.registration import fingerprint, verify_receipt
from openftz.einvoice.selectors import receipt
from openftz.einvoice.services import invoice_register
from openftz.ledger.models import Entry
from openftz.ledger.selectors import ledger_verify, registry_public_key
from openftz.ledger.verify import verify_bundle

from ..conftest import ROOT
from .conftest import TESTFILES

runner = CliRunner()
INVOICE = TESTFILES / "Invoice-Min_content_with_VAT.xml"
CREDIT_NOTE = TESTFILES / "CreditNote-Max_content.xml"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.django_db
def test_register_puts_hashes_and_key_facts_on_the_ledger():
    data = INVOICE.read_bytes()
    record, created = invoice_register(data=data)
    assert created
    fp = fingerprint(data)
    assert (record.sha256, record.sm3, record.size) == (fp.sha256, fp.sm3, len(data))
    assert (record.number, record.issue_date, record.total, record.currency) == ("2018-112", "2018-07-31", "500", "SEK")
    assert record.seller["endpoint"] == {"id": "1234512345", "scheme": "0007"}
    assert record.seller["vat_id"] == "SE123451234501"
    assert record.buyer["endpoint"] == {"id": "9876543210", "scheme": "0007"}
    leaf = json.loads(record.entry.leaf)
    assert leaf["kind"] == "einvoice.registered" and leaf["subject"] == f"einvoice:{fp.sha256}"
    assert leaf["event"]["sm3"] == fp.sm3 and leaf["event"]["cites"] == ["SC-29", "SH-44"]
    assert "Säljbolaget" not in record.entry.leaf  # hashes and identifiers, not the document
    assert ledger_verify().ok


@pytest.mark.django_db
def test_registering_the_same_bytes_again_answers_with_the_first_registration():
    data = CREDIT_NOTE.read_bytes()
    first, created = invoice_register(data=data)
    entries = Entry.objects.count()
    again, created_again = invoice_register(data=data)
    assert created and not created_again
    assert again.pk == first.pk and again.registered_at == first.registered_at and again.entry_id == first.entry_id
    assert Entry.objects.count() == entries and Registration.objects.count() == 1


@pytest.mark.django_db
def test_the_receipt_verifies_offline_and_names_the_exact_bytes():
    data = INVOICE.read_bytes()
    record, _ = invoice_register(data=data)
    invoice_register(data=CREDIT_NOTE.read_bytes())  # the log grows; the receipt's proof is against the latest head
    body = json.loads(json.dumps(receipt(record), default=str))
    trusted = registry_public_key()["public_key"]
    assert verify_bundle(body, trusted).ok
    assert verify_receipt(body, data, trusted).ok
    tampered = bytearray(data)
    tampered[len(tampered) // 2] ^= 0x01
    report = verify_receipt(body, bytes(tampered), trusted)
    assert not report.ok and "not the registered document" in report.problems[0]
    forged = json.loads(json.dumps(body))
    forged["entries"][0]["leaf"] = forged["entries"][0]["leaf"].replace("2018-112", "2018-113")
    assert not verify_receipt(forged, data, trusted).ok


@pytest.mark.django_db
def test_an_unreadable_document_is_refused_and_nothing_written():
    from openftz.einvoice.parse import UnreadableDocument

    with pytest.raises(UnreadableDocument):
        invoice_register(data=b"<html>not an invoice</html>")
    assert Registration.objects.count() == 0 and Entry.objects.count() == 0


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite's shared in-memory test database cannot take two "
                    "writing threads; the processes test below races on a file database instead")
@pytest.mark.django_db(transaction=True)
def test_two_threads_registering_the_same_bytes_get_one_registration():
    """Both succeed, one registration, one ledger entry: the loser's append is rolled back with its insert."""
    data = INVOICE.read_bytes()
    results, errors = [], []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            results.append(invoice_register(data=data))
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(created for _, created in results) == [False, True]
    assert len({r.pk for r, _ in results}) == 1
    assert Registration.objects.count() == 1 and Entry.objects.filter(kind="einvoice.registered").count() == 1
    assert ledger_verify().ok


def own_database(var) -> dict:
    """The environment of a command on its own SQLite database under ``var`` (never the suite's DATABASE_URL)."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, "OPENFTZ_VAR_DIR": str(var)}


def _migrated(tmp_path):
    var = tmp_path / "var"
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, timeout=300,
                             env=own_database(var), capture_output=True, text=True)
    assert migrate.returncode == 0, migrate.stderr
    return var


def test_processes_registering_the_same_bytes_at_once_get_one_registration(tmp_path):
    var = _migrated(tmp_path)
    env = own_database(var)
    assert run_process("ledger", "key", env_dir=var).returncode == 0  # the registry key exists before the race
    procs = [subprocess.Popen([sys.executable, "-m", "openftz.cli", "einvoice", "register", str(INVOICE)], cwd=ROOT,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in outputs]
    registrations = {json.dumps(json.loads(out)["receipt"]["registration"], sort_keys=True) for out, _ in outputs}
    assert len(registrations) == 1
    checked = json.loads(run_process("einvoice", "check-registered", INVOICE, env_dir=var).stdout)
    assert checked["registered"] is True
    verify = run_process("ledger", "verify", env_dir=var)
    assert verify.returncode == 0 and verify.stdout.startswith("1 entries"), verify.stdout


def run_process(*args, env_dir) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "openftz.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=180, env=own_database(env_dir))


def test_cli_register_check_and_verify_end_to_end(tmp_path):
    """The commands as a user runs them, on their own database: register twice, check the bytes and a tampered
    copy, verify the receipt with the ledger's offline verifier and with the registry key, and the whole log."""
    var = _migrated(tmp_path)
    first = run_process("einvoice", "register", INVOICE, env_dir=var)
    assert first.returncode == 0, first.stderr
    second = run_process("einvoice", "register", INVOICE, env_dir=var)
    assert second.returncode == 0 and "already registered" in second.stderr
    r1, r2 = json.loads(first.stdout), json.loads(second.stdout)
    assert r1["receipt"]["registration"] == r2["receipt"]["registration"]
    receipt_file = tmp_path / "receipt.json"
    receipt_file.write_text(first.stdout, encoding="utf-8")
    key = tmp_path / "registry.pem"
    key.write_text(run_process("ledger", "key", env_dir=var).stdout, encoding="ascii")
    bundle = run_process("ledger", "verify-bundle", receipt_file, "--key", key, env_dir=var)
    assert bundle.returncode == 0, bundle.stderr
    assert run_process("einvoice", "verify-receipt", receipt_file, INVOICE, "--key", key, env_dir=var).returncode == 0

    checked = run_process("einvoice", "check-registered", INVOICE, env_dir=var)
    assert checked.returncode == 0 and json.loads(checked.stdout)["registered"] is True
    assert json.loads(checked.stdout)["entry"]["index"] == r1["entries"][0]["index"]
    tampered = tmp_path / "tampered.xml"
    data = bytearray(INVOICE.read_bytes())
    data[-20] ^= 0x20
    tampered.write_bytes(bytes(data))
    not_registered = run_process("einvoice", "check-registered", tampered, env_dir=var)
    assert not_registered.returncode == 1 and json.loads(not_registered.stdout)["registered"] is False
    assert run_process("einvoice", "verify-receipt", receipt_file, tampered, "--key", key, env_dir=var).returncode == 1
    unreadable = run_process("einvoice", "check-registered", tmp_path / "missing.xml", env_dir=var)
    assert unreadable.returncode == 2 and len(unreadable.stderr.strip().splitlines()) == 1
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"\x00\x01")
    refused = run_process("einvoice", "register", bad, env_dir=var)
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
    verify = run_process("ledger", "verify", env_dir=var)
    assert verify.returncode == 0 and "ok" in verify.stdout


@pytest.fixture
def logged_in(db, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("registrar", password="pw"))
    return client


def upload(client, data: bytes):
    return client.post("/api/einvoice/registrations", {"document": SimpleUploadedFile("invoice.xml", data)})


def test_api_register_then_look_up(logged_in, client):
    data = INVOICE.read_bytes()
    created = upload(logged_in, data)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["format"] == "openftz-history-bundle/1" and body["copy"] is True
    assert verify_receipt(body, data).ok
    again = upload(logged_in, data)
    assert again.status_code == 200 and again.json()["receipt"]["registration"] == body["receipt"]["registration"]
    sha = fingerprint(data).sha256
    found = client.get(f"/api/einvoice/registrations/{sha.upper()}")
    assert found.status_code == 200 and found.json()["receipt"]["registration"]["sha256"] == sha
    assert client.get(f"/api/einvoice/registrations/{'0' * 64}").status_code == 404
    assert client.get("/api/einvoice/registrations/not-a-hash").status_code == 422


def test_api_registration_needs_a_session_and_a_readable_document(db, client, logged_in):
    from django.test import Client

    anonymous = Client().post("/api/einvoice/registrations", {"document": SimpleUploadedFile("i.xml", INVOICE.read_bytes())})
    assert anonymous.status_code == 401
    refused = upload(logged_in, b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>")
    assert refused.status_code == 422 and refused.json()["code"] == "unreadable_document"
    assert Registration.objects.count() == 0 and Entry.objects.count() == 0
