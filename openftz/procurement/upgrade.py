"""Upgrading OCDS 1.0 releases to 1.1, as the OCDS 1.1 upgrade guidance describes (our own code, not ocdskit's).

What changed between 1.0 and 1.1 that the checker reads:

- organizations were written in full where they appear (``buyer``, ``tender.procuringEntity``,
  ``tender.tenderers[]``, ``awards[].suppliers[]``); in 1.1 they live once in ``parties[]`` with their ``roles``
  and are referenced by ``{id, name}``;
- a transaction's ``amount`` became ``value``, ``providerOrganization`` / ``receiverOrganization`` (identifiers)
  became ``payer`` / ``payee`` (organization references).

A party's id is the organization's own ``id`` if it has one, else ``<scheme>-<identifier>``, else its name.
Everything else is left as it is. The release is upgraded in place (it is freshly parsed input: copying it would
cost more than the check).
"""
from __future__ import annotations

from typing import Any

REFERENCE_KEYS = {"id", "name"}


def needs_upgrade(version: Any) -> bool:
    """OCDS 1.0 data: a version of 1.0 or 1.0.x, or none at all (the field was added in 1.1)."""
    return not isinstance(version, str) or version.strip() in ("1.0", "") or version.strip().startswith("1.0.")


def _party_id(org: dict) -> str | None:
    if _key(org.get("id")) not in (None, ""):
        return str(org["id"])
    identifier = org.get("identifier") if isinstance(org.get("identifier"), dict) else {}
    if _key(identifier.get("id")) not in (None, ""):
        return f"{identifier.get('scheme') or 'unknown'}-{identifier['id']}"
    if isinstance(org.get("name"), str) and org["name"].strip():
        return org["name"].strip()
    return None


def _key(value: Any) -> str | int | None:
    """An id usable as a key (real data has ids that are lists or objects: those match nothing)."""
    return value if isinstance(value, (str, int)) and not isinstance(value, bool) else None


class _Parties:
    def __init__(self, release: dict):
        existing = release.get("parties")
        self.parties: list = existing if isinstance(existing, list) else []
        self.by_id = {_key(p.get("id")): p for p in self.parties if isinstance(p, dict) and _key(p.get("id")) is not None}

    def reference(self, org: Any, role: str) -> Any:
        """Move a full organization into ``parties`` and return its reference (a reference is left alone)."""
        if not isinstance(org, dict) or set(org) <= REFERENCE_KEYS:
            if isinstance(org, dict) and _key(org.get("id")) in self.by_id:
                self._add_role(self.by_id[org["id"]], role)
            return org
        party_id = _party_id(org)
        if party_id is None:
            return org
        party = self.by_id.get(party_id)
        if party is None:
            party = {**org, "id": party_id, "roles": []}
            self.parties.append(party)
            self.by_id[party_id] = party
        else:
            for key, value in org.items():
                party.setdefault(key, value)
        self._add_role(party, role)
        reference = {"id": party_id}
        if org.get("name") is not None:
            reference["name"] = org["name"]
        return reference

    @staticmethod
    def _add_role(party: dict, role: str) -> None:
        roles = party.get("roles")
        if not isinstance(roles, list):
            roles = party["roles"] = []
        if role not in roles:
            roles.append(role)


def _identifier_to_org(identifier: Any) -> Any:
    if not isinstance(identifier, dict):
        return identifier
    name = identifier.get("legalName")
    return {"identifier": identifier, **({"name": name} if name else {})}


def upgrade_release(release: dict) -> dict:
    """The OCDS 1.0 release, upgraded in place to OCDS 1.1."""
    out = release
    parties = _Parties(out)
    if "buyer" in out:
        out["buyer"] = parties.reference(out["buyer"], "buyer")
    tender = out.get("tender")
    if isinstance(tender, dict):
        if "procuringEntity" in tender:
            tender["procuringEntity"] = parties.reference(tender["procuringEntity"], "procuringEntity")
        if isinstance(tender.get("tenderers"), list):
            tender["tenderers"] = [parties.reference(t, "tenderer") for t in tender["tenderers"]]
    for award in out.get("awards") if isinstance(out.get("awards"), list) else []:
        if isinstance(award, dict) and isinstance(award.get("suppliers"), list):
            award["suppliers"] = [parties.reference(s, "supplier") for s in award["suppliers"]]
    for contract in out.get("contracts") if isinstance(out.get("contracts"), list) else []:
        implementation = contract.get("implementation") if isinstance(contract, dict) else None
        transactions = implementation.get("transactions") if isinstance(implementation, dict) else None
        for transaction in transactions if isinstance(transactions, list) else []:
            if not isinstance(transaction, dict):
                continue
            if "amount" in transaction and "value" not in transaction:
                transaction["value"] = transaction.pop("amount")
            if "providerOrganization" in transaction and "payer" not in transaction:
                transaction["payer"] = parties.reference(_identifier_to_org(transaction.pop("providerOrganization")), "payer")
            if "receiverOrganization" in transaction and "payee" not in transaction:
                transaction["payee"] = parties.reference(_identifier_to_org(transaction.pop("receiverOrganization")), "payee")
    if parties.parties:
        out["parties"] = parties.parties
    return out
