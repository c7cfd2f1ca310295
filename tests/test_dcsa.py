"""DCSA interoperability: PINT 3.0 envelopes received (every JWS and hash link checked; RECE, DUPE, BSIG, BENV) and the
endorsement chain exported as DCSA transactions. The sending platform is played here with joserfc (ES256, Ed25519)."""
import base64
import hashlib
import json

import pytest
from joserfc import jws
from joserfc.jwk import OKPKey

from openftz.core import crypto
from openftz.ledger import selectors as ledger
from openftz.ledger.registry_key import platform_key
from openftz.ledger.verify import verify_bundle
from openftz.parties import services as parties
from openftz.records import dcsa, selectors
from openftz.records.models import PintEnvelope, Record
from openftz.records.services import pint_receive
from tests.test_records import Registry, dcsa_document, refused

pytestmark = pytest.mark.django_db
USCC = "91310000MA1FL4LC9D"
LEI = "529900T8BM49AURSDO55"  # the issuing carrier's LEI in DCSA's examples


@pytest.fixture
def world():
    reg = Registry()
    parties.party_create(party_id="msc-lei", name_zh="地中海航运(LEI)", name_en="Mediterranean Shipping Company", lei=LEI)
    parties.party_create(party_id="importer", name_zh="上海进口商", uscc=USCC)
    platforms = {}
    for pid, code, algorithm in (("bolero", "BOLE", "P-256"), ("wave", "WAVE", "Ed25519")):
        parties.party_create(party_id=pid, name_zh=code, foreign_scheme=dcsa.PLATFORM_SCHEME, foreign_id=code)
        pem = crypto.generate_private_key(algorithm)
        parties.party_key_add(party_id=pid, algorithm=algorithm, public_key=crypto.public_key_pem(algorithm, pem))
        platforms[code] = (algorithm, pem)
    return reg, platforms


def build(doc, key, platform="BOLE", *, recipient_platform=dcsa.PLATFORM, first_action="ISSU", link=None, manifest_key=None,
          documents=()):
    """What a sending platform sends (PINT 3.0.0): ISSU to the shipper on its platform, then TRNS to our importer;
    ``documents``: the supporting documents the manifest lists, as bytes."""
    algorithm, pem = key
    dc = dcsa.checksum(doc)
    issuance = dcsa.jws_sign(algorithm, pem, {"documentChecksum": dc, "issueToChecksum": "0" * 64})
    shipper = {"partyName": "DCSA CTK", "eblPlatform": platform}
    first = dcsa.jws_sign(algorithm, pem, {
        "eblPlatform": platform, "transportDocumentChecksum": dc, "issuanceManifestSignedContent": issuance,
        "transactions": [{"action": first_action, "actor": {"partyName": "MSC", "eblPlatform": platform}, "recipient": shipper,
                          "timestamp": 1795161600000}]})
    second = dcsa.jws_sign(algorithm, pem, {
        "eblPlatform": platform, "transportDocumentChecksum": dc,
        "previousEnvelopeTransferChainEntrySignedContentChecksum": link or dcsa.token_checksum(first),
        "transactions": [{"action": "TRNS", "actor": shipper, "timestamp": 1795253400000,
                          "recipient": {"partyName": "Shanghai Importer", "eblPlatform": recipient_platform,
                                        "identifyingCodes": [{"codeListProvider": "CN", "partyCode": USCC, "codeListName": "USCC"}]}}]})
    m_algorithm, m_pem = manifest_key or key
    manifest = dcsa.jws_sign(m_algorithm, m_pem, {
        "transportDocumentChecksum": dc, "lastEnvelopeTransferChainEntrySignedContentChecksum": dcsa.token_checksum(second),
        "supportingDocuments": [{"name": f"doc-{i}.pdf", "size": len(d), "mediaType": "application/pdf",
                                 "documentChecksum": hashlib.sha256(d).hexdigest()} for i, d in enumerate(documents)]})
    return {"transportDocument": doc, "envelopeManifestSignedContent": manifest, "envelopeTransferChain": [first, second]}


