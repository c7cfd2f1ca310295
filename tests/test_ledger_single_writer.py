"""The ledger has one writer at a time across processes and machines (docs/operations.md, "The ledger's single writer").

Two OS processes — as two web nodes or a web node and a worker would — append to one log at once, from an empty log
(so that both race to create its state row too). The lock is the database's own (the log's state row, locked FOR
UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions), not a lock inside one process, so the log must come out as
one chain: every index once, a signed head for every size, and `ledger verify` clean. Each run has a database of its
own: an SQLite file, and when the suite runs on PostgreSQL (DATABASE_URL) a new database on that server.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from openftz.core import crypto
from tests.conftest import ROOT, scratch_database

SERVER_URL = os.environ.get("DATABASE_URL", "")
APPENDS = 150

WRITER = """
import os, sys, time
import django
django.setup()
from openftz.ledger.services import ledger_append
go, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
while not os.path.exists(go):
    time.sleep(0.002)
for i in range(n):
    ledger_append(kind="test.append", subject=f"{who}-{i}", event={"writer": who, "i": i})
    time.sleep(0.003)  # as requests arrive: SQLite's busy handler would otherwise let one writer take the lock again and again
"""

CHECKER = """
import json
import django
django.setup()
from django.db import connection
from openftz.ledger.models import Entry, TreeHead
from openftz.ledger.selectors import ledger_verify
report = ledger_verify()
print(json.dumps({"vendor": connection.vendor, "problems": report.problems, "size": report.size,
                  "heads": report.heads, "subjects": list(Entry.objects.order_by("index").values_list("subject", flat=True)),
                  "head_sizes": sorted(TreeHead.objects.values_list("tree_size", flat=True))}))
"""


@pytest.mark.parametrize("kind", ["sqlite"] + (["postgresql"] if SERVER_URL else []))
def test_two_processes_appending_at_once_leave_one_unforked_log(tmp_path, kind):
    with scratch_database(kind, "openftz_writers") as url:
        # every node signs with the same registry key (given through the environment, as on several machines)
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
            "OPENFTZ_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "openftz.settings",
            "OPENFTZ_REGISTRY_KEY": crypto.generate_private_key("SM2"), "OPENFTZ_REGISTRY_KEY_ALGORITHM": "SM2"}
        if url:
            env["DATABASE_URL"] = url
        migrated = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env,
                                  capture_output=True, text=True, timeout=300)
        assert migrated.returncode == 0, migrated.stderr
        go = tmp_path / "go"
        writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(go), who, str(APPENDS)], cwd=ROOT, env=env,
                                    stderr=subprocess.PIPE, text=True) for who in ("a", "b")]
        time.sleep(2)  # both are set up and waiting
        go.touch()
        errors = [w.communicate(timeout=300)[1] for w in writers]
        assert [w.returncode for w in writers] == [0, 0], errors
        checked = subprocess.run([sys.executable, "-c", CHECKER], cwd=ROOT, env=env, capture_output=True, text=True,
                                 timeout=300)
        assert checked.returncode == 0, checked.stderr
    result = json.loads(checked.stdout)
    assert result["vendor"] == kind
    assert result["problems"] == []
    assert result["size"] == 2 * APPENDS and result["heads"] == 2 * APPENDS
    assert result["head_sizes"] == list(range(1, 2 * APPENDS + 1))  # one signed head per size: no two heads of a size
    subjects = result["subjects"]
    assert sorted(subjects) == sorted(f"{who}-{i}" for who in "ab" for i in range(APPENDS))
    for who in "ab":  # each writer's entries in its own order
        assert [s for s in subjects if s[0] == who] == [f"{who}-{i}" for i in range(APPENDS)]
    # the two really wrote at the same time: their entries alternate in the log
    switches = sum(1 for x, y in zip(subjects, subjects[1:]) if x[0] != y[0])
    assert switches >= 4, f"the writers did not overlap ({switches} switches)"
