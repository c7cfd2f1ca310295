"""Appending to the ledger. One writer at a time: every append locks the log's state row inside the caller's
transaction (``select_for_update`` on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers), so a
failed operation leaves neither its record change nor its ledger entry behind."""
from __future__ import annotations

import os
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from openftz.core import crypto
from openftz.core.citations import cites
from openftz.core.errors import InvalidInput

from . import merkle
from .models import Entry, LogState, Node, TreeHead
from .registry_key import registry_key
from .verify import tree_head_body

CITES = cites("SC-28", "SH-43", "SH-24")


@dataclass(frozen=True)
class Appended:
    entry: Entry
    tree_head: TreeHead


def _locked_state() -> LogState:
    alg = os.environ.get("OPENFTZ_LEDGER_HASH", "sm3")
    if alg not in crypto.HASHES:
        raise crypto.CryptoError(f"OPENFTZ_LEDGER_HASH must be one of {crypto.HASHES}")
    # get_or_create retries the read if a concurrent first writer created the row meanwhile
    return LogState.objects.select_for_update().get_or_create(pk=1, defaults={"hash_alg": alg})[0]


@transaction.atomic
def ledger_append(*, kind: str, subject: str, event: dict) -> Appended:
    """Append one event and sign the new tree head (SC-28, SH-43: integrity and audit trail)."""
    try:
        crypto.canonical_json(event)
    except crypto.CryptoError as exc:
        raise InvalidInput("事件无法规范化为 JSON", f"the event cannot be canonicalised: {exc}") from None
    state = _locked_state()
    now = timezone.now()
    leaf = crypto.canonical_json({"kind": kind, "subject": subject, "logged_at": now.isoformat(), "event": event})
    lh = merkle.leaf_hash(state.hash_alg, leaf)
    frontier = merkle.Frontier(state.hash_alg, [(s, bytes.fromhex(h)) for s, h in state.frontier])
    completed = frontier.append(lh)
    if completed:
        Node.objects.bulk_create([Node(key=Node.key_of(level, index), hash=h.hex()) for level, index, h in completed])
    entry = Entry.objects.create(index=state.size, leaf=leaf.decode("utf-8"), leaf_hash=lh.hex(), kind=kind,
                                 subject=subject, logged_at=now)
    state.size += 1
    state.frontier = [[s, h.hex()] for s, h in frontier.nodes]
    state.save(update_fields=["size", "frontier"])
    key = registry_key()
    head_body = tree_head_body(tree_size=state.size, root_hash=frontier.root().hex(), timestamp=int(now.timestamp() * 1000),
                               hash_alg=state.hash_alg, key_id=key.kid)
    head = TreeHead.objects.create(tree_size=state.size, root_hash=head_body["root_hash"], timestamp=head_body["timestamp"],
                                   hash_alg=state.hash_alg, key_id=key.kid, algorithm=key.algorithm,
                                   signature=crypto.b64(key.sign(crypto.canonical_json(head_body))))
    return Appended(entry, head)