def response_payload(token):
    key = platform_key()
    return json.loads(jws.deserialize_compact(token, OKPKey.import_key(key.public_pem), algorithms=["Ed25519"]).payload)


@pytest.mark.parametrize("platform", ["BOLE", "WAVE"])  # ES256 and Ed25519
def test_a_valid_envelope_is_received_and_the_record_taken_in(world, platform):
    reg, platforms = world
    doc = dcsa_document("reefer")
    answer = pint_receive(envelope=build(doc, platforms[platform], platform))
    assert answer.verdict.code == "RECE", answer.verdict.reason
    payload = response_payload(answer.signed_response)
    assert payload["responseCode"] == "RECE" and payload["lastEnvelopeTransferChainEntrySignedContentChecksum"] == answer.verdict.last_checksum
    record = selectors.record_get(doc["transportDocumentReference"])
    assert (record.holder_id, record.issuer_id, record.form, record.seq) == ("importer", "msc-lei", "blank", 1)
    assert selectors.record_verify(record) == [] and ledger.ledger_verify().ok
    assert verify_bundle(json.loads(json.dumps(selectors.record_bundle(record)))).ok
    # the holder now exercises control here, with its own signed instruction
    reg.keys["importer"] = (alg := "SM2", pem := crypto.generate_private_key("SM2"),
                            parties.party_key_add(party_id="importer", algorithm=alg, public_key=crypto.public_key_pem(alg, pem)).kid)
    reg.seq[record.id] = 1
    reg.do("importer", record.id, "transfer", {"to": "bank"})
    chain = selectors.record_dcsa_transactions(selectors.record_get(record.id))
    assert [t["action"] for t in chain["transactions"]] == ["ISSU", "TRNS", "TRNS"]
    assert chain["transactions"][-1]["recipient"]["partyName"] == "银行" and isinstance(chain["transactions"][-1]["timestamp"], int)


def test_a_repeated_envelope_is_a_duplicate_and_writes_nothing(world):
    _, platforms = world
    envelope = build(dcsa_document(), platforms["BOLE"])
    first = pint_receive(envelope=envelope)
    again = pint_receive(envelope=envelope)
    assert again.verdict.code == "DUPE"
    payload = response_payload(again.signed_response)
    assert payload["duplicateOfAcceptedEnvelopeTransferChainEntrySignedContent"] == envelope["envelopeTransferChain"][-1]
    assert PintEnvelope.objects.count() == 1 and first.record.pk == again.record.pk


def test_bad_signatures_are_answered_bsig(world):
    _, platforms = world
    stranger = ("P-256", crypto.generate_private_key("P-256"))
    assert pint_receive(envelope=build(dcsa_document(), stranger)).verdict.code == "BSIG"  # entries by an unknown key
    manifest_by_other = build(dcsa_document(), platforms["BOLE"], manifest_key=platforms["WAVE"])
    assert pint_receive(envelope=manifest_by_other).verdict.code == "BSIG"
    unknown_platform = build(dcsa_document(), platforms["BOLE"], "ZZZZ")
    assert pint_receive(envelope=unknown_platform).verdict.code == "BSIG"
    assert not Record.objects.exists()


