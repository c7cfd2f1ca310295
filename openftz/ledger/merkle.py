"""Merkle tree hashing, inclusion and consistency proofs as RFC 9162 §2.1 defines them. Pure, no database.

leaf hash = H(0x00 || leaf); node hash = H(0x01 || left || right); the tree over n > 1 leaves splits at the largest
power of two smaller than n. ``H`` is SM3 (default, SH-24) or SHA-256. The integrity of a transferable record's
history rests on these proofs (SC-28, SH-43: MLETR art. 10 integrity).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from openftz.core.citations import cites
from openftz.core.crypto import digest

CITES = cites("SC-28", "SH-43", "SH-24")


def leaf_hash(alg: str, leaf: bytes) -> bytes:
    return digest(alg, b"\x00" + leaf)


def node_hash(alg: str, left: bytes, right: bytes) -> bytes:
    return digest(alg, b"\x01" + left + right)


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class Tree:
    """A tree of ``size`` leaves read through ``perfect(level, index)``: the root of the aligned perfect subtree of
    2**level leaves starting at leaf index * 2**level (level 0: the leaf hashes). Any range root then costs O(log n)
    lookups, so a proof costs O(log² n) lookups instead of re-hashing the tree."""

    def __init__(self, alg: str, size: int, perfect: Callable[[int, int], bytes]):
        self.alg = alg
        self.size = size
        self.perfect = perfect

    @classmethod
    def from_leaves(cls, alg: str, hashes: Sequence[bytes]) -> "Tree":
        """Every perfect subtree's root computed once, in memory (O(n))."""
        levels: list[list[bytes]] = [list(hashes)]
        while len(levels[-1]) > 1:
            below = levels[-1]
            levels.append([node_hash(alg, below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])
        return cls(alg, len(hashes), lambda level, index: levels[level][index])

    def range_root(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for the ranges the RFC's recursion visits."""
        n = end - start
        if n == 0:
            return digest(self.alg, b"")
        if n & (n - 1) == 0 and start % n == 0:
            return self.perfect(n.bit_length() - 1, start // n)
        k = _split(n)
        return node_hash(self.alg, self.range_root(start, start + k), self.range_root(start + k, end))

    def root(self, size: int | None = None) -> bytes:
        return self.range_root(0, self.size if size is None else size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[size])."""
        size = self.size if size is None else size
        if not 0 <= index < size <= self.size:
            raise ValueError(f"leaf index {index} outside a tree of size {size}")
        path: list[bytes] = []
        start, end = 0, size
        while end - start > 1:
            k = _split(end - start)
            if index < start + k:
                path.append(self.range_root(start + k, end))
                end = start + k
            else:
                path.append(self.range_root(start, start + k))
                start += k
        return path[::-1]

    def consistency_proof(self, first: int, size: int | None = None) -> list[bytes]:
        """PROOF(first, D[size]): the tree of size ``first`` is a prefix of the tree of size ``size``."""
        size = self.size if size is None else size
        if not 0 < first <= size <= self.size:
            raise ValueError(f"first size {first} outside 1..{size}")
        path: list[bytes] = []
        start, end, m, complete = 0, size, first, True
        while m != end - start:
            k = _split(end - start)
            if m <= k:
                path.append(self.range_root(start + k, end))
                end = start + k
            else:
                path.append(self.range_root(start, start + k))
                start, m, complete = start + k, m - k, False
        if not complete:
            path.append(self.range_root(start, end))
        return path[::-1]


def verify_inclusion(alg: str, index: int, size: int, leaf: bytes, proof: Sequence[bytes], expected_root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` show that leaf hash ``leaf`` is at ``index`` of the tree with ``expected_root``?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(alg, p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(alg, r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def verify_consistency(alg: str, first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: does ``proof`` show that the tree of size ``first`` is a prefix of the one of size ``second``?"""
    if not 0 < first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(alg, c, fr)
            sr = node_hash(alg, c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(alg, sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


class Frontier:
    """The roots of the perfect subtrees of a growing tree, largest first: O(log n) append and root (RFC 9162 trees)."""

    def __init__(self, alg: str, nodes: Sequence[tuple[int, bytes]] = ()):
        self.alg = alg
        self.nodes: list[tuple[int, bytes]] = list(nodes)

    @property
    def size(self) -> int:
        return sum(s for s, _ in self.nodes)

    def append(self, leaf_hash_: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf; returns the perfect subtrees it completes as (level, index, hash), level ≥ 1."""
        self.nodes.append((1, leaf_hash_))
        completed = []
        end = self.size
        while len(self.nodes) > 1 and self.nodes[-1][0] == self.nodes[-2][0]:
            (s, right), (_, left) = self.nodes.pop(), self.nodes.pop()
            self.nodes.append((2 * s, node_hash(self.alg, left, right)))
            completed.append(((2 * s).bit_length() - 1, (end - 2 * s) // (2 * s), self.nodes[-1][1]))
        return completed

    def root(self) -> bytes:
        if not self.nodes:
            return digest(self.alg, b"")
        r = self.nodes[-1][1]
        for _, h in reversed(self.nodes[:-1]):
            r = node_hash(self.alg, h, r)
        return r
