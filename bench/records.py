"""Records and ledger benchmark: signed operations per second and proof verification, each beside a baseline
measured in the same run.

- record operations/s through ``record_instruct`` (signature check, rules, ledger append with an SM2-signed tree head,
  database writes, one transaction each) beside the bare SM2 sign + verify of the same instruction bytes;
- sustained transfers/s through ``record_instruct_stream`` (batches of 250: one transaction, one signed tree head per
  batch, the next batch's signatures checked on the other cores meanwhile), SM2 and Ed25519, each beside the bare verification rate of the same
  algorithm over the same bytes, on one thread and on every core (the issue's goal: at least 45% of the raw SM2 rate);
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["OPENFTZ_VAR_DIR"] = tempfile.mkdtemp(prefix="openftz-bench-")
from openftz.core import secret_key  # noqa: E402 - imports no settings

os.environ.setdefault("OPENFTZ_SECRET_KEY", secret_key.generate())  # var/ is new: no key file there
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
from openftz.records.services import record_instruct, record_instruct_stream  # noqa: E402

OPERATIONS = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
RECORDS = 50


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:9.0f}/s"


BATCH = 250


def raw_verify_rate(algorithm: str, payloads: list[bytes], threads: int) -> float:
    """Bare verifications per second of the same bytes with the same algorithm (the floor of any signed registry)."""
    pem = crypto.generate_private_key(algorithm)
    public = crypto.public_key_pem(algorithm, pem)
    signed = [(crypto.sign(algorithm, pem, data), data) for data in payloads]
    t = time.perf_counter()
    if threads == 1:
        for sig, data in signed:
            assert crypto.verify(algorithm, public, sig, data)
    else:
        with ThreadPoolExecutor(threads) as pool:
            assert all(pool.map(lambda sd: crypto.verify(algorithm, public, *sd), signed))
    return len(signed) / (time.perf_counter() - t)


def main() -> None:
    call_command("migrate", verbosity=0)
    doc = json.loads((ROOT / "tests/data/dcsa/transport-document-regularSTDExample.json").read_text())
    keys = {}

    def party(pid: str, algorithm: str) -> None:
        parties.party_create(party_id=pid, name_zh=pid, foreign_scheme="BENCH", foreign_id=pid)
        pem = crypto.generate_private_key(algorithm)
        keys[pid] = (algorithm, pem, parties.party_key_add(party_id=pid, algorithm=algorithm,
                                                            public_key=crypto.public_key_pem(algorithm, pem)).kid)

    def envelope(actor, record, op, seq, params):
        algorithm, pem, kid = keys[actor]
        ins = {"record": record, "op": op, "seq": seq, "actor": actor, "key_id": kid,
               "at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(), "place": "CNSHA", "params": params}
        return ins, crypto.b64(crypto.sign(algorithm, pem, crypto.canonical_json(ins)))

    def transfers(algorithm: str, prefix: str) -> tuple[list, dict, dict]:
        """RECORDS e-bills issued to alpha, then OPERATIONS transfers back and forth, signed before the clock starts
        (the client's signing is not the registry's work)."""
        carrier, alpha, beta = (f"{prefix}-{p}" for p in ("carrier", "alpha", "beta"))
        for pid in (carrier, alpha, beta):
            party(pid, algorithm)
        holders, seqs = {}, {}
        for i in range(RECORDS):
            rid = f"{prefix.upper()}{i:05d}"
            ins, sig = envelope(carrier, rid, "issue", 1, {"kind": "ebl", "form": "blank", "holder": alpha,
                                                           "document": doc | {"transportDocumentReference": rid}})
            record_instruct(instruction=ins, signature=sig)
            holders[rid], seqs[rid] = alpha, 1
        batch = []
        for n in range(OPERATIONS):
            rid = f"{prefix.upper()}{n % RECORDS:05d}"
            actor = holders[rid]
            to = beta if actor == alpha else alpha
            seqs[rid] += 1
            batch.append(envelope(actor, rid, "transfer", seqs[rid], {"to": to}))
            holders[rid] = to
        return batch, holders, seqs

    # one at a time: each instruction its own transaction and its own signed tree head
    batch, holders, seqs = transfers("SM2", "bench")
    payloads = [crypto.canonical_json(ins) for ins, _ in batch]
    algorithm, pem, _ = keys["bench-alpha"]
    public = crypto.public_key_pem("SM2", pem)
    t = time.perf_counter()
    for data in payloads:
        crypto.verify("SM2", public, crypto.sign("SM2", pem, data), data)
    baseline = time.perf_counter() - t

    t = time.perf_counter()
    for ins, sig in batch:
        record_instruct(instruction=ins, signature=sig)
    ops = time.perf_counter() - t

    # sustained transfers in batches (group commit: one transaction and one signed tree head per batch)
    sustained = {}
    for algorithm, prefix in (("SM2", "sm2"), ("Ed25519", "ed")):
        signed_batch, _, _ = transfers(algorithm, prefix)
        t = time.perf_counter()
        results = list(record_instruct_stream(envelopes=signed_batch, batch_size=BATCH))
        elapsed = time.perf_counter() - t
        assert not [r for r in results if isinstance(r, Exception)], "a transfer was refused"
        sample = [crypto.canonical_json(ins) for ins, _ in signed_batch]
        sustained[algorithm] = (len(signed_batch) / elapsed, raw_verify_rate(algorithm, sample, 1),
                                raw_verify_rate(algorithm, sample, os.cpu_count() or 1))

    size = Entry.objects.count()
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
    ins, sig = envelope(actor, rid, "transfer_to_platform", seqs[rid],
                        {"to": "bench-beta" if actor == "bench-alpha" else "bench-alpha", "platform": "BOLE"})
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
    cores = os.cpu_count() or 1
    for algorithm, (rate_, raw1, rawn) in sustained.items():
        print(f"  {algorithm:7} transfers, streamed by {BATCH} {rate_:9.0f}/s   baseline: bare {algorithm} verifications of the same bytes "
              f"{raw1:9.0f}/s on one thread, {rawn:.0f}/s on {cores}  ({rate_ / raw1:.0%} of the one-thread rate)")
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