def test_inconsistent_envelopes_are_answered_benv(world):
    _, platforms = world
    key = platforms["BOLE"]
    changed = build(dcsa_document(), key)
    changed["transportDocument"]["termsAndConditions"] = "altered after signing"
    cases = {
        "changed document": changed,
        "broken hash link": build(dcsa_document(), key, link="0" * 64),
        "addressed elsewhere": build(dcsa_document(), key, recipient_platform="WAVE"),
        "no issuance first": build(dcsa_document(), key, first_action="TRNS"),
        "an action PINT 3.0.0 does not have": build(dcsa_document(), key, first_action="ISSUE"),
        "reordered chain": (lambda e: e | {"envelopeTransferChain": e["envelopeTransferChain"][::-1]})(build(dcsa_document(), key)),
        "not JWS": {"transportDocument": {}, "envelopeManifestSignedContent": "x", "envelopeTransferChain": ["y"]},
        "not an object": [1, 2],
    }
    for name, envelope in cases.items():
        verdict = pint_receive(envelope=envelope).verdict
        assert verdict.code == "BENV", (name, verdict.code, verdict.reason)
    assert not Record.objects.exists() and not PintEnvelope.objects.exists()


def test_an_envelope_for_a_record_held_here_is_refused(world):
    reg, platforms = world
    reg.issue_ebl("62CD536BA8D34C469AFD")
    verdict = pint_receive(envelope=build(dcsa_document(), platforms["BOLE"])).verdict
    assert verdict.code == "BENV" and "already held" in verdict.reason


def test_local_operations_in_dcsa_form(world):
    reg, _ = world
    reg.issue_ebl("D1")
    reg.do("shipper", "D1", "endorse_to_order", {"to": "bank"})
    reg.do("bank", "D1", "blank_endorse")
    reg.do("bank", "D1", "to_paper", {"statement": "L/C requires paper"})
    chain = selectors.record_dcsa_transactions(selectors.record_get("D1"))
    codes = [(t["action"], t.get("reason"), t["recipient"]["partyName"]) for t in chain["transactions"]]
    # the blank endorsement has no PINT transaction; the switch to paper is a surrender for amendment to the carrier
    issuer = chain["transactions"][0]["actor"]["partyName"]
    assert codes == [("ISSU", None, chain["transactions"][0]["recipient"]["partyName"]), ("ENDO", None, "银行"), ("RESA", "SWTP", issuer)]
    assert all(set(t) >= {"action", "actor", "recipient", "timestamp"} for t in chain["transactions"])
    assert len(chain["transactions"][-1]["comments"]) <= 255


def test_pint_api(client, world):
    _, platforms = world
    envelope = build(dcsa_document(), platforms["BOLE"])
    ok = client.post("/api/records/pint/v3/envelopes", envelope, content_type="application/json")
    assert ok.status_code == 200 and response_payload(ok.json())["responseCode"] == "RECE"
    assert response_payload(client.post("/api/records/pint/v3/envelopes", envelope, content_type="application/json").json())["responseCode"] == "DUPE"
    bad = client.post("/api/records/pint/v3/envelopes", {"transportDocument": 1}, content_type="application/json")
    assert bad.status_code == 422 and response_payload(bad.json())["responseCode"] == "BENV"
    chain = client.get("/api/records/62CD536BA8D34C469AFD/dcsa-transactions").json()
    assert chain["transportDocumentChecksum"] == dcsa.checksum(dcsa_document())


def our_keys():
    key = platform_key()
    return [(key.algorithm, key.public_pem)]


def test_a_record_issued_here_is_sent_in_an_envelope_another_platform_accepts(world, client):
    reg, _ = world
    reg.issue_ebl("SEND1", form="blank")
    assert client.get("/api/records/SEND1/pint-envelope").status_code == 404
    reg.do("shipper", "SEND1", "transfer", {"to": "bank"})
    reg.do("bank", "SEND1", "transfer_to_platform", {"to": "importer", "platform": "BOLE"})
    record = selectors.record_get("SEND1")
    assert (record.status, record.holder_id) == ("pint_pending", "importer")  # in transit until BOLE answers
    refused("inoperative", reg.do, "bank", "SEND1", "transfer", {"to": "shipper"})  # the record here is inoperative
    envelope = client.get("/api/records/SEND1/pint-envelope").json()
    verdict = dcsa.verify_envelope(envelope, platform_keys={dcsa.PLATFORM: our_keys()}, accepted=set(), receiving_platform="BOLE")
    assert verdict.code == "RECE", verdict.reason
    assert [t["action"] for t in verdict.transactions] == ["ISSU", "TRNS", "TRNS"]
    assert verdict.transactions[-1]["recipient"]["identifyingCodes"][0]["partyCode"] == USCC
    assert ledger.ledger_verify().ok and selectors.record_verify(record) == []


