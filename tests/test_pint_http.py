"""DCSA PINT over HTTP between two OpenFTZ registries: this one (platform OFTZ, the test database) sends an eBL to a
second registry started here as platform BOLE (its own process, its own SQLite database, a real HTTP server on
loopback), which checks the envelope and answers with a signed response; this registry acts on the answer."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from openftz.core import crypto
from openftz.ledger import selectors as ledger
from openftz.ledger.registry_key import platform_key
from openftz.parties import services as parties
from openftz.records import dcsa, selectors
from openftz.records.models import PintDelivery, Record
from openftz.records.services import record_pint_deliver
from openftz.records.tasks import pint_deliver
from tests.conftest import ROOT
from tests.test_records import Registry, dcsa_document, refused

pytestmark = pytest.mark.django_db
USCC = "91310000MA1FL4LC9D"
LEI = "529900T8BM49AURSDO55"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def peer(tmp_path_factory):
    """A second OpenFTZ registry as platform BOLE, whose directory knows this registry's platform key (OFTZ)."""
    var = tmp_path_factory.mktemp("peer")
    pem = crypto.generate_private_key("Ed25519")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "OPENFTZ_VAR_DIR": str(var), "OPENFTZ_PINT_PLATFORM": "BOLE", "OPENFTZ_PINT_KEY": pem,
        "OPENFTZ_PINT_KEY_ALGORITHM": "Ed25519", "OPENFTZ_DEBUG": "0", "OPENFTZ_ALLOWED_HOSTS": "127.0.0.1",
        "OPENFTZ_BEHIND_TLS_PROXY": "1"}  # plain HTTP on loopback: no redirect to HTTPS
    ours = var / "oftz.pub"
    ours.write_text(platform_key().public_pem)

    def run(*args):
        subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)

    run("manage.py", "migrate", "--noinput")
    cli = ["-c", "from openftz.cli import main; main()"]
    run(*cli, "parties", "add", "oftz", "--name", "OpenFTZ", "--foreign-scheme", dcsa.PLATFORM_SCHEME, "--foreign-id", "OFTZ")
    run(*cli, "parties", "key-add", "oftz", str(ours), "--algorithm", "Ed25519")
    run(*cli, "parties", "add", "importer", "--name", "上海进口商", "--uscc", USCC)
    run(*cli, "parties", "add", "msc-lei", "--name", "地中海航运", "--lei", LEI)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("the peer registry did not start")
    yield {"base": base, "public_key": crypto.public_key_pem("Ed25519", pem)}
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def world(peer):
    reg = Registry()
    parties.party_create(party_id="msc-lei", name_zh="地中海航运(LEI)", lei=LEI)
    parties.party_create(party_id="importer", name_zh="上海进口商", uscc=USCC)
    parties.party_create(party_id="bolero", name_zh="BOLE", foreign_scheme=dcsa.PLATFORM_SCHEME, foreign_id="BOLE",
                         pint_endpoint=peer["base"] + "/api/records/pint")
    parties.party_key_add(party_id="bolero", algorithm="Ed25519", public_key=peer["public_key"])
    closed = _free_port()  # nothing listens there
    parties.party_create(party_id="wave", name_zh="WAVE", foreign_scheme=dcsa.PLATFORM_SCHEME, foreign_id="WAVE",
                         pint_endpoint=f"http://127.0.0.1:{closed}/pint")
    return reg


def send(reg, record_id, to, platform="BOLE"):
    doc = dcsa_document() | {"transportDocumentReference": record_id}
    doc["isToOrder"] = True
    doc["documentParties"] = {k: v for k, v in doc["documentParties"].items() if k != "endorsee"}
    reg.do("msc", record_id, "issue", {"kind": "ebl", "form": "blank", "holder": "shipper", "document": doc})
    reg.do("shipper", record_id, "transfer", {"to": "bank"})
    reg.do("bank", record_id, "transfer_to_platform", {"to": to, "platform": platform})
    return Record.objects.get(pk=record_id)


def peer_record(peer, record_id):
    try:
        with urllib.request.urlopen(f"{peer['base']}/api/records/{record_id}", timeout=5) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return {"status_code": exc.code}


