"""Real government OCDS data through the whole checker: nothing crashes, and what fires is what the data says.

The expected counts were verified by reading the files (a separate script over the raw JSON, not the checker):
- Everywhere: a notice in one language is ``info`` (SH-77 encourages bilingual notices, 鼓励), one per tender.
- Uganda: 10 direct works awards, none with a rationale → 10 PROC-METHOD-GROUND violations.
- Armenia: 100 releases of one package, 27 with a tender: 19 direct (17 citing Armenian law, unrecognisable → 17
  warnings; 2 without a rationale → 2 violations), 7 selective and 1 open, whose deadlines come 10 to 18
  Asia/Shanghai days after the start, none with a special case (→ 8 PROC-TENDER-PERIOD violations); the 7 selective
  ones publish no tenderNotice date (→ 7 PROC-PREQUAL-PERIOD warnings) and no deadline for requests to participate,
  which OCDS 1.1 cannot carry (→ 7 PROC-PREQUAL-NOTICE warnings), nor conditions for participation (7 violations; one
  also no contact).
- Australia (NSW, OCDS 1.0.1, upgraded): 4 selective tenders whose tenderNotice has no datePublished (4
  PROC-PREQUAL-PERIOD warnings); the notice gives the entity no address and empty conditionsForParticipation (4 + 3
  violations; one states its conditions) and no deadline for requests (4 warnings: OCDS 1.1 has no field) nor
  quantities (4 warnings). 2 open tenders of 33 and 37 days, published and submitted electronically: GPA XI:5
  allows 30 days (→ 2 info).
- Colombia: 18 limited procedures without a rationale → 18 violations; 5 open tenders of 5 to 17 days → 5
  PROC-TENDER-PERIOD violations.
- Mexico: 35 limited or direct procedures, 7 without a rationale (violations), 28 with Spanish words such as
  "Nacional", "Excepción por monto." or "No aplica" that name no ground → 28 warnings. Open or selective tenders: 7
  with fewer than 40 days to tender (violations; Mexico City's often open and close on the same day), 13 without a
  start or a deadline and 1 (INAI PC-0001) whose details say "Invitación a cuando menos tres" and whose rationale
  says "Adjudicación directa" (warnings). 8 selective ones cannot carry the deadline for requests (warnings).
- Nigeria: 14 open tenders; the compiled records have null tender dates → 2 warnings, the releases all keep 40 days.
- Taiwan: methods written in Chinese. 限制性招標(未經公開評選或公開徵求) → single-source without a rationale → 1
  violation; 限制性招標(經公開評選或公開徵求) (publicly announced selection, 3) and 公開取得報價單或企劃書 (request for
  quotations, 3) are neither tenders nor single-source procurement → nothing; 公開招標 and 選擇性招標 → tenders whose
  period is under the misspelt key `tederPeriod` → 4 warnings (a data problem). The selective one names its entity
  in identifier.legalName (a name) but gives no address, contact, description or conditions.
"""
from __future__ import annotations

import collections
import datetime as dt
from pathlib import Path

import pytest

from openftz.procurement.rules import RULES, Context
from openftz.procurement.stream import check_stream

DATA = Path(__file__).resolve().parents[1] / "data" / "procurement"
ON = dt.date(2025, 1, 1)

EXPECTED = {
    ("armenia", "PROC-BILINGUAL", "info"): 27,
    ("armenia", "PROC-METHOD-GROUND", "violation"): 2,
    ("armenia", "PROC-METHOD-GROUND", "warning"): 17,
    ("armenia", "PROC-PREQUAL-NOTICE", "violation"): 8,
    ("armenia", "PROC-PREQUAL-NOTICE", "warning"): 7,
    ("armenia", "PROC-PREQUAL-PERIOD", "warning"): 7,
    ("armenia", "PROC-TENDER-PERIOD", "violation"): 8,
    ("australia", "PROC-BILINGUAL", "info"): 10,
    ("australia", "PROC-PREQUAL-NOTICE", "violation"): 7,
    ("australia", "PROC-PREQUAL-NOTICE", "warning"): 8,
    ("australia", "PROC-PREQUAL-PERIOD", "warning"): 4,
    ("australia", "PROC-TENDER-PERIOD", "info"): 2,
    ("colombia", "PROC-BILINGUAL", "info"): 23,
    ("colombia", "PROC-METHOD-GROUND", "violation"): 18,
    ("colombia", "PROC-TENDER-PERIOD", "violation"): 5,
    ("mexico", "PROC-BILINGUAL", "info"): 58,
    ("mexico", "PROC-METHOD-GROUND", "violation"): 7,
    ("mexico", "PROC-METHOD-GROUND", "warning"): 28,
    ("mexico", "PROC-PREQUAL-NOTICE", "warning"): 8,
    ("mexico", "PROC-PREQUAL-PERIOD", "warning"): 1,
    ("mexico", "PROC-TENDER-PERIOD", "violation"): 7,
    ("mexico", "PROC-TENDER-PERIOD", "warning"): 14,
    ("nigeria", "PROC-BILINGUAL", "info"): 14,
    ("nigeria", "PROC-TENDER-PERIOD", "warning"): 2,
    ("taiwan", "PROC-METHOD-GROUND", "violation"): 1,
    ("taiwan", "PROC-PREQUAL-NOTICE", "violation"): 4,
    ("taiwan", "PROC-PREQUAL-NOTICE", "warning"): 3,
    ("taiwan", "PROC-PREQUAL-PERIOD", "warning"): 1,
    ("taiwan", "PROC-TENDER-PERIOD", "warning"): 4,
    ("uganda", "PROC-BILINGUAL", "info"): 10,
    ("uganda", "PROC-METHOD-GROUND", "violation"): 10,
}
RELEASES = {"armenia": 100, "australia": 10, "colombia": 23, "mexico": 71, "nigeria": 14, "taiwan": 11, "uganda": 10}


@pytest.fixture(scope="module")
def results():
    ctx = Context.at(ON)
    out = []
    for path in sorted(DATA.rglob("*.json")):
        with path.open("rb") as stream:
            out.extend((path.relative_to(DATA).parts[0], r) for r in check_stream(stream, ctx))
    return out


def test_every_file_is_read_without_an_error(results):
    assert [r for _, r in results if "error" in r] == []
    assert collections.Counter(country for country, _ in results) == RELEASES


def test_what_fires_per_rule_and_country(results):
    counts = collections.Counter((country, f["rule"], f["severity"]) for country, r in results for f in r["findings"])
    assert dict(counts) == EXPECTED


def test_findings_have_the_stable_shape(results):
    for _, r in results:
        assert r["ocid"] and isinstance(r["line"], int)
        for f in r["findings"]:
            assert set(f) >= {"rule", "severity", "cites", "message_zh", "message_en", "path"}
            assert f["rule"] in RULES and f["severity"] in ("violation", "warning", "info")
            assert f["cites"] == list(RULES[f["rule"]].cites)


def test_ocds_10_data_is_upgraded(results):
    """Australia's package declares 1.0.1; the Mexican airport's bare releases carry organizations in full."""
    upgraded = {country for country, r in results if r["upgraded"]}
    assert {"australia", "mexico"} <= upgraded