def test_a_received_record_is_sent_onward_with_the_whole_chain(world):
    reg, platforms = world
    doc = dcsa_document()
    pint_receive(envelope=build(doc, platforms["BOLE"]))
    algorithm, pem = "SM2", crypto.generate_private_key("SM2")
    kid = parties.party_key_add(party_id="importer", algorithm=algorithm, public_key=crypto.public_key_pem(algorithm, pem)).kid
    reg.keys["importer"], reg.seq[doc["transportDocumentReference"]] = (algorithm, pem, kid), 1
    reg.do("importer", doc["transportDocumentReference"], "transfer_to_platform", {"to": "msc-lei", "platform": "WAVE"})
    envelope = selectors.record_outbound_envelope(selectors.record_get(doc["transportDocumentReference"]))
    assert len(envelope["envelopeTransferChain"]) == 3
    keys = {"BOLE": [(platforms["BOLE"][0], crypto.public_key_pem(*platforms["BOLE"]))], dcsa.PLATFORM: our_keys()}
    verdict = dcsa.verify_envelope(envelope, platform_keys=keys, accepted=set(), receiving_platform="WAVE")
    assert verdict.code == "RECE", verdict.reason
    assert [t["action"] for t in verdict.transactions] == ["ISSU", "TRNS", "TRNS"]


def test_domestic_platforms_may_sign_pint_with_sm2(world):
    """SH-24: between domestic platforms that agree on it, the JWS entries may be SM2 with SM3 (alg "SM2", r‖s)."""
    reg, _ = world
    pem = crypto.generate_private_key("SM2")
    parties.party_create(party_id="cn-platform", name_zh="境内平台", foreign_scheme=dcsa.PLATFORM_SCHEME, foreign_id="CNEB")
    parties.party_key_add(party_id="cn-platform", algorithm="SM2", public_key=crypto.public_key_pem("SM2", pem))
    doc = dcsa_document()
    envelope = build(doc, ("SM2", pem), platform="CNEB")
    header = json.loads(dcsa._unb64url(envelope["envelopeTransferChain"][0].split(".")[0]))
    assert header == {"alg": "SM2"} and len(dcsa._unb64url(envelope["envelopeTransferChain"][0].split(".")[2])) == 64
    forged = dict(envelope, envelopeTransferChain=[envelope["envelopeTransferChain"][0],
                                                   envelope["envelopeTransferChain"][1][:-4] + "AAAA"])
    assert response_payload(pint_receive(envelope=forged).signed_response)["responseCode"] == "BSIG"
    answer = pint_receive(envelope=envelope)
    assert answer.verdict.code == "RECE", answer.verdict.reason
    assert Record.objects.get(pk=doc["transportDocumentReference"]).holder_id == "importer"


