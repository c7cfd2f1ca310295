"""DCSA interoperability (SC-28, SH-43: an interoperable platform): the endorsement chain in DCSA eBL 3.0 form, and
the check of a PINT 3.0 envelope received from another eBL platform. Pure: no database.

An envelope holds the transport document, the sending platform's JWS-signed manifest and the transfer chain: JWS
entries, each naming the platform that signed it and linked to the previous entry by the SHA-256 of its compact
serialisation; the first entry carries the carrier's issuance manifest. The receiving platform answers with a
JWS-signed response code: RECE (accepted), DUPE (already accepted), BSIG (a signature fails), BENV (the envelope is
inconsistent). JWS algorithms: ES256 (P-256) and Ed25519 (also accepted under its older name EdDSA), by joserfc; and,
for domestic platforms that agree on commercial cryptography (SH-24), ``SM2``: SM2 with SM3 over the JWS signing
input, the signature as r‖s in 64 bytes as RFC 7518 §3.4 does for ES256. ``SM2`` is not an IANA-registered JWS
algorithm nor part of DCSA's standard, and joserfc has no SM2 key type, so it is done here with the project's SM2.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
import warnings
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey

from openftz.core import crypto, jsonio
from openftz.core.citations import cites
from openftz.parties.rules import PLATFORM_SCHEME  # noqa: F401  (re-exported: the platforms' identifier scheme)

CITES = cites("SC-28", "SH-43")
PLATFORM = "OFTZ"  # this registry's platform code in PINT transactions (not one of DCSA's assigned codes)
JWS_ALGORITHM = {"Ed25519": "Ed25519", "P-256": "ES256", "SM2": "SM2"}
ACCEPTED_JWS = ["ES256", "Ed25519", "EdDSA"]  # by joserfc; SM2 below
JWS_COMPACT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
# PINT 3.0.0 ``Transaction.action``: ISSU issuance, TRNS transfer of possession, ENDO endorsement (transfer of title),
# RESD / RESA request to surrender for delivery / for amendment (RESA with reason SWTP is the switch to paper), SACC /
# SREJ surrender accepted / rejected. A blank endorsement has no DCSA transaction: PINT knows a blank-endorsed eBL by
# its document (to order, no endorsee), and every transaction needs a recipient.
ACTION_CODES = {
    "issue": "ISSU", "transfer": "TRNS", "transfer_to_platform": "TRNS", "endorse": "ENDO", "endorse_to_order": "ENDO",
    "surrender_for_delivery": "RESD", "surrender_for_amendment": "RESA", "to_paper": "RESA",
    "accept_surrender": "SACC", "reject_surrender": "SREJ",
}
SURRENDERS = ("surrender_for_delivery", "surrender_for_amendment", "to_paper")
TRANSACTION_ACTIONS = frozenset(ACTION_CODES.values())


def checksum(obj: Any) -> str:
    """SHA-256 of the RFC 8785 form, in hex: DCSA's transportDocumentChecksum."""
    return hashlib.sha256(crypto.canonical_json(obj)).hexdigest()


