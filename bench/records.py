"""Records and ledger benchmark: signed operations per second and proof verification, each beside a baseline
measured in the same run.

- record operations/s through ``record_instruct`` (signature check, rules, ledger append with an SM2-signed tree head,
  database writes, one transaction each) beside the bare SM2 sign + verify of the same instruction bytes, which is the
  floor of any signed-instruction registry (an operation costs one client signature, one registry verification and
  one registry signature);
- inclusion-proof verification/s beside the same number of bare SM3 hashes, and proofs served from the database
  (the stored subtree nodes they need, one query per table) beside a bare read of the same entry;
- offline bundle verification (tree-head signature + every proof + every instruction signature) per second;
- whole-log verification (``openftz ledger verify``) in entries per second;
- DCSA PINT envelopes checked per second (every JWS, hash link and checksum) beside the same JWS verifications bare;
- the single writer: 8 threads appending at once beside the same appends from one thread, and the log verified after.

It runs on a throw-away SQLite database in a temporary directory (the registry key too), never on var/.
Run: `.venv/bin/python bench/records.py [OPERATIONS]` (default 2000).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["OPENFTZ_VAR_DIR"] = tempfile.mkdtemp(prefix="openftz-bench-")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("OPENFTZ_REGISTRY_KEY", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "openftz.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from joserfc import jws  # noqa: E402
from joserfc.jwk import OKPKey  # noqa: E402

from openftz.core import crypto  # noqa: E402
from openftz.ledger import merkle, selectors as ledger, services as ledger_services  # noqa: E402
from openftz.ledger.models import Entry  # noqa: E402
from openftz.ledger.registry_key import platform_key  # noqa: E402
from openftz.ledger.verify import verify_bundle  # noqa: E402
from openftz.parties import services as parties  # noqa: E402
from openftz.records import selectors  # noqa: E402
from openftz.records import dcsa  # noqa: E402
from openftz.records.services import record_instruct  # noqa: E402

OPERATIONS = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
RECORDS = 50


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:9.0f}/s"


def main() -> None:
    call_command("migrate", verbosity=0)
    keys = {}
    for pid in ("carrier", "alpha", "beta"):
        parties.party_create(party_id=pid, name_zh=pid, foreign_scheme="BENCH", foreign_id=pid)
        pem = crypto.generate_private_key("SM2")
        keys[pid] = (pem, parties.party_key_add(party_id=pid, algorithm="SM2", public_key=crypto.public_key_pem("SM2", pem)).kid)
    doc = json.loads((ROOT / "tests/data/dcsa/transport-document-regularSTDExample.json").read_text())

    def envelope(actor, record, op, seq, params):
        pem, kid = keys[actor]
        ins = {"record": record, "op": op, "seq": seq, "actor": actor, "key_id": kid,
               "at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(), "place": "CNSHA", "params": params}
        return ins, crypto.b64(crypto.sign("SM2", pem, crypto.canonical_json(ins)))

    for i in range(RECORDS):
        rid = f"BENCH{i:05d}"
        ins, sig = envelope("carrier", rid, "issue", 1, {"kind": "ebl", "form": "blank", "holder": "alpha",
                                                         "document": doc | {"transportDocumentReference": rid}})
        record_instruct(instruction=ins, signature=sig)
    # client signatures are made before the clock starts: the registry's work is what is timed
    holders = {f"BENCH{i:05d}": "alpha" for i in range(RECORDS)}
    seqs = dict.fromkeys(holders, 1)
    batch = []
    for n in range(OPERATIONS):
        rid = f"BENCH{n % RECORDS:05d}"
        actor = holders[rid]
        to = "beta" if actor == "alpha" else "alpha"
        seqs[rid] += 1
        batch.append(envelope(actor, rid, "transfer", seqs[rid], {"to": to}))
        holders[rid] = to

    payloads = [crypto.canonical_json(ins) for ins, _ in batch]
    pem, _ = keys["alpha"]
    public = crypto.public_key_pem("SM2", pem)
    t = time.perf_counter()
    for data in payloads:
        crypto.verify("SM2", public, crypto.sign("SM2", pem, data), data)
    baseline = time.perf_counter() - t

    t = time.perf_counter()
    for ins, sig in batch:
        record_instruct(instruction=ins, signature=sig)
    ops = time.perf_counter() - t

    size = RECORDS + OPERATIONS
    hashes = [bytes.fromhex(h) for h in Entry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    full = merkle.Tree.from_leaves("sm3", hashes)
    root = full.root()
    rng = random.Random(7)
    picks = [rng.randrange(size) for _ in range(2000)]
    proofs = [(i, full.inclusion_proof(i)) for i in picks]
    t = time.perf_counter()
    for i, proof in proofs:
        assert merkle.verify_inclusion("sm3", i, size, hashes[i], proof, root)
    verify_time = time.perf_counter() - t
    n_hashes = sum(len(p) for _, p in proofs)
    block = b"\x01" + bytes(64)
    t = time.perf_counter()
    for _ in range(n_hashes):
        crypto.digest("sm3", block)
    hash_time = time.perf_counter() - t

    t = time.perf_counter()
    for i in picks[:300]:
        ledger.inclusion_proof(i)
    served = time.perf_counter() - t
    t = time.perf_counter()
    for i in picks[:300]:
        Entry.objects.get(index=i)
    bare_reads = time.perf_counter() - t

    bundles = [json.loads(json.dumps(selectors.record_bundle(selectors.record_get(f"BENCH{i:05d}")))) for i in range(20)]
    entries = sum(len(b["entries"]) for b in bundles)
    t = time.perf_counter()
    for b in bundles:
        assert verify_bundle(b).ok
    bundle_time = time.perf_counter() - t

    t = time.perf_counter()
    report = ledger.ledger_verify()
    log_time = time.perf_counter() - t
    assert report.ok

    rid = "BENCH00000"
    actor = holders[rid]
    seqs[rid] += 1
    ins, sig = envelope(actor, rid, "transfer_to_platform", seqs[rid], {"to": "beta" if actor == "alpha" else "alpha", "platform": "BOLE"})
    record_instruct(instruction=ins, signature=sig)
    outbound = selectors.record_outbound_envelope(selectors.record_get(rid))
    pk = platform_key()
    keys = {dcsa.PLATFORM: [(pk.algorithm, pk.public_pem)]}
    tokens = [outbound["envelopeManifestSignedContent"], *outbound["envelopeTransferChain"],
              json.loads(jws.extract_compact(outbound["envelopeTransferChain"][0].encode()).payload)["issuanceManifestSignedContent"]]
    jwk = OKPKey.import_key(pk.public_pem)
    rounds = 300
    t = time.perf_counter()
    for _ in range(rounds):
        assert dcsa.verify_envelope(outbound, platform_keys=keys, accepted=set(), receiving_platform="BOLE").code == "RECE"
    pint_time = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(rounds):
        for token in tokens:
            jws.deserialize_compact(token, jwk, algorithms=["Ed25519"])
    jws_time = time.perf_counter() - t

    per_thread, threads = 50, 8
    t = time.perf_counter()
    for i in range(per_thread * threads):
        ledger_services.ledger_append(kind="bench.sequential", subject="sequential", event={"i": i})
    sequential = time.perf_counter() - t
    errors: list[str] = []

    def writer(n: int) -> None:
        try:
            for i in range(per_thread):
                ledger_services.ledger_append(kind="bench.concurrent", subject=f"writer-{n}", event={"i": i})
        except Exception as exc:  # a lost append would be reported, not hidden
            errors.append(repr(exc))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    t = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    concurrent = time.perf_counter() - t
    after = ledger.ledger_verify()

    print(f"records benchmark: {OPERATIONS} transfers over {RECORDS} DCSA eBLs, SQLite (WAL) in a temporary directory, SM3 + SM2")
    print(f"  record operations (record_instruct)   {rate(OPERATIONS, ops)}   baseline: bare SM2 sign+verify of the same bytes {rate(OPERATIONS, baseline)}"
          f"  (an operation costs {ops / baseline:.1f}x the bare pair)")
    print(f"  inclusion proofs verified (n={size:>6}) {rate(len(proofs), verify_time)}   baseline: the same {n_hashes} SM3 hashes bare "
          f"{rate(len(proofs), hash_time)} proofs' worth  ({verify_time / hash_time:.2f}x)")
    print(f"  inclusion proofs served from the DB    {rate(300, served)}   baseline: one bare ORM read of the same entry {rate(300, bare_reads)}"
          f"  ({served / bare_reads:.1f}x; nodes read, never the whole log)")
    print(f"  history bundles verified offline      {rate(len(bundles), bundle_time)}   ({entries} entries: {rate(entries, bundle_time)} entries, "
          "each an SM2 instruction signature + a proof)")
    print(f"  whole-log verification                {rate(report.size, log_time)} entries ({report.heads} SM2-signed tree heads checked)")
    print(f"  ledger appends, {threads} writers at once {rate(per_thread * threads, concurrent)}   baseline: the same appends from one thread "
          f"{rate(per_thread * threads, sequential)}  (errors: {len(errors)}; log of {after.size} entries verifies: {after.ok})")
    print(f"  DCSA PINT envelopes checked            {rate(rounds, pint_time)}   baseline: the same {len(tokens)} Ed25519 JWS verifications bare "
          f"{rate(rounds, jws_time)} envelopes' worth  ({pint_time / jws_time:.2f}x)")


if __name__ == "__main__":
    main()
