"""Reliability of the registry under contention and crashes (bench/race.py does the work in its own database).

- race: 1,000 rounds in which two workers (threads, then processes) sign the same next transfer of one record and
  submit it at once: exactly one succeeds every round, and `ledger verify` passes after;
- crash: a process endorsing in a loop is killed with SIGKILL; the record, its events and the log agree, and the
  log verifies.
Each run builds a database of its own: an SQLite file, or — when the suite runs on PostgreSQL (DATABASE_URL) — a new
database on the same server, dropped afterwards, so that PostgreSQL's row lock on the log state is raced too.
"""
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def race(*args: str) -> dict:
    out = subprocess.run([sys.executable, "bench/race.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("mode", ["threads", "processes"])
def test_one_winner_in_each_of_1000_rounds(mode):
    result = race("--rounds", "1000", "--mode", mode)
    assert (result["won_once"], result["double_wins"], result["no_winner"]) == (1000, 0, 0)
    assert result["final_seq"] == 1001 and result["ledger_ok"]
    assert result["database"] == ("postgresql" if os.environ.get("DATABASE_URL") else "sqlite")


def test_sigkill_in_the_middle_leaves_no_partial_record():
    result = race("--mode", "crash")
    assert result["exitcode"] == -9 and result["events"] > 1
    assert result["whole"] and result["ledger_ok"]
