"""Real government OCDS data through the whole checker: nothing crashes, and what fires is what the data says.

The expected counts were verified by reading the files (a separate script over the raw JSON, not the checker):
- Uganda: 10 direct works awards, none with a rationale, all in English → 10 PROC-METHOD-GROUND violations and
  10 PROC-BILINGUAL warnings.
- Armenia: 100 releases of one package, 27 with a tender: 19 direct (17 citing Armenian law, unrecognisable → 17
  warnings; 2 without a rationale → 2 violations), 7 selective and 1 open, whose deadlines
  come 10 to 18 Asia/Shanghai days after the start, none with a special case (→ 8 PROC-TENDER-PERIOD violations);
  the 7 selective ones publish no tenderNotice date (→ 7 PROC-PREQUAL-PERIOD warnings), and their AMD values could
  not have been converted anyway: the ECB publishes no AMD rate, and none is guessed.
- Australia (NSW, OCDS 1.0.1, upgraded): 4 selective tenders whose tenderNotice has no datePublished (4
  PROC-PREQUAL-PERIOD warnings) and whose notice gives the entity no address, no deadline for requests and empty
  conditions for participation (3 × 4 = 12 PROC-PREQUAL-NOTICE violations) nor quantities (4 warnings).
- Colombia: 18 limited procedures without a rationale → 18 violations; 5 open tenders of 5 to 17 days → 5
  PROC-TENDER-PERIOD violations; everything in Spanish → 23 PROC-BILINGUAL warnings.
- Mexico: 35 limited or direct procedures, 7 without a rationale (violations), 28 with Spanish words such as
  "Nacional", "Excepción por monto." or "No aplica" that name no ground → 28 warnings.
  21 open or selective tenders: 8 with fewer than 40 days to tender (violations; Mexico City's often open and
  close on the same day), 13 without a start or a deadline (warnings).
- Nigeria: 14 open tenders; the compiled records have null tender dates → 2 warnings, the releases all keep 40 days.
- Taiwan: methods written in Chinese (限制性招標 → limited: 4 without a rationale → 4 violations; 公開招標 and
  選擇性招標 → open/selective with the tender period under a misspelt key `tederPeriod` → 4 warnings).
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
    ("armenia", "PROC-BILINGUAL", "warning"): 27,
    ("armenia", "PROC-METHOD-GROUND", "violation"): 2,
    ("armenia", "PROC-METHOD-GROUND", "warning"): 17,
    ("armenia", "PROC-PREQUAL-NOTICE", "violation"): 15,
    ("armenia", "PROC-PREQUAL-PERIOD", "warning"): 7,
    ("armenia", "PROC-TENDER-PERIOD", "violation"): 8,
    ("australia", "PROC-BILINGUAL", "warning"): 10,
    ("australia", "PROC-PREQUAL-NOTICE", "violation"): 12,
    ("australia", "PROC-PREQUAL-NOTICE", "warning"): 4,
    ("australia", "PROC-PREQUAL-PERIOD", "warning"): 4,
    ("australia", "PROC-TENDER-PERIOD", "violation"): 2,
    ("colombia", "PROC-BILINGUAL", "warning"): 23,
    ("colombia", "PROC-METHOD-GROUND", "violation"): 18,
    ("colombia", "PROC-TENDER-PERIOD", "violation"): 5,
    ("mexico", "PROC-BILINGUAL", "warning"): 58,
    ("mexico", "PROC-METHOD-GROUND", "violation"): 7,
    ("mexico", "PROC-METHOD-GROUND", "warning"): 28,
    ("mexico", "PROC-PREQUAL-NOTICE", "violation"): 8,
    ("mexico", "PROC-PREQUAL-PERIOD", "warning"): 1,
    ("mexico", "PROC-TENDER-PERIOD", "violation"): 8,
    ("mexico", "PROC-TENDER-PERIOD", "warning"): 13,
    ("nigeria", "PROC-BILINGUAL", "warning"): 14,
    ("nigeria", "PROC-TENDER-PERIOD", "warning"): 2,
    ("taiwan", "PROC-METHOD-GROUND", "violation"): 4,
    ("taiwan", "PROC-PREQUAL-NOTICE", "violation"): 6,
    ("taiwan", "PROC-PREQUAL-NOTICE", "warning"): 2,
    ("taiwan", "PROC-PREQUAL-PERIOD", "warning"): 1,
    ("taiwan", "PROC-TENDER-PERIOD", "warning"): 4,
    ("uganda", "PROC-BILINGUAL", "warning"): 10,
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
