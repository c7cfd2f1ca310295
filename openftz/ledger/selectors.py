"""Reads of the ledger: heads, entries, proofs, whole-log verification and history bundles."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection

from openftz.core.errors import InvalidInput, NotFound

from . import merkle
from .models import Entry, LogState, Node, TreeHead
from .registry_key import registry_key
from .verify import BUNDLE_FORMAT, verify_tree_head


def _state() -> LogState:
    state = LogState.objects.filter(pk=1).first()
    if state is None or state.size == 0:
        raise NotFound("账本为空", "the ledger is empty")
    return state


def head_as_dict(head: TreeHead) -> dict:
    return {"tree_size": head.tree_size, "root_hash": head.root_hash, "timestamp": head.timestamp, "hash": head.hash_alg,
            "key_id": head.key_id, "algorithm": head.algorithm, "signature": head.signature}


def tree_head(size: int | None = None) -> TreeHead:
    """The signed tree head of ``size`` entries, or the latest."""
    state = _state()
    size = state.size if size is None else size
    try:
        return TreeHead.objects.get(tree_size=size)
    except TreeHead.DoesNotExist:
        raise NotFound(f"没有大小为 {size} 的树头", f"no tree head of size {size}", details={"size": size}) from None


def entry_get(index: int) -> Entry:
    try:
        return Entry.objects.get(index=index)
    except Entry.DoesNotExist:
        raise NotFound(f"没有第 {index} 条", f"no entry {index}", details={"index": index}) from None


def recent_entries(limit: int):
    """The latest ``limit`` entries, newest first, with what the ledger's page shows of them."""
    return Entry.objects.order_by("-index").only("index", "kind", "subject", "logged_at", "leaf_hash")[:limit]


def entry_as_dict(entry: Entry) -> dict:
    return {"index": entry.index, "leaf": entry.leaf, "leaf_hash": entry.leaf_hash, "kind": entry.kind,
            "subject": entry.subject, "logged_at": entry.logged_at}


def _stored_tree(alg: str, size: int, compute):
    """Run ``compute(tree)`` on the stored tree of ``size`` leaves, reading only the nodes it needs: a dry run with
    stand-in hashes finds them (the recursion does not depend on hash values), one query per table fetches them."""
    wanted: set[tuple[int, int]] = set()

    def record(level: int, index: int) -> bytes:
        wanted.add((level, index))
        return bytes(32)

    compute(merkle.Tree(alg, size, record))
    leaves = [i for level, i in wanted if level == 0]
    found = {(0, i): bytes.fromhex(h) for i, h in Entry.objects.filter(index__in=leaves).values_list("index", "leaf_hash")}
    keys = {Node.key_of(level, i): (level, i) for level, i in wanted if level > 0}
    found.update({keys[k]: bytes.fromhex(h) for k, h in Node.objects.filter(key__in=keys).values_list("key", "hash")})
    return compute(merkle.Tree(alg, size, lambda level, index: found[(level, index)]))


_TRUSTED_HEADS: set[tuple[int, str, str]] = set()


def trust_head(head: TreeHead) -> None:
    """Remember a tree head whose signature is known to be good (checked, or made by this process)."""
    if len(_TRUSTED_HEADS) > 4096:
        _TRUSTED_HEADS.clear()
    _TRUSTED_HEADS.add((head.tree_size, head.root_hash, head.signature))


def _signed_root(size: int) -> bytes | None:
    """The root hash of the tree of ``size`` entries as the registry signed it; None if no tree head of that size
    verifies with the registry key. A head is verified once per process."""
    head = TreeHead.objects.filter(tree_size=size).first()
    if head is None:
        return None
    if (head.tree_size, head.root_hash, head.signature) not in _TRUSTED_HEADS:
        key = registry_key()
        if head.key_id != key.kid or not verify_tree_head(head_as_dict(head), key.public_pem):
            return None
        trust_head(head)
    return bytes.fromhex(head.root_hash)


@dataclass
class LatestEntries:
    """The last entry of each subject asked for, proven to be in the signed log; and the subjects whose last entry
    could not be proven, with the reason."""

    entries: dict[str, Entry] = field(default_factory=dict)
    unproven: dict[str, str] = field(default_factory=dict)


