"""The ledger in the database: appends, signed tree heads, proofs, whole-log verification, bundles, API and CLI."""
import json
import os
import stat

import pytest
from typer.testing import CliRunner

from openftz.cli import app as cli
from openftz.core import crypto
from openftz.core.errors import InvalidInput, NotFound
from openftz.ledger import merkle, selectors, services
from openftz.ledger.models import Entry, LogState, TreeHead
from openftz.ledger.registry_key import registry_key
from openftz.ledger.verify import verify_bundle

pytestmark = pytest.mark.django_db


def append(n, subject="doc-1"):
    return [services.ledger_append(kind="test.event", subject=subject, event={"seq": i + 1, "text": f"事件 {i}"}) for i in range(n)]


def test_appends_sign_tree_heads_that_the_proofs_reach():
    done = append(5) + append(2, subject="doc-2")
    assert [a.entry.index for a in done] == list(range(7))
    head = selectors.tree_head()
    assert head.tree_size == 7 and TreeHead.objects.count() == 7
    key = registry_key()
    assert crypto.verify(key.algorithm, key.public_pem, crypto.unb64(head.signature),
                         crypto.canonical_json({"tree_size": 7, "root_hash": head.root_hash, "timestamp": head.timestamp,
                                                "hash": "sm3", "key_id": key.kid}))
    proof = selectors.inclusion_proof(3)
    assert merkle.verify_inclusion("sm3", 3, 7, bytes.fromhex(proof["leaf_hash"]),
                                   [bytes.fromhex(p) for p in proof["inclusion_proof"]], bytes.fromhex(head.root_hash))
    cons = selectors.consistency_proof(3, 7)
    assert merkle.verify_consistency("sm3", 3, 7, bytes.fromhex(cons["first_tree_head"]["root_hash"]), bytes.fromhex(head.root_hash),
                                     [bytes.fromhex(p) for p in cons["consistency_proof"]])
    assert selectors.ledger_verify().ok


def test_the_registry_key_is_generated_under_var_and_kept_private(settings):
    key = registry_key()
    path = settings.VAR_DIR / f"registry-key-{key.algorithm.lower()}.pem"
    if "OPENFTZ_REGISTRY_KEY" not in os.environ:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert crypto.public_key_pem(key.algorithm, path.read_text()) == key.public_pem


def test_verify_finds_a_rewritten_leaf_and_a_forged_head():
    append(4)
    Entry.objects.filter(index=2).update(leaf='{"forged":true}')
    report = selectors.ledger_verify()
    assert not report.ok and any("entry 2" in p for p in report.problems)
    TreeHead.objects.filter(tree_size=3).update(root_hash="00" * 32)
    assert any("tree head 3" in p for p in selectors.ledger_verify().problems)


def test_a_failed_append_writes_nothing():
    append(1)
    with pytest.raises(InvalidInput):
        services.ledger_append(kind="test.event", subject="doc-1", event={"bad": float("nan")})
    assert Entry.objects.count() == 1 and LogState.objects.get().size == 1


def test_bundles_verify_offline_and_tampering_is_caught():
    append(3)
    append(2, subject="doc-2")
    bundle = json.loads(json.dumps(selectors.history_bundle("doc-1")))
    assert bundle["copy"] is True and len(bundle["entries"]) == 3
    report = verify_bundle(bundle, registry_key().public_pem)
    assert report.ok, report.problems
    other = crypto.public_key_pem("SM2", crypto.generate_private_key("SM2"))
    assert not verify_bundle(bundle, other).ok
    dropped = json.loads(json.dumps(bundle))
    del dropped["entries"][1]
    assert any("sequence 3" in p for p in verify_bundle(dropped).problems)
    edited = json.loads(json.dumps(bundle))
    edited["entries"][0]["leaf"] = edited["entries"][0]["leaf"].replace("事件 0", "事件 9")
    assert any("inclusion proof" in p for p in verify_bundle(edited).problems)
    not_a_copy = dict(bundle, copy=False)
    assert not verify_bundle(not_a_copy).ok
    assert not verify_bundle({"format": "openftz-history-bundle/1", "copy": True}).ok
    assert not verify_bundle([1, 2]).ok
    with pytest.raises(NotFound):
        selectors.history_bundle("doc-404")