def token_checksum(token: str) -> str:
    """SHA-256 of a JWS compact serialisation: the link between transfer-chain entries."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _jwk(algorithm: str, pem: str):
    return (OKPKey if algorithm == "Ed25519" else ECKey).import_key(pem)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sm2_sign(private_pem: str, payload: bytes) -> str:
    signing_input = _b64url(b'{"alg":"SM2"}') + "." + _b64url(payload)
    r, s = decode_dss_signature(crypto.sign("SM2", private_pem, signing_input.encode("ascii")))
    return signing_input + "." + _b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def _sm2_verify(token: str, public_pem: str) -> bool:
    header, payload, signature = token.split(".")
    try:
        if jsonio.loads(_unb64url(header)) != {"alg": "SM2"}:
            return False
        raw = _unb64url(signature)
    except (ValueError, binascii.Error):
        return False
    if len(raw) != 64:
        return False
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    return crypto.verify("SM2", public_pem, der, f"{header}.{payload}".encode("ascii"))


def jws_sign(algorithm: str, private_pem: str, payload: Any) -> str:
    alg = JWS_ALGORITHM[algorithm]
    if alg == "SM2":
        return _sm2_sign(private_pem, crypto.canonical_json(payload))
    return jws.serialize_compact({"alg": alg}, crypto.canonical_json(payload), _jwk(algorithm, private_pem), algorithms=[alg])


def _payload(token: str) -> Any:
    return jsonio.loads(jws.extract_compact(token.encode("ascii")).payload)


def _verified(token: str, keys: Sequence[tuple[str, str]]) -> str | None:
    """The public key (PEM) among ``keys`` that verifies ``token``, or None."""
    for algorithm, pem in keys:
        if algorithm not in JWS_ALGORITHM:
            continue
        if algorithm == "SM2":
            if _sm2_verify(token, pem):
                return pem
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # joserfc warns that the name EdDSA is deprecated (RFC 9864)
                jws.deserialize_compact(token, _jwk(algorithm, pem), algorithms=ACCEPTED_JWS)
        except (JoseError, ValueError):
            continue
        return pem
    return None


def verified_payload(token: str, keys: Sequence[tuple[str, str]]) -> tuple[Any, str] | None:
    """The payload of ``token`` and the key that verifies it, or None if none of ``keys`` does."""
    pem = _verified(token, keys)
    if pem is None:
        return None
    try:
        return _payload(token), pem
    except ValueError:
        return None


@dataclass
class Verdict:
    """The answer to an envelope, with what was learnt from it when it holds."""

    code: str  # RECE, DUPE, BSIG, BENV; in a transfer with additional documents also INCD, MDOC
    reason: str = ""
    last_checksum: str = ""
    document_checksum: str = ""
    sender: str = ""
    sender_key: str = ""
    entries: list[dict] = field(default_factory=list)
    documents: dict[str, dict] = field(default_factory=dict)  # the manifest's additional documents, by checksum

    @property
    def accepted(self) -> bool:
        return self.code in ("RECE", "DUPE")

    def response(self, duplicate_of: str | None = None, *, missing: Sequence[str] = ()) -> dict:
        """DCSA's EnvelopeTransferFinishedResponse: with RECE and DUPE the checksums of every additional document
        received (a signed receipt for them), with MDOC those still missing."""
        out: dict[str, Any] = {"lastEnvelopeTransferChainEntrySignedContentChecksum": self.last_checksum, "responseCode": self.code}
        if self.reason:
            out["reason"] = self.reason[:255]
        if duplicate_of:
            out["duplicateOfAcceptedEnvelopeTransferChainEntrySignedContent"] = duplicate_of
        if self.accepted and self.documents:
            out["receivedAdditionalDocumentChecksums"] = sorted(self.documents)
        if self.code == "MDOC":
            out["missingAdditionalDocumentChecksums"] = list(missing)
        return out

    @property
    def transactions(self) -> list[dict]:
        return [t for e in self.entries for t in e["transactions"]]


class _Reject(Exception):
    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code, self.reason = code, reason


def verify_envelope(envelope: Any, *, platform_keys: Mapping[str, Sequence[tuple[str, str]]], accepted: Container[str],
                    receiving_platform: str = PLATFORM) -> Verdict:
    """Check every JWS of the envelope, the hash links and the checksums; RECE only if all hold (SC-28, SH-43)."""
    last = ""
    if isinstance(envelope, dict) and isinstance(envelope.get("envelopeTransferChain"), list) and envelope["envelopeTransferChain"]:
        tail = envelope["envelopeTransferChain"][-1]
        if isinstance(tail, str) and tail.isascii():
            last = token_checksum(tail)
    verdict = Verdict("RECE", last_checksum=last or hashlib.sha256(b"").hexdigest())
    try:
        _check(envelope, platform_keys, receiving_platform, verdict)
    except _Reject as rejection:
        verdict.code, verdict.reason, verdict.entries = rejection.code, rejection.reason, []
        return verdict
    except (ValueError, KeyError, TypeError, AttributeError, JoseError) as exc:
        verdict.code, verdict.reason, verdict.entries = "BENV", f"malformed envelope: {type(exc).__name__}", []
        return verdict
    if verdict.last_checksum in accepted:
        verdict.code, verdict.reason = "DUPE", "this envelope transfer was accepted before"
    return verdict


def _check(envelope, platform_keys, receiving_platform, verdict: Verdict) -> None:
    if not isinstance(envelope, dict):
        raise _Reject("BENV", "the envelope must be a JSON object")
    document, manifest_token, chain = (envelope.get(k) for k in ("transportDocument", "envelopeManifestSignedContent", "envelopeTransferChain"))
    if not isinstance(document, dict) or not isinstance(manifest_token, str) or not isinstance(chain, list) or not chain:
        raise _Reject("BENV", "transportDocument, envelopeManifestSignedContent and a non-empty envelopeTransferChain are required")
    for token in [manifest_token, *chain]:
        if not isinstance(token, str) or not JWS_COMPACT.match(token):
            raise _Reject("BENV", "every signed content must be a JWS in compact serialisation")
    verdict.document_checksum = checksum(document)
    for i, token in enumerate(chain):
        entry = _payload(token)
        if not isinstance(entry, dict) or not isinstance(entry.get("eblPlatform"), str) or not isinstance(entry.get("transactions"), list) \
                or not entry["transactions"] or not all(isinstance(t, dict) for t in entry["transactions"]):
            raise _Reject("BENV", f"transfer-chain entry {i} lacks eblPlatform or transactions")
        key = _verified(token, platform_keys.get(entry["eblPlatform"], ()))
        if key is None:
            raise _Reject("BSIG", f"transfer-chain entry {i}: no key of platform {entry['eblPlatform'][:4]} verifies its signature")
        if entry.get("transportDocumentChecksum") != verdict.document_checksum:
            raise _Reject("BENV", f"transfer-chain entry {i} is about another transport document")
        previous = entry.get("previousEnvelopeTransferChainEntrySignedContentChecksum")
        if i == 0:
            if previous is not None:
                raise _Reject("BENV", "the first transfer-chain entry cannot have a previous entry")
            _check_issuance(entry, token, platform_keys, verdict)
        elif previous != token_checksum(chain[i - 1]):
            raise _Reject("BENV", f"transfer-chain entry {i} does not link to entry {i - 1}")
        verdict.entries.append(entry)
        verdict.sender, verdict.sender_key = entry["eblPlatform"], key
    manifest = _payload(manifest_token)
    if _verified(manifest_token, platform_keys.get(verdict.sender, ())) is None:
        raise _Reject("BSIG", f"the envelope manifest is not signed by the sending platform {verdict.sender[:4]}")
    if not isinstance(manifest, dict) or manifest.get("transportDocumentChecksum") != verdict.document_checksum:
        raise _Reject("BENV", "the manifest's transportDocumentChecksum does not match the transport document")
    if manifest.get("lastEnvelopeTransferChainEntrySignedContentChecksum") != verdict.last_checksum:
        raise _Reject("BENV", "the manifest does not name the last transfer-chain entry")
    codes = [t.get("action") for t in verdict.transactions]
    if codes[0] != "ISSU":
        raise _Reject("BENV", "the transfer chain must start with the ISSU (issuance) transaction")
    if any(code not in TRANSACTION_ACTIONS for code in codes):
        raise _Reject("BENV", "a transaction's action is not one of ISSU, TRNS, ENDO, RESD, RESA, SACC, SREJ")
    if "SACC" in codes[:-1]:
        raise _Reject("BENV", "no transaction may follow an accepted surrender (SACC)")
    recipient = verdict.transactions[-1].get("recipient")
    if not isinstance(recipient, dict) or recipient.get("eblPlatform") != receiving_platform:
        raise _Reject("BENV", f"the last transaction is not addressed to platform {receiving_platform}")
    verdict.documents = manifest_documents(manifest)


CHECKSUM = re.compile(r"^[0-9a-f]{64}$")


def manifest_documents(manifest: dict) -> dict[str, dict]:
    """The additional documents an envelope manifest announces — its ``supportingDocuments`` and the carrier's
    ``eBLVisualisationByCarrier`` — by SHA-256 checksum: ``{name, size, mediaType, visualisation}``."""
    listed = manifest.get("supportingDocuments", [])
    if not isinstance(listed, list):
        raise _Reject("BENV", "the manifest's supportingDocuments must be a list")
    visualisation = manifest.get("eBLVisualisationByCarrier")
    items = [(d, False) for d in listed] + ([(visualisation, True)] if visualisation is not None else [])
    out: dict[str, dict] = {}
    for item, is_visualisation in items:
        if not isinstance(item, dict) or not isinstance(item.get("documentChecksum"), str) or not CHECKSUM.match(item["documentChecksum"]) \
                or not isinstance(item.get("name"), str) or not item["name"].strip() or not isinstance(item.get("mediaType"), str) \
                or isinstance(item.get("size"), bool) or not isinstance(item.get("size"), int) or item["size"] < 1:
            raise _Reject("BENV", "an additional document of the manifest lacks a name, a size, a media type or a SHA-256 checksum")
        out[item["documentChecksum"]] = {"name": item["name"][:255], "size": item["size"], "mediaType": item["mediaType"][:100],
                                         "visualisation": is_visualisation}
    return out


def document_problem(expected: dict, checksum_in_path: str, content: bytes) -> str | None:
    """Why a transferred additional document does not match what the manifest announced (INCD), or None."""
    if hashlib.sha256(content).hexdigest() != checksum_in_path:
        return "the document's SHA-256 checksum is not the one in the path"
    if len(content) != expected["size"]:
        return f"the document has {len(content)} bytes, the manifest announced {expected['size']}"
    return None


def _check_issuance(entry: dict, token: str, platform_keys, verdict: Verdict) -> None:
    issuance = entry.get("issuanceManifestSignedContent")
    if not isinstance(issuance, str) or not JWS_COMPACT.match(issuance):
        raise _Reject("BENV", "the first transfer-chain entry must carry the issuance manifest")
    if _verified(issuance, platform_keys.get(entry["eblPlatform"], ())) is None:
        raise _Reject("BSIG", "the issuance manifest's signature does not verify")
    if not isinstance(_payload(issuance), dict) or _payload(issuance).get("documentChecksum") != verdict.document_checksum:
        raise _Reject("BENV", "the issuance manifest is about another transport document")


def party_lookups(party: Any) -> list[tuple[str, str]]:
    """How a DCSA party's identifying codes can be found in the directory: (field, value) pairs, best first."""
    if not isinstance(party, dict) or not isinstance(party.get("identifyingCodes"), list):
        return []
    out = []
    for code in party["identifyingCodes"]:
        if not isinstance(code, dict) or not isinstance(code.get("partyCode"), str) or "\x00" in code["partyCode"]:
            continue
        name = str(code.get("codeListName", "")).upper()
        provider = str(code.get("codeListProvider", "")).upper()
        if name == "LEI" or provider == "GLEIF":
            out.append(("lei", code["partyCode"]))
        elif name == "USCC":
            out.append(("uscc", code["partyCode"]))
        elif (name or provider) and "\x00" not in name + provider:
            out.append((f"foreign:{name or provider}", code["partyCode"]))
    return out


