"""The standalone verifier (独立验证): checks a history bundle against its signed tree head, with no database.

Only ``openftz.core.crypto`` and ``openftz.ledger.merkle`` are needed, so anyone holding a bundle and the registry's
public key can check it offline (``openftz ledger verify-bundle FILE --key KEY.pem``). The checks are the MLETR's
integrity and reliability functions (SC-28, SH-43): the tree head's signature, every leaf's inclusion proof, one
subject throughout, sequence numbers without a gap, and each signed instruction's signature (identification of the
person who gave it).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from openftz.core import crypto, jsonio
from openftz.core.citations import cites

from . import merkle

CITES = cites("SC-28", "SH-43")
BUNDLE_FORMAT = "openftz-history-bundle/1"


def tree_head_body(*, tree_size: int, root_hash: str, timestamp: int, hash_alg: str, key_id: str) -> dict:
    """What the registry signs for a tree head (its RFC 8785 bytes)."""
    return {"tree_size": tree_size, "root_hash": root_hash, "timestamp": timestamp, "hash": hash_alg, "key_id": key_id}


def verify_tree_head(head: dict, public_pem: str) -> bool:
    body = tree_head_body(tree_size=head["tree_size"], root_hash=head["root_hash"], timestamp=head["timestamp"],
                          hash_alg=head["hash"], key_id=head["key_id"])
    return crypto.verify(head["algorithm"], public_pem, crypto.unb64(head["signature"]), crypto.canonical_json(body))


@dataclass
class BundleReport:
    subject: str = ""
    entries: int = 0
    tree_size: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_bundle(bundle: object, trusted_public_pem: str | None = None) -> BundleReport:
    """Every problem found, in plain words; ``report.ok`` if there is none."""
    report = BundleReport()
    try:
        _check(bundle, trusted_public_pem, report)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        report.problems.append(f"malformed bundle: {type(exc).__name__}: {exc}")
    return report


def _check(bundle, trusted_public_pem, report: BundleReport) -> None:
    if not isinstance(bundle, dict) or bundle.get("format") != BUNDLE_FORMAT:
        report.problems.append(f"not a history bundle (format must be {BUNDLE_FORMAT})")
        return
    if bundle.get("copy") is not True:
        report.problems.append("a bundle must be marked as a copy: the authoritative record stays in the registry")
    head = bundle["tree_head"]
    alg = head["hash"]
    if alg not in crypto.HASHES:
        report.problems.append(f"unknown hash {alg!r}")
        return
    public_pem = trusted_public_pem or bundle["public_key"]
    if trusted_public_pem is None:
        report.notes.append("checked against the public key inside the bundle: compare its key id with the registry's published key")
    elif crypto.key_id(crypto.normalise_public_key(head["algorithm"], trusted_public_pem)) != head["key_id"]:
        report.problems.append("the tree head was signed by another key than the trusted one")
        return
    if not verify_tree_head(head, public_pem):
        report.problems.append("the tree head's signature does not verify")
        return
    size, root = head["tree_size"], bytes.fromhex(head["root_hash"])
    report.tree_size, report.subject = size, bundle["subject"]
    previous_index, expected_seq = -1, 1
    for entry in bundle["entries"]:
        index = entry["index"]
        if index <= previous_index:
            report.problems.append(f"entry {index}: entries must be in ascending order")
        previous_index = index
        leaf = entry["leaf"].encode("utf-8")
        event = jsonio.loads(leaf)
        if crypto.canonical_json(event) != leaf:
            report.problems.append(f"entry {index}: the leaf is not in RFC 8785 canonical form")
        if event.get("subject") != bundle["subject"]:
            report.problems.append(f"entry {index}: belongs to {event.get('subject')!r}, not {bundle['subject']!r}")
        seq = event.get("event", {}).get("seq")
        if seq is not None:
            if seq != expected_seq:
                report.problems.append(f"entry {index}: sequence {seq} where {expected_seq} was due (an entry is missing or repeated)")
            expected_seq = seq + 1
        signed = event.get("event", {})
        if {"instruction", "signature", "public_key", "algorithm"} <= set(signed):
            if not crypto.verify(signed["algorithm"], signed["public_key"], crypto.unb64(signed["signature"]),
                                 signed["instruction"].encode("utf-8")):
                report.problems.append(f"entry {index}: the instruction's signature does not verify with the signer's key")
            elif jsonio.loads(signed["instruction"]).get("seq") != seq:
                report.problems.append(f"entry {index}: the signed instruction carries another sequence number")
        proof = [bytes.fromhex(p) for p in entry["inclusion_proof"]]
        if not merkle.verify_inclusion(alg, index, size, merkle.leaf_hash(alg, leaf), proof, root):
            report.problems.append(f"entry {index}: the inclusion proof does not lead to the signed root")
        report.entries += 1
    if not report.entries:
        report.problems.append("the bundle holds no entry")
