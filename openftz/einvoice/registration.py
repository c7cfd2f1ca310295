"""Invoice evidence on the ledger (发票上链存证), the pure part: what is written, and how a receipt is checked offline.

SC-29 asks for trade invoices "on chain" as evidence. What goes on the ledger is the fingerprint of the exact
bytes (SM3, the commercial cryptography hash, and SHA-256 for international verifiers) and the facts a dispute
needs — invoice number, issue date, total, the seller's and buyer's identifiers — never the document itself,
which may hold personal data and trade secrets. A receipt is the ledger's ordinary history bundle of the
registration's subject, so ``openftz ledger verify-bundle`` checks it; :func:`verify_receipt` adds the check that
a given file is the one registered. No database here: the offline verifier imports this module as it is.
"""
from __future__ import annotations

from dataclasses import dataclass

from openftz.core import crypto, jsonio
from openftz.core.citations import cites
from openftz.ledger.verify import BundleReport, verify_bundle

CITES = cites("SC-29", "SH-44")
EVENT_KIND = "einvoice.registered"
RECEIPT_FORMAT = "openftz-einvoice-receipt/1"


def subject_of(sha256_hex: str) -> str:
    return f"einvoice:{sha256_hex}"


@dataclass(frozen=True, slots=True)
class Fingerprint:
    sha256: str
    sm3: str
    size: int


def fingerprint(data: bytes) -> Fingerprint:
    return Fingerprint(crypto.digest("sha256", data).hex(), crypto.digest("sm3", data).hex(), len(data))


def _scheme(tree: dict, term: str) -> dict | None:
    value = tree.get(term)
    if value is None:
        return None
    return {"id": value, "scheme": tree.get(f"{term}-1")}


def party_ids(tree: dict, *, identifier: str, legal: str, vat: str, endpoint: str) -> dict:
    """The identifiers of a party group (not its name or address)."""
    return {"identifier": _scheme(tree, identifier), "legal_id": _scheme(tree, legal), "vat_id": tree.get(vat),
            "endpoint": _scheme(tree, endpoint)}


def seller_ids(tree: dict) -> dict:
    return party_ids(tree.get("BG-4") or {}, identifier="BT-29", legal="BT-30", vat="BT-31", endpoint="BT-34")


def buyer_ids(tree: dict) -> dict:
    return party_ids(tree.get("BG-7") or {}, identifier="BT-46", legal="BT-47", vat="BT-48", endpoint="BT-49")


def registration_event(fp: Fingerprint, tree: dict, result: dict) -> dict:
    """The ledger event of a registration: JSON that RFC 8785 can canonicalise (strings, booleans, integers)."""
    totals = tree.get("BG-22") or {}
    return {
        "sha256": fp.sha256, "sm3": fp.sm3, "size": fp.size,
        "kind": result["document"]["kind"], "number": tree.get("BT-1"), "issue_date": tree.get("BT-2"),
        "currency": tree.get("BT-5"), "total": totals.get("BT-112"),
        "seller": seller_ids(tree), "buyer": buyer_ids(tree),
        "valid": result["valid"], "ruleset": result["ruleset"],
        "cites": [c.measure for c in CITES],
    }


def verify_receipt(receipt: object, data: bytes | None = None, trusted_public_pem: str | None = None) -> BundleReport:
    """The ledger's offline bundle check, then: the bundle holds one registration event, and — given the file —
    that event's SM3 and SHA-256 are those of the file's exact bytes."""
    report = verify_bundle(receipt, trusted_public_pem)
    if not report.ok:
        return report
    entries = receipt["entries"]
    events = [jsonio.loads(e["leaf"]) for e in entries]
    registrations = [e for e in events if e.get("kind") == EVENT_KIND]
    if len(registrations) != 1 or len(events) != 1:
        report.problems.append("a receipt holds exactly one registration event")
        return report
    event = registrations[0]["event"]
    if receipt["subject"] != subject_of(event.get("sha256", "")):
        report.problems.append("the receipt's subject is not the registered SHA-256")
    if data is not None:
        fp = fingerprint(data)
        if event.get("sha256") != fp.sha256 or event.get("sm3") != fp.sm3 or event.get("size") != fp.size:
            report.problems.append("the file is not the registered document: its SM3 / SHA-256 differ")
    return report