def issuing_party(document: dict) -> Any:
    """The carrier that issued the transport document (``documentParties.issuingParty`` in eBL 3.0)."""
    parties = document.get("documentParties")
    return parties.get("issuingParty") if isinstance(parties, dict) else None


def record_form(document: dict) -> str:
    """straight, to_order (an endorsee is named) or blank (to order without an endorsee), as PINT distinguishes them."""
    if document.get("isToOrder") is not True:
        return "straight"
    return "to_order" if isinstance(document.get("documentParties"), dict) and document["documentParties"].get("endorsee") else "blank"


def party_facts(party: Any) -> dict:
    """What DCSA needs of a directory party (any object with the Party fields)."""
    return {"name_zh": party.name_zh, "name_en": party.name_en, "lei": party.lei, "uscc": party.uscc,
            "foreign_scheme": party.foreign_scheme, "foreign_id": party.foreign_id}


def _party(party: dict, platform: str = PLATFORM) -> dict:
    out = {"partyName": (party["name_en"] or party["name_zh"])[:70], "eblPlatform": platform}
    codes = []
    if party.get("lei"):
        codes.append({"codeListProvider": "GLEIF", "partyCode": party["lei"], "codeListName": "LEI"})
    if party.get("uscc"):
        codes.append({"codeListProvider": "CN", "partyCode": party["uscc"], "codeListName": "USCC"})
    if party.get("foreign_id"):
        codes.append({"codeListProvider": party["foreign_scheme"], "partyCode": party["foreign_id"]})
    if codes:
        out["identifyingCodes"] = codes
    return out


