"""Concurrent conflicting transfers of one record: in every round two workers (threads or processes) race to transfer
it, each signing a transfer from the current holder with the same sequence number; exactly one may win.

Used by tests/test_records_race.py and runnable alone:
`.venv/bin/python bench/race.py --rounds 1000 --mode processes` builds its own SQLite database under a temp dir; with
DATABASE_URL set (postgres://…) it creates a database of its own on that server instead, and drops it afterwards.
Prints one JSON line: {"rounds", "mode", "database", "won_once", "double_wins", "no_winner", "ledger_ok", "seconds"}.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTIES = ("p-a", "p-b")


SERVER_URL = os.environ.get("DATABASE_URL", "")
if not os.environ.get("OPENFTZ_SECRET_KEY"):  # each run's var/ is new: no key file there
    from openftz.core import secret_key

    os.environ["OPENFTZ_SECRET_KEY"] = secret_key.generate()


@contextlib.contextmanager
def _database(prefix: str):
    """A fresh database for one run: an SQLite file in a temp dir, or a new database on the PostgreSQL server of
    DATABASE_URL (dropped afterwards). Yields (var dir, database URL or "")."""
    with tempfile.TemporaryDirectory(prefix=prefix) as var:
        if not SERVER_URL:
            yield var, ""
            return
        import psycopg
        from psycopg import sql

        name = f"openftz_race_{os.getpid()}"
        with psycopg.connect(SERVER_URL, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield var, SERVER_URL.rsplit("/", 1)[0] + "/" + name
        finally:
            with psycopg.connect(SERVER_URL, autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _migrate(var: str, url: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"OPENFTZ_VAR_DIR": var}
    if url:
        env["DATABASE_URL"] = url
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _django(var: str, url: str) -> None:
    os.environ["OPENFTZ_VAR_DIR"] = var
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openftz.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _setup(var: str, url: str) -> dict[str, str]:
    """Parties with keys, and one to-order eBL held by p-a; returns the private keys."""
    _django(var, url)
    from django.utils import timezone

    from openftz.core import crypto
    from openftz.parties import services as parties
    from openftz.records.services import record_instruct

    keys = {}
    for n, name in enumerate(("carrier",) + PARTIES):
        pem = crypto.generate_private_key("SM2")
        parties.party_create(party_id=name, name_zh=name, foreign_scheme="EORI", foreign_id=f"DE{n:04d}")
        parties.party_key_add(party_id=name, algorithm="SM2", public_key=crypto.public_key_pem("SM2", pem))
        keys[name] = pem
    document = json.loads((ROOT / "tests/data/dcsa/transport-document-regularSTDExample.json").read_text())
    raw = {"record": document["transportDocumentReference"], "op": "issue", "seq": 1, "actor": "carrier",
           "key_id": crypto.key_id(crypto.public_key_pem("SM2", keys["carrier"])), "at": timezone.now().isoformat(timespec="seconds"),
           "place": "CNSHA", "params": {"kind": "ebl", "form": "to_order", "holder": "p-a", "document": document}}
    record_instruct(instruction=raw, signature=crypto.b64(crypto.sign("SM2", keys["carrier"], crypto.canonical_json(raw))))
    return {"record": raw["record"], **keys}


def _prepare(keys: dict, worker: int) -> tuple[dict, str]:
    """Read the record and sign an endorsement from its holder to the other party with the next seq."""
    from django.db import close_old_connections
    from django.utils import timezone

    from openftz.core import crypto
    from openftz.records.models import Record

    close_old_connections()
    record = Record.objects.get(pk=keys["record"])
    holder = record.holder_id
    to = PARTIES[1] if holder == PARTIES[0] else PARTIES[0]
    raw = {"record": record.pk, "op": "endorse_to_order", "seq": record.seq + 1, "actor": holder,
           "key_id": crypto.key_id(crypto.public_key_pem("SM2", keys[holder])), "at": timezone.now().isoformat(timespec="seconds"),
           "place": "CNSHA" if worker == 0 else "HKHKG", "params": {"to": to}}
    return raw, crypto.b64(crypto.sign("SM2", keys[holder], crypto.canonical_json(raw)))


def _submit(raw: dict, signature: str) -> bool:
    from openftz.core.errors import OpenFTZError
    from openftz.records.services import record_instruct

    try:
        record_instruct(instruction=raw, signature=signature)
        return True
    except OpenFTZError:
        return False


def _worker(var: str, url: str, keys: dict, worker: int, rounds: int, barrier, wins) -> None:
    _django(var, url)
    for r in range(rounds):
        raw, signature = _prepare(keys, worker)
        barrier.wait()  # both have read the same state and signed the same sequence number: now both submit
        wins[r * 2 + worker] = 1 if _submit(raw, signature) else 0
        barrier.wait()


def run(rounds: int, mode: str) -> dict:
    with _database("openftz-race-") as (var, url):
        _migrate(var, url)
        keys = _setup(var, url)
        started = time.perf_counter()
        if mode == "processes":
            ctx = mp.get_context("spawn")
            barrier, wins = ctx.Barrier(2), ctx.Array("b", rounds * 2)
            workers = [ctx.Process(target=_worker, args=(var, url, keys, w, rounds, barrier, wins)) for w in range(2)]
        else:
            barrier, wins = threading.Barrier(2), [0] * (rounds * 2)
            workers = [threading.Thread(target=_worker, args=(var, url, keys, w, rounds, barrier, wins)) for w in range(2)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        seconds = time.perf_counter() - started
        from openftz.ledger.selectors import ledger_verify
        from openftz.records.models import Record

        won = [wins[2 * r] + wins[2 * r + 1] for r in range(rounds)]
        record = Record.objects.get(pk=keys["record"])
        return {"rounds": rounds, "mode": mode, "database": _vendor(), "won_once": won.count(1), "double_wins": won.count(2), "no_winner": won.count(0),
                "final_seq": record.seq, "ledger_ok": ledger_verify().ok, "seconds": round(seconds, 2)}


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def _endorse_forever(var: str, url: str, keys: dict) -> None:
    _django(var, url)
    while True:
        _submit(*_prepare(keys, 0))


def crash(after_seconds: float, *, at_least: int = 20, patience: float = 120.0) -> dict:
    """Kill (SIGKILL) a process in the middle of a stream of endorsements; the record and the log must be whole.

    It is killed ``after_seconds`` after it has carried out ``at_least`` endorsements (so that a slow start on a busy
    machine does not kill it before it began), or after ``patience`` seconds at the most."""
    with _database("openftz-crash-") as (var, url):
        _migrate(var, url)
        keys = _setup(var, url)
        from openftz.records.models import Record

        child = mp.get_context("spawn").Process(target=_endorse_forever, args=(var, url, keys))
        child.start()
        deadline = time.monotonic() + patience
        while Record.objects.get(pk=keys["record"]).seq < at_least and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(after_seconds)
        os.kill(child.pid, 9)
        child.join()
        from django.db import connection

        from openftz.ledger.models import Entry
        from openftz.ledger.selectors import ledger_verify
        from openftz.records.models import Record, RecordEvent

        connection.close()
        record = Record.objects.get(pk=keys["record"])
        events = RecordEvent.objects.filter(record=record).count()
        return {"mode": "crash", "database": _vendor(), "killed_by": "SIGKILL", "exitcode": child.exitcode, "events": events, "record_seq": record.seq,
                "ledger_entries": Entry.objects.count(), "whole": record.seq == events == Entry.objects.count(),
                "ledger_ok": ledger_verify().ok}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--mode", choices=["threads", "processes", "crash"], default="processes")
    args = parser.parse_args()
    print(json.dumps(crash(0.5) if args.mode == "crash" else run(args.rounds, args.mode)))