_APPENDED: dict[int, bytes] = {}  # index → leaf hash of the entries this process appended, once their transaction committed
_APPENDED_MAX = 500_000


def remember_appended(leaves: list[tuple[int, bytes]]) -> None:
    """Entries this process appended under a tree head it signed, after their transaction committed: their leaf
    hashes need no inclusion proof when they are read back (the stored leaf is hashed again and compared)."""
    if len(_APPENDED) + len(leaves) > _APPENDED_MAX:
        _APPENDED.clear()
    _APPENDED.update(leaves)


def latest_entries(subjects: Iterable[str], *, state: LogState | None = None) -> LatestEntries:
    """The last entry of each subject, each proven to be in the signed log (SC-28, SH-43: integrity): its stored
    leaf is hashed again and must be either a leaf this process appended and committed, or lead by its inclusion
    proof (from the stored subtree nodes) to the root of the latest signed tree head. One query finds the entries
    of every subject; the proofs, when needed, take one per table. ``state``: the log's state row when the caller
    holds its lock. Subjects without an entry are absent from both maps."""
    result = LatestEntries()
    subjects = list(subjects)
    if not subjects:
        return result
    q = connection.ops.quote_name
    table, index, subject, leaf = q(Entry._meta.db_table), q("index"), q("subject"), q("leaf")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {index}, {subject}, {leaf} FROM {table} WHERE {index} IN (SELECT MAX({index}) FROM {table} "
                       f"WHERE {subject} IN ({', '.join(['%s'] * len(subjects))}) GROUP BY {subject})", subjects)
        entries = [Entry(index=i, subject=s, leaf=text) for i, s, text in cursor.fetchall()]
    if not entries:
        return result
    state = state or LogState.objects.filter(pk=1).first()
    if state is None:
        result.unproven = {e.subject: "the log has no state" for e in entries}
        return result
    to_prove = []
    for entry in entries:
        leaf_hash = merkle.leaf_hash(state.hash_alg, entry.leaf.encode("utf-8"))
        if entry.index < state.size and _APPENDED.get(entry.index) == leaf_hash:
            result.entries[entry.subject] = entry
        else:
            to_prove.append((entry, leaf_hash))
    if not to_prove:
        return result
    root = _signed_root(state.size)
    if root is None:
        result.unproven = {e.subject: "the log's latest tree head is missing or its signature does not verify" for e, _ in to_prove}
        return result
    try:
        proofs = _stored_tree(state.hash_alg, state.size, lambda tree: [tree.inclusion_proof(e.index) for e, _ in to_prove])
    except (KeyError, ValueError):
        result.unproven = {e.subject: "the log's stored subtree nodes are incomplete" for e, _ in to_prove}
        return result
    for (entry, leaf_hash), proof in zip(to_prove, proofs, strict=True):
        if merkle.verify_inclusion(state.hash_alg, entry.index, state.size, leaf_hash, proof, root):
            result.entries[entry.subject] = entry
        else:
            result.unproven[entry.subject] = f"entry {entry.index} is not proven in the signed log"
    return result


def inclusion_proof(index: int, size: int | None = None) -> dict:
    state = _state()
    size = state.size if size is None else size
    if not 0 <= index < size <= state.size:
        raise InvalidInput("条目序号或树大小超出范围", f"index {index} and size {size} must satisfy 0 ≤ index < size ≤ {state.size}",
                           details={"index": index, "size": size})
    proof = _stored_tree(state.hash_alg, size, lambda tree: tree.inclusion_proof(index, size))
    return {"index": index, "tree_size": size, "leaf_hash": entry_get(index).leaf_hash, "hash": state.hash_alg,
            "inclusion_proof": [p.hex() for p in proof],
            "tree_head": head_as_dict(tree_head(size))}


def consistency_proof(first: int, second: int | None = None) -> dict:
    state = _state()
    second = state.size if second is None else second
    if not 0 < first <= second <= state.size:
        raise InvalidInput("树大小超出范围", f"sizes must satisfy 0 < first ≤ second ≤ {state.size}",
                           details={"first": first, "second": second})
    proof = _stored_tree(state.hash_alg, second, lambda tree: tree.consistency_proof(first, second))
    return {"first": first, "second": second, "hash": state.hash_alg,
            "consistency_proof": [p.hex() for p in proof],
            "first_tree_head": head_as_dict(tree_head(first)), "second_tree_head": head_as_dict(tree_head(second))}