UNDOING = ("pint_rejected", "pint_undeliverable")  # a transfer to another platform that did not happen


def transactions(events: Sequence[dict], parties: Mapping[str, dict], platform: str = PLATFORM, *,
                 issuer: str | None = None) -> list[dict]:
    """A record's endorsement chain as DCSA PINT 3.0.0 ``Transaction`` objects: the transactions received with an
    envelope, then each local operation that DCSA names (amendment, change back from paper, void and blank endorsement
    have no DCSA transaction; a transfer to another platform that was refused or never answered did not happen and
    is left out). A surrender is addressed to the issuing carrier (``issuer``), its acceptance or rejection to the
    party that asked for it."""
    undone = {e["instruction"].get("transfer_seq") for e in events if e["op"] in UNDOING}
    out: list[dict] = []
    surrendered_by = None
    for event in events:
        if event["op"] == "pint_receive":
            out.extend(event["instruction"]["transactions"])
            continue
        code = ACTION_CODES.get(event["op"])
        if code is None or (event["op"] == "transfer_to_platform" and event["seq"] in undone):
            continue
        if event["op"] in SURRENDERS:
            surrendered_by, recipient = event["actor"], issuer or event["holder_after"]
        elif event["op"] in ("accept_surrender", "reject_surrender"):
            recipient = surrendered_by or event["holder_after"]
        else:
            recipient = event["holder_after"]
        at: dt.datetime = event["at"]
        t = {"action": code, "actor": _party(parties[event["actor"]], platform),
             "recipient": _party(parties[recipient], event["instruction"]["params"].get("platform", platform)),
             "timestamp": int(at.timestamp() * 1000)}
        if event["op"] == "to_paper":
            t["reason"] = "SWTP"
        text = event.get("statement") or event["instruction"].get("params", {}).get("reason")
        if text:
            t["comments"] = " ".join(str(text).split())[:255]
        out.append(t)
    return out


