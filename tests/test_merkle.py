"""RFC 9162 Merkle proofs: every inclusion and consistency proof verifies; a tampered leaf, proof or root fails."""
import hashlib

from hypothesis import given, settings, strategies as st

from openftz.core import crypto
from openftz.ledger import merkle

ALGS = st.sampled_from(crypto.HASHES)


def leaves(n: int, alg: str) -> list[bytes]:
    return [merkle.leaf_hash(alg, f"leaf {i}".encode()) for i in range(n)]


def test_known_answers():
    # SM3("abc") from GB/T 32905 appendix A; SHA-256 of the empty tree is SHA-256("").
    assert crypto.digest("sm3", b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert merkle.Tree.from_leaves("sha256", []).root() == hashlib.sha256(b"").digest()
    one = merkle.leaf_hash("sha256", b"")
    assert one == hashlib.sha256(b"\x00").digest()
    two = merkle.Tree.from_leaves("sha256", [one, one]).root()
    assert two == hashlib.sha256(b"\x01" + one + one).digest()
    # three leaves split 2 + 1 (largest power of two below 3)
    a, b, c = leaves(3, "sha256")
    assert merkle.Tree.from_leaves("sha256", [a, b, c]).root() == merkle.node_hash("sha256", merkle.node_hash("sha256", a, b), c)


@settings(max_examples=150, deadline=None)
@given(alg=ALGS, n=st.integers(1, 70), data=st.data())
def test_inclusion_proofs_verify_and_tampering_fails(alg, n, data):
    hs = leaves(n, alg)
    r = merkle.Tree.from_leaves(alg, hs).root()
    i = data.draw(st.integers(0, n - 1))
    proof = merkle.Tree.from_leaves(alg, hs).inclusion_proof(i)
    assert merkle.verify_inclusion(alg, i, n, hs[i], proof, r)
    assert not merkle.verify_inclusion(alg, i, n, merkle.leaf_hash(alg, b"forged"), proof, r)
    if n > 1:
        assert not merkle.verify_inclusion(alg, (i + 1) % n, n, hs[i], proof, r)
        j = data.draw(st.integers(0, len(proof) - 1))
        bad = list(proof)
        bad[j] = bytes([bad[j][0] ^ 1]) + bad[j][1:]
        assert not merkle.verify_inclusion(alg, i, n, hs[i], bad, r)
        assert not merkle.verify_inclusion(alg, i, n, hs[i], proof[:-1], r)
        assert not merkle.verify_inclusion(alg, i, n, hs[i], proof + [r], r)


@settings(max_examples=150, deadline=None)
@given(alg=ALGS, n=st.integers(1, 70), data=st.data())
def test_consistency_proofs_verify_and_tampering_fails(alg, n, data):
    hs = leaves(n, alg)
    m = data.draw(st.integers(1, n))
    proof = merkle.Tree.from_leaves(alg, hs).consistency_proof(m)
    old, new = merkle.Tree.from_leaves(alg, hs[:m]).root(), merkle.Tree.from_leaves(alg, hs).root()
    assert merkle.verify_consistency(alg, m, n, old, new, proof)
    if m < n:
        assert not merkle.verify_consistency(alg, m, n, merkle.leaf_hash(alg, b"x"), new, proof)
        assert not merkle.verify_consistency(alg, m, n, old, merkle.leaf_hash(alg, b"x"), proof)
        j = data.draw(st.integers(0, len(proof) - 1))
        bad = list(proof)
        bad[j] = bytes([bad[j][0] ^ 1]) + bad[j][1:]
        assert not merkle.verify_consistency(alg, m, n, old, new, bad)
        # a history rewritten before m: the old root no longer matches
        forged = list(hs)
        forged[data.draw(st.integers(0, m - 1))] = merkle.leaf_hash(alg, b"rewritten")
        rewritten = merkle.Tree.from_leaves(alg, forged)
        assert not merkle.verify_consistency(alg, m, n, old, rewritten.root(), rewritten.consistency_proof(m))


@settings(max_examples=60, deadline=None)
@given(alg=ALGS, n=st.integers(0, 130))
def test_frontier_gives_the_same_root(alg, n):
    hs = leaves(n, alg)
    f = merkle.Frontier(alg)
    for h in hs:
        f.append(h)
    assert f.size == n and f.root() == merkle.Tree.from_leaves(alg, hs).root()


@settings(max_examples=60, deadline=None)
@given(alg=ALGS, n=st.integers(1, 130), data=st.data())
def test_proofs_from_the_nodes_the_frontier_completes_equal_those_from_the_leaves(alg, n, data):
    hs = leaves(n, alg)
    f = merkle.Frontier(alg)
    stored = {}
    for i, h in enumerate(hs):
        stored[(0, i)] = h
        stored.update({(level, index): node for level, index, node in f.append(h)})
    tree = merkle.Tree(alg, n, lambda level, index: stored[(level, index)])
    full = merkle.Tree.from_leaves(alg, hs)
    i = data.draw(st.integers(0, n - 1))
    m = data.draw(st.integers(1, n))
    assert tree.root() == full.root() and tree.inclusion_proof(i) == full.inclusion_proof(i)
    assert tree.consistency_proof(m) == full.consistency_proof(m)