_SUBJECT_CHECKS: dict[str, Callable[[], Iterable[str]]] = {}


def register_subject_check(prefix: str, check: Callable[[], Iterable[str]]) -> None:
    """An app whose stored rows must agree with its ledger entries (subjects ``prefix…``) registers the check of
    them; ``ledger_verify`` runs it after the log's own checks and reports every problem it yields. The ledger
    imports no app: the apps come to it."""
    _SUBJECT_CHECKS[prefix] = check


@dataclass
class LogReport:
    size: int = 0
    heads: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def ledger_verify() -> LogReport:
    """Recompute every leaf hash and every signed tree head's root, and check every signature, in one pass; then
    run every registered subject check (the stored rows against their ledger history)."""
    report = LogReport()
    state = LogState.objects.filter(pk=1).first()
    if state is not None:
        _verify_log(state, report)
    for _prefix, check in sorted(_SUBJECT_CHECKS.items()):
        report.problems.extend(check())
    return report


def _verify_log(state: LogState, report: LogReport) -> None:
    alg = state.hash_alg
    key = registry_key()
    heads = {h.tree_size: h for h in TreeHead.objects.all()}
    nodes = dict(Node.objects.values_list("key", "hash"))
    frontier = merkle.Frontier(alg)
    for entry in Entry.objects.order_by("index").only("index", "leaf", "leaf_hash").iterator(chunk_size=2000):
        if entry.index != frontier.size:
            report.problems.append(f"entry {entry.index}: expected index {frontier.size} (a gap in the log)")
        lh = merkle.leaf_hash(alg, entry.leaf.encode("utf-8"))
        if lh.hex() != entry.leaf_hash:
            report.problems.append(f"entry {entry.index}: the stored leaf does not hash to its recorded leaf hash")
        for level, index, h in frontier.append(lh):
            if nodes.pop(Node.key_of(level, index), None) != h.hex():
                report.problems.append(f"subtree node ({level}, {index}): missing or not the recomputed hash (proofs would fail)")
        head = heads.get(frontier.size)
        if head is not None:
            report.heads += 1
            if head.root_hash != frontier.root().hex():
                report.problems.append(f"tree head {head.tree_size}: its root differs from the recomputed one")
            if head.key_id != key.kid or not verify_tree_head(head_as_dict(head), key.public_pem):
                report.problems.append(f"tree head {head.tree_size}: the signature does not verify with the registry key")
    report.size = frontier.size
    if frontier.size != state.size or [[s, h.hex()] for s, h in frontier.nodes] != state.frontier:
        report.problems.append("the log's state does not match its entries")
    if nodes:
        report.problems.append(f"{len(nodes)} stored subtree nodes lie beyond the log's entries")
    if report.heads != len(heads):
        report.problems.append("some tree heads are beyond the log's entries")


def history_bundle(subject: str) -> dict:
    """The entries of one subject with inclusion proofs against the latest signed tree head, marked as a copy."""
    state = _state()
    entries = list(Entry.objects.filter(subject=subject).order_by("index"))
    if not entries:
        raise NotFound(f"账本中没有 {subject} 的记录", f"the ledger holds nothing about {subject}", details={"subject": subject})
    proofs = _stored_tree(state.hash_alg, state.size, lambda tree: [tree.inclusion_proof(e.index) for e in entries])
    head = tree_head(state.size)
    key = registry_key()
    return {
        "format": BUNDLE_FORMAT,
        "copy": True,
        "notice_zh": "本文件为副本,仅供核验;权威记录只存于登记机构",
        "notice_en": "This file is a copy for verification only; the authoritative record exists only in the registry",
        "subject": subject,
        "tree_head": head_as_dict(head),
        "public_key": key.public_pem,
        "entries": [
            {"index": e.index, "leaf": e.leaf, "inclusion_proof": [p.hex() for p in proof]}
            for e, proof in zip(entries, proofs, strict=True)
        ],
    }


def registry_public_key() -> dict:
    key = registry_key()
    return {"algorithm": key.algorithm, "key_id": key.kid, "public_key": key.public_pem}