def transaction_time(transaction: dict) -> dt.datetime | None:
    """When a DCSA transaction was created (``timestamp``: Unix epoch in milliseconds), or None."""
    stamp = transaction.get("timestamp")
    if isinstance(stamp, bool) or not isinstance(stamp, int):
        return None
    try:
        return dt.datetime.fromtimestamp(stamp / 1000, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def build_envelope(*, document: dict, previous_chain: Sequence[str], transactions: Sequence[dict], algorithm: str,
                   private_pem: str, platform: str = PLATFORM) -> dict:
    """The envelope this platform sends: the chain received so far (if any) and one new entry with this platform's
    transactions, linked by checksum and signed, with the signed manifest. Without a previous chain the entry carries
    the issuance manifest, signed by this platform for the carrier that issued here."""
    dc = checksum(document)
    entry: dict[str, Any] = {"eblPlatform": platform, "transportDocumentChecksum": dc, "transactions": list(transactions)}
    if previous_chain:
        entry["previousEnvelopeTransferChainEntrySignedContentChecksum"] = token_checksum(previous_chain[-1])
    else:
        entry["issuanceManifestSignedContent"] = jws_sign(algorithm, private_pem, {
            "documentChecksum": dc, "issueToChecksum": checksum(transactions[0].get("recipient", {}))})
    token = jws_sign(algorithm, private_pem, entry)
    manifest = {"transportDocumentChecksum": dc, "lastEnvelopeTransferChainEntrySignedContentChecksum": token_checksum(token),
                "supportingDocuments": []}
    return {"transportDocument": document, "envelopeManifestSignedContent": jws_sign(algorithm, private_pem, manifest),
            "envelopeTransferChain": [*previous_chain, token]}