def test_additional_documents_are_asked_for_checked_and_receipted_before_the_record_is_taken_in(client, world):
    """PINT 3.0.0: a manifest announcing supporting documents starts the transfer (201); each document must match the
    SHA-256 and size the signed manifest gave (else INCD, 409, the transfer still open); finishing with a document
    missing is MDOC (409); with all of them RECE, whose signed answer receipts every document; again, DUPE."""
    _, platforms = world
    letter, invoice = b"%PDF-1.7 letter of credit", b"%PDF-1.7 commercial invoice"
    envelope = build(dcsa_document(), platforms["BOLE"], documents=[letter, invoice])
    c_letter, c_invoice = hashlib.sha256(letter).hexdigest(), hashlib.sha256(invoice).hexdigest()
    started = client.post("/api/records/pint/v3/envelopes", envelope, content_type="application/json")
    assert started.status_code == 201, started.content
    body = started.json()
    assert sorted(body["missingAdditionalDocumentChecksums"]) == sorted([c_letter, c_invoice])
    assert body["transportDocumentChecksum"] == dcsa.checksum(dcsa_document()) and not Record.objects.exists()  # nothing taken in yet
    base = f"/api/records/pint/v3/envelopes/{body['envelopeReference']}"

    def put(checksum, content):
        return client.put(f"{base}/additional-documents/{checksum}", json.dumps(base64.b64encode(content).decode()),
                          content_type="application/json")

    wrong = put(c_letter, invoice)  # another document under the letter's checksum
    assert wrong.status_code == 409 and response_payload(wrong.json())["responseCode"] == "INCD"
    assert put("0" * 64, letter).status_code == 409  # a checksum the manifest does not announce
    assert put(c_letter, letter).status_code == 204
    early = client.put(f"{base}/finish-transfer")
    payload = response_payload(early.json())
    assert early.status_code == 409 and payload["responseCode"] == "MDOC" and payload["missingAdditionalDocumentChecksums"] == [c_invoice]
    assert not Record.objects.exists()
    assert put(c_invoice, invoice).status_code == 204
    done = client.put(f"{base}/finish-transfer")
    payload = response_payload(done.json())
    assert done.status_code == 200 and payload["responseCode"] == "RECE"
    assert payload["receivedAdditionalDocumentChecksums"] == sorted([c_letter, c_invoice])
    record = Record.objects.get()
    event = json.loads(record.events.get().instruction)
    assert event["additionalDocumentChecksums"] == sorted([c_letter, c_invoice])  # on the ledger with the record
    assert ledger.ledger_verify().ok
    page = client.get(f"/en/records/{record.id}/").content.decode()
    assert "doc-0.pdf" in page and c_invoice in page  # the record page lists what came with it
    download = client.get(f"/records/{record.id}/documents/{c_letter}/")
    assert download.status_code == 200 and download.content == letter and "attachment" in download["Content-Disposition"]
    assert client.get(f"/records/{record.id}/documents/{'0' * 64}/").status_code == 404
    again = client.put(f"{base}/finish-transfer")
    assert again.status_code == 200 and response_payload(again.json())["responseCode"] == "DUPE"
    assert client.put(f"{base}/additional-documents/{c_letter}", json.dumps("eA=="), content_type="application/json").status_code == 404
    assert client.put("/api/records/pint/v3/envelopes/unknown/finish-transfer").status_code == 404
    # the same envelope started again is a duplicate; a new one with documents held already is accepted at once
    assert response_payload(client.post("/api/records/pint/v3/envelopes", envelope, content_type="application/json").json())["responseCode"] == "DUPE"


def test_a_transfer_started_again_replaces_the_open_one_and_bad_metadata_is_benv(client, world):
    _, platforms = world
    envelope = build(dcsa_document(), platforms["BOLE"], documents=[b"one"])
    first = client.post("/api/records/pint/v3/envelopes", envelope, content_type="application/json").json()
    second = client.post("/api/records/pint/v3/envelopes", envelope, content_type="application/json").json()
    assert first["envelopeReference"] != second["envelopeReference"]
    assert client.put(f"/api/records/pint/v3/envelopes/{first['envelopeReference']}/finish-transfer").status_code == 404  # a retry replaced it
    algorithm, pem = platforms["BOLE"]
    doc = dcsa_document()
    bad = build(doc, platforms["BOLE"])
    bad["envelopeManifestSignedContent"] = dcsa.jws_sign(algorithm, pem, {
        "transportDocumentChecksum": dcsa.checksum(doc),
        "lastEnvelopeTransferChainEntrySignedContentChecksum": dcsa.token_checksum(bad["envelopeTransferChain"][-1]),
        "supportingDocuments": [{"name": "x.pdf", "size": 0, "mediaType": "application/pdf", "documentChecksum": "0" * 64}]})
    answer = client.post("/api/records/pint/v3/envelopes", bad, content_type="application/json")
    assert answer.status_code == 422 and response_payload(answer.json())["responseCode"] == "BENV"


