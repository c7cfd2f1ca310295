"""Appending to the ledger. One writer at a time: every append locks the log's state row inside the caller's
transaction (``select_for_update`` on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers), so a
failed operation leaves neither its record change nor its ledger entry behind.

Appends are grouped: a :class:`LedgerBatch` takes the lock once, adds any number of leaves, writes them in bulk and
signs one tree head over them all when it closes (group commit, as Certificate Transparency logs sign a head per
batch rather than per leaf). ``ledger_append`` is a batch of one.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.utils import timezone

from openftz.core import crypto
from openftz.core.citations import cites
from openftz.core.errors import InvalidInput

from . import merkle
from .models import Entry, LogState, Node, TreeHead
from .registry_key import registry_key
from .selectors import remember_appended, trust_head
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


@dataclass
class LedgerBatch:
    """Leaves appended under one lock of the log, inside the caller's transaction (SC-28, SH-43: audit trail).

    Open it with :func:`ledger_batch`; ``add`` returns each leaf's index at once, ``flush`` writes the leaves added
    so far (so later reads in the same transaction see them), ``close`` flushes and signs the tree head.
    """

    state: LogState
    frontier: merkle.Frontier
    entries: list[Entry] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    added: int = 0
    appended: list[tuple[int, bytes]] = field(default_factory=list)

    def add(self, *, kind: str, subject: str, event: dict) -> Entry:
        now = timezone.now()
        try:
            leaf = crypto.canonical_json({"kind": kind, "subject": subject, "logged_at": now.isoformat(), "event": event})
        except crypto.CryptoError as exc:
            raise InvalidInput("事件无法规范化为 JSON", f"the event cannot be canonicalised: {exc}") from None
        lh = merkle.leaf_hash(self.state.hash_alg, leaf)
        index = self.frontier.size
        for level, node_index, h in self.frontier.append(lh):
            self.nodes.append(Node(key=Node.key_of(level, node_index), hash=h.hex()))
        entry = Entry(index=index, leaf=leaf.decode("utf-8"), leaf_hash=lh.hex(), kind=kind, subject=subject, logged_at=now)
        self.entries.append(entry)
        self.appended.append((index, lh))
        self.added += 1
        return entry

    def flush(self) -> None:
        if self.nodes:
            Node.objects.bulk_create(self.nodes)
        if self.entries:
            Entry.objects.bulk_create(self.entries)
        self.nodes, self.entries = [], []

    def close(self) -> TreeHead | None:
        """Write what is pending and sign the new tree head; None if nothing was added."""
        self.flush()
        if not self.added:
            return None
        state = self.state
        state.size = self.frontier.size
        state.frontier = [[s, h.hex()] for s, h in self.frontier.nodes]
        state.save(update_fields=["size", "frontier"])
        key = registry_key()
        body = tree_head_body(tree_size=state.size, root_hash=self.frontier.root().hex(),
                              timestamp=int(timezone.now().timestamp() * 1000), hash_alg=state.hash_alg, key_id=key.kid)
        head = TreeHead.objects.create(tree_size=state.size, root_hash=body["root_hash"], timestamp=body["timestamp"],
                                       hash_alg=state.hash_alg, key_id=key.kid, algorithm=key.algorithm,
                                       signature=crypto.b64(key.sign(crypto.canonical_json(body))))
        trust_head(head)  # signed here: no need to verify it before the next instruction checks a record against it
        transaction.on_commit(partial(remember_appended, self.appended))  # once committed, read back without a proof
        return head


def ledger_batch() -> LedgerBatch:
    """Lock the log for this transaction and start a batch (call inside ``transaction.atomic``)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger_batch() must run inside a transaction")
    state = _locked_state()
    return LedgerBatch(state, merkle.Frontier(state.hash_alg, [(s, bytes.fromhex(h)) for s, h in state.frontier]))


@transaction.atomic
def ledger_append(*, kind: str, subject: str, event: dict) -> Appended:
    """Append one event and sign the new tree head (SC-28, SH-43: integrity and audit trail)."""
    batch = ledger_batch()
    entry = batch.add(kind=kind, subject=subject, event=event)
    return Appended(entry, batch.close())