def test_ledger_api(client):
    assert client.get("/api/ledger/head").status_code == 404
    append(6)
    head = client.get("/api/ledger/head").json()
    assert head["tree_size"] == 6 and head["hash"] == "sm3"
    assert client.get("/api/ledger/key").json()["key_id"] == head["key_id"]
    assert json.loads(client.get("/api/ledger/entries/0").json()["leaf"])["subject"] == "doc-1"
    assert client.get("/api/ledger/entries/99").status_code == 404
    proof = client.get("/api/ledger/proofs/inclusion?index=5&size=6").json()
    assert proof["tree_head"]["tree_size"] == 6
    bad = client.get("/api/ledger/proofs/inclusion?index=6&size=6")
    assert bad.status_code == 422 and bad.json()["message_zh"]
    assert client.get("/api/ledger/proofs/consistency?first=2").json()["second"] == 6
    assert client.get("/api/ledger/proofs/consistency?first=0").status_code == 422


def test_ledger_cli(tmp_path):
    runner = CliRunner()
    append(3)
    ok = runner.invoke(cli, ["ledger", "verify"])
    assert ok.exit_code == 0 and "3 entries, 3 signed tree heads: ok" in ok.output
    proof = json.loads(runner.invoke(cli, ["ledger", "prove", "1"]).output)
    assert proof["index"] == 1 and proof["tree_size"] == 3
    assert runner.invoke(cli, ["ledger", "prove", "7"]).exit_code == 2
    assert json.loads(runner.invoke(cli, ["ledger", "consistency", "1", "3"]).output)["first"] == 1
    (tmp_path / "b.json").write_text(json.dumps(selectors.history_bundle("doc-1")))
    (tmp_path / "k.pem").write_text(runner.invoke(cli, ["ledger", "key"]).output)
    good = runner.invoke(cli, ["ledger", "verify-bundle", str(tmp_path / "b.json"), "--key", str(tmp_path / "k.pem")])
    assert good.exit_code == 0 and "3 entries verified" in good.output
    (tmp_path / "bad.json").write_text("{not json")
    assert runner.invoke(cli, ["ledger", "verify-bundle", str(tmp_path / "bad.json")]).exit_code == 2
    Entry.objects.filter(index=0).update(leaf="{}")
    assert runner.invoke(cli, ["ledger", "verify"]).exit_code == 1


def test_a_log_can_use_sha256_chosen_when_its_first_entry_is_written(monkeypatch):
    monkeypatch.setenv("OPENFTZ_LEDGER_HASH", "sha256")
    append(3)
    monkeypatch.setenv("OPENFTZ_LEDGER_HASH", "sm3")  # too late: the log keeps its hash
    append(1, subject="doc-2")
    assert LogState.objects.get().hash_alg == "sha256" and selectors.tree_head().hash_alg == "sha256"
    assert selectors.ledger_verify().ok
    assert verify_bundle(json.loads(json.dumps(selectors.history_bundle("doc-1"))), registry_key().public_pem).ok


def test_proofs_read_the_stored_subtree_nodes_and_verify_checks_them():
    from openftz.ledger.models import Node

    append(13)
    assert Node.objects.count() == 13 - 3  # 13 = 8 + 4 + 1: the perfect subtrees of two leaves or more
    hashes = [bytes.fromhex(h) for h in Entry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    full = merkle.Tree.from_leaves("sm3", hashes)
    for i in (0, 6, 12):
        assert selectors.inclusion_proof(i)["inclusion_proof"] == [p.hex() for p in full.inclusion_proof(i)]
        assert selectors.inclusion_proof(i % 9, 9)["inclusion_proof"] == [p.hex() for p in full.inclusion_proof(i % 9, 9)]
    assert selectors.consistency_proof(5, 13)["consistency_proof"] == [p.hex() for p in full.consistency_proof(5)]
    Node.objects.filter(key=Node.key_of(2, 1)).update(hash="00" * 32)
    assert any("subtree node (2, 1)" in p for p in selectors.ledger_verify().problems)


def test_ledger_page(client):
    assert "账本为空" in client.get("/ledger/").content.decode()
    append(2)
    page = client.get("/ledger/").content.decode()
    assert 'id="tree-size">2<' in page and "doc-1" in page and registry_key().kid in page
    assert "Verifiable ledger" in client.get("/en/ledger/").content.decode()