def test_receiver_validation_names_the_party_of_an_identifying_code(client, world):
    found = client.post("/api/records/pint/v3/receiver-validation",
                        {"codeListProvider": "GLEIF", "partyCode": LEI, "codeListName": "LEI"}, content_type="application/json")
    assert found.status_code == 200 and found.json() == {"partyName": "Mediterranean Shipping Company"}
    missing = client.post("/api/records/pint/v3/receiver-validation", {"codeListProvider": "GLEIF", "partyCode": "X" * 20},
                          content_type="application/json")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert client.post("/api/records/pint/v3/receiver-validation", {"partyCode": LEI}, content_type="application/json").status_code == 422


def test_a_started_transfer_expires_and_its_documents_are_discarded(client, world):
    """A transfer left open past ``pint_transfer_open_hours`` can no longer be finished; the documents sent for it go
    when the next transfer starts."""
    import datetime as dt

    from django.utils import timezone

    from openftz.records.models import PintDocument, PintTransfer

    _, platforms = world
    content = b"%PDF-1.7 packing list"
    started = client.post("/api/records/pint/v3/envelopes", build(dcsa_document(), platforms["BOLE"], documents=[content]),
                          content_type="application/json").json()
    base = f"/api/records/pint/v3/envelopes/{started['envelopeReference']}"
    assert client.put(f"{base}/additional-documents/{hashlib.sha256(content).hexdigest()}",
                      json.dumps(base64.b64encode(content).decode()), content_type="application/json").status_code == 204
    PintTransfer.objects.update(started_at=timezone.now() - dt.timedelta(hours=25))
    assert client.put(f"{base}/finish-transfer").status_code == 404 and not Record.objects.exists()
    other = dcsa_document() | {"transportDocumentReference": "NEXT1"}
    assert client.post("/api/records/pint/v3/envelopes", build(other, platforms["BOLE"], documents=[b"x"]),
                       content_type="application/json").status_code == 201
    assert PintTransfer.objects.get(pk=started["envelopeReference"]).state == "expired"
    assert not PintDocument.objects.filter(transfer_id=started["envelopeReference"]).exists()


def test_documents_held_from_an_accepted_transfer_are_not_asked_for_again(client, world):
    """A later eBL whose manifest lists a document this platform already holds and a new one: only the new one is
    asked for, and finishing with it alone is RECE, the receipt naming both."""
    _, platforms = world
    held, new = b"%PDF-1.7 certificate of origin", b"%PDF-1.7 inspection report"
    c_held, c_new = hashlib.sha256(held).hexdigest(), hashlib.sha256(new).hexdigest()

    def transfer(doc, documents, send):
        started = client.post("/api/records/pint/v3/envelopes", build(doc, platforms["BOLE"], documents=documents),
                              content_type="application/json").json()
        base = f"/api/records/pint/v3/envelopes/{started['envelopeReference']}"
        for content in send:
            client.put(f"{base}/additional-documents/{hashlib.sha256(content).hexdigest()}",
                       json.dumps(base64.b64encode(content).decode()), content_type="application/json")
        return started, client.put(f"{base}/finish-transfer")

    _, first = transfer(dcsa_document(), [held], [held])
    assert response_payload(first.json())["responseCode"] == "RECE"
    started, second = transfer(dcsa_document() | {"transportDocumentReference": "LATER1"}, [held, new], [new])
    assert started["missingAdditionalDocumentChecksums"] == [c_new]
    payload = response_payload(second.json())
    assert second.status_code == 200 and payload["responseCode"] == "RECE"
    assert payload["receivedAdditionalDocumentChecksums"] == sorted([c_held, c_new])
