"""Procurement workflow benchmark: each figure beside a baseline measured in the same run.

- stage releases/s through ``procedure_release_add`` (permission check, OCDS 1.1.5 schema validation, the new
  release stored, the procedure's releases read back and compiled again with ocdsmerge, the audit entry, one
  transaction) beside the same validation and compilation done bare, without the database;
- challenges filed/s through ``challenge_file`` (window check, the row, its audit entry) beside a bare ORM insert of
  the same row;
- record packages built/s from the database beside ``json.dumps`` of the same package.

It runs on a throw-away SQLite database in a temporary directory, never on var/.
Run: `.venv/bin/python bench/procurement_workflow.py [PROCEDURES]` (default 100; four releases each).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["OPENFTZ_VAR_DIR"] = tempfile.mkdtemp(prefix="openftz-bench-")
from openftz.core import secret_key  # noqa: E402 - imports no settings

os.environ.setdefault("OPENFTZ_SECRET_KEY", secret_key.generate())  # var/ is new: no key file there
os.environ.pop("DATABASE_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "openftz.settings"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from openftz.parties.services import party_create  # noqa: E402
from openftz.procurement import ocds, selectors, services  # noqa: E402
from openftz.procurement.models import Challenge, ProcurementProfile  # noqa: E402

PROCEDURES = int(sys.argv[1]) if len(sys.argv) > 1 else 100


def line(label: str, n: int, seconds: float, base_label: str, base_n: int, base_seconds: float) -> str:
    ours, base = n / seconds, base_n / base_seconds
    return f"{label:<40}{ours:>9,.0f}/s   baseline: {base_label} {base:,.0f}/s ({base / ours:.1f}x)"


def main() -> None:
    call_command("migrate", verbosity=0)
    User = get_user_model()
    entity = services.entity_create(entity_id="bench-entity", name_zh="基准测试采购人", street_address="世纪大道1号", contact_name="测试")
    officer = User.objects.create_user("bench-officer")
    ProcurementProfile.objects.create(user=officer, role="entity_officer", entity=entity)
    suppliers = []
    for i in range(3):
        party = party_create(party_id=f"bench-s{i}", name_zh=f"供应商{i}", foreign_scheme="OPENFTZ-BENCH", foreign_id=f"S{i}")
        user = User.objects.create_user(f"bench-s{i}")
        ProcurementProfile.objects.create(user=user, role="supplier", party=party)
        suppliers.append(user)
    start = timezone.now() - dt.timedelta(days=30)
    procedures = [services.procedure_create(actor=officer, entity_id=entity.pk, method="open", title=f"基准采购项目{i}",
                                            title_en=f"Benchmark procedure {i}", value_amount=Decimal(1000000),
                                            items=[services.TenderItem("服务", Decimal(1), "项")], when=start)
                  for i in range(PROCEDURES)]

    stages = [("tenderUpdate", {"tenderers": ["bench-s0", "bench-s1", "bench-s2"]}),
              ("award", {"awards": [{"id": "1", "value": {"amount": 900000, "currency": "CNY"}, "suppliers": [{"id": "bench-s0"}]}]}),
              ("contract", {"contracts": [{"id": "C1", "awardID": "1", "value": {"amount": 900000, "currency": "CNY"}}]})]
    t = time.perf_counter()
    for day, (tag, fragment) in enumerate(stages, start=1):
        for p in procedures:
            services.procedure_release_add(actor=officer, procedure=p, tag=tag, when=start + dt.timedelta(days=day), **fragment)
    ours = time.perf_counter() - t
    n = PROCEDURES * len(stages)
    stored = [selectors.releases(p) for p in procedures]
    t = time.perf_counter()
    for releases in stored:  # the same OCDS work bare: validate each new release, compile the releases so far
        for k in range(2, len(releases) + 1):
            ocds.release_errors(releases[k - 1])
            ocds.compile_releases(releases[:k])
    bare = time.perf_counter() - t
    print(line("stage releases (procedure_release_add)", n, ours, "bare validation + ocdsmerge", n, bare))

    t = time.perf_counter()
    for p in procedures:
        for user in suppliers[1:]:
            services.challenge_file(actor=user, procedure=p, grounds="评分有误", knew_on=timezone.localdate())
    ours = time.perf_counter() - t
    filed = list(Challenge.objects.all()[: len(procedures) * 2])
    t = time.perf_counter()
    for c in filed:
        Challenge.objects.create(procedure_id=c.procedure_id, supplier_id=c.supplier_id, filed_by_id=c.filed_by_id, grounds=c.grounds,
                                 knew_on=c.knew_on, filed_at=c.filed_at, filed_on=c.filed_on, deadline=c.deadline, late=c.late)
    bare = time.perf_counter() - t
    print(line("challenges filed (challenge_file)", len(filed), ours, "bare ORM insert of the row", len(filed), bare))

    t = time.perf_counter()
    packages = [selectors.procedure_package(p, "record") for p in procedures]
    ours = time.perf_counter() - t
    t = time.perf_counter()
    for package in packages:
        json.dumps(package, ensure_ascii=False)
    bare = time.perf_counter() - t
    assert all(ocds.package_errors(pk, "record") == [] for pk in packages[:5])
    print(line("record packages built from the database", len(packages), ours, "json.dumps of the package", len(packages), bare))


if __name__ == "__main__":
    main()