def test_the_other_registry_accepts_and_the_record_here_is_exported(world, peer):
    record = send(world, "HTTP1", "importer")
    assert record.status == "pint_pending"
    assert pint_deliver.call("HTTP1", record.seq) == "accepted"  # what the worker runs after the commit
    record.refresh_from_db()
    assert (record.status, record.holder_id) == ("exported", "importer")
    events = list(selectors.record_events(record))
    assert [e.op for e in events][-2:] == ["transfer_to_platform", "pint_accepted"]
    assert events[-1].actor_id == "bolero" and json.loads(events[-1].instruction)["responseCode"] == "RECE"
    there = peer_record(peer, "HTTP1")
    assert (there["holder"], there["status"]) == ("importer", "active")
    world.seq["HTTP1"] = record.seq  # the answer was an event of its own
    refused("inoperative", world.do, "bank", "HTTP1", "transfer", {"to": "shipper"})
    assert ledger.ledger_verify().ok and selectors.record_verify(record) == []


def test_a_refused_envelope_returns_control_to_the_sender(world, peer):
    record = send(world, "HTTP2", "buyer")  # the buyer is not in the other registry's directory
    delivery = record_pint_deliver(record_id="HTTP2")
    assert (delivery.status, delivery.response_code) == ("rejected", "BENV")
    record.refresh_from_db()
    assert (record.status, record.holder_id) == ("active", "bank")
    assert peer_record(peer, "HTTP2") == {"status_code": 404}
    codes = [t["action"] for t in selectors.record_dcsa_transactions(record)["transactions"]]
    assert codes == ["ISSU", "TRNS"]  # the transfer that did not happen is not in the chain
    world.seq["HTTP2"] = record.seq
    world.do("bank", "HTTP2", "transfer", {"to": "buyer"})  # control is back: the bank can act again
    assert ledger.ledger_verify().ok


def test_no_answer_is_retried_then_control_returns(world):
    record = send(world, "HTTP3", "importer", platform="WAVE")
    for attempt in range(1, 6):
        delivery = record_pint_deliver(record_id="HTTP3")
        assert (delivery.status, delivery.attempts) == ("pending", attempt) and "no answer" in delivery.last_error
    delivery = record_pint_deliver(record_id="HTTP3")
    assert delivery.status == "undeliverable"
    record.refresh_from_db()
    assert (record.status, record.holder_id) == ("active", "bank")
    assert list(selectors.record_events(record))[-1].op == "pint_undeliverable"
    with pytest.raises(Exception) as err:
        record_pint_deliver(record_id="HTTP3")
    assert getattr(err.value, "code", "") == "not_in_transit"
    assert PintDelivery.objects.get(record=record).attempts == 6 and ledger.ledger_verify().ok


def test_a_platform_that_starts_the_transfer_is_asked_to_finish_it(world):
    """A receiving platform may answer the start with 201 (EnvelopeTransferStartedResponse) even when nothing is
    missing: this registry then finishes the transfer (PUT …/finish-transfer) and acts on the signed answer. The
    platform is played by a small HTTP server on loopback that signs with its own Ed25519 key."""
    import http.server
    import threading

    pem = crypto.generate_private_key("Ed25519")
    seen = []

    class Platform(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            envelope = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append(("POST", self.path, dcsa.token_checksum(envelope["envelopeTransferChain"][-1])))
            self._send(201, {"envelopeReference": "ref-1", "transportDocumentChecksum": dcsa.checksum(envelope["transportDocument"]),
                             "lastEnvelopeTransferChainEntrySignedContentChecksum": seen[-1][2], "missingAdditionalDocumentChecksums": []})

        def do_PUT(self):
            seen.append(("PUT", self.path, None))
            self._send(200, dcsa.jws_sign("Ed25519", pem, {"lastEnvelopeTransferChainEntrySignedContentChecksum": seen[0][2],
                                                           "responseCode": "RECE"}))

    server = http.server.HTTPServer(("127.0.0.1", 0), Platform)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        parties.party_create(party_id="trgo", name_zh="TRGO", foreign_scheme=dcsa.PLATFORM_SCHEME, foreign_id="TRGO",
                             pint_endpoint=f"http://127.0.0.1:{server.server_address[1]}/pint")
        parties.party_key_add(party_id="trgo", algorithm="Ed25519", public_key=crypto.public_key_pem("Ed25519", pem))
        send(world, "HTTP5", "importer", platform="TRGO")
        delivery = record_pint_deliver(record_id="HTTP5")
    finally:
        server.shutdown()
    assert [(method, path) for method, path, _ in seen] == [("POST", "/pint/v3/envelopes"), ("PUT", "/pint/v3/envelopes/ref-1/finish-transfer")]
    assert (delivery.status, delivery.response_code) == ("accepted", "RECE")
    assert Record.objects.get(pk="HTTP5").status == "exported" and ledger.ledger_verify().ok
