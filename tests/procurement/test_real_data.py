"""Real government OCDS data through the whole checker: nothing crashes, and what fires is what the data says.

The expected counts were verified by reading the files (a separate script over the raw JSON, not the checker):
- Everywhere: a notice in one language is ``info`` (SH-77 encourages bilingual notices, 鼓励), one per kind of notice
  (documentTypes written "Tender Notice" or "Clarifications" are the codelist's types).
- Uganda: 10 direct works awards "to a single supplier without competition", none with a rationale → 10
  PROC-METHOD-GROUND violations.
- Armenia: 100 releases of one package, 27 with a tender: 19 direct (NPNA, negotiated without announcement; 17
  citing Armenian law, unrecognisable → 17 warnings; 2 without a rationale → 2 violations); the 7 coded selective
  are call-offs of framework agreements (details "FA (Framework Agreement)") and the 1 coded open a negotiated
  procedure with announcement ("NPA"): neither is tendering (招标), so SH-73/74/75 do not apply.
- Australia (NSW, OCDS 1.0.1, upgraded): 4 selective tenders whose tenderNotice has no datePublished (4
  PROC-PREQUAL-PERIOD warnings); the data gives the entity no address and empty conditionsForParticipation (one
  states them): where the notice itself is attached (tenderNotice with a url) that is a check by hand (warning),
  else a violation; the deadline for requests (OCDS 1.1 has no field) and quantities are warnings. 2 open tenders
  of 33 and 37 days, published and submitted electronically: GPA XI:5 allows 30 days (→ 2 info).
- Colombia: 18 limited procedures without a rationale → 18 violations; 5 open tenders of 5 to 17 days → 5
  PROC-TENDER-PERIOD violations.
- Mexico: 35 limited or direct procedures: 34 without a rationale or with words that state none ("Nacional",
  "No aplica") or a ground the zone did not adopt ("Excepción por monto": low value) → violations; 1 unrecognisable
  → warning. Mexico City's 6 "selective" procedures cite LADF art. 54, which allows an invitation or a direct award
  (and their ocids say AD, adjudicación directa): the method is ambiguous (warnings), not a 0-day tender. 1 open
  tender under 40 days (violation); 13 without a start or a deadline (warnings).
- Nigeria: 14 open tenders; the compiled records have null tender dates → 2 warnings, the releases all keep 40 days.
- Taiwan: methods written in Chinese. 限制性招標(未經公開評選或公開徵求) → single-source without a rationale → 1
  violation; 限制性招標(經公開評選或公開徵求) (publicly announced selection, 3) and 公開取得報價單或企劃書 (request for
  quotations, 3) are neither tenders nor single-source procurement → nothing; 公開招標 and 選擇性招標 → tenders whose
  period is under the misspelt key `tederPeriod` → 4 warnings (a data problem). The selective one names its entity
  in identifier.legalName (a name) and gives no address, contact, description or conditions, but its release is an
  award notice (tag "awardNotice"), not the pre-qualification notice → 7 PROC-PREQUAL-NOTICE warnings.
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
    ("australia", "PROC-BILINGUAL", "info"): 10,
    ("australia", "PROC-PREQUAL-NOTICE", "violation"): 5,
    ("australia", "PROC-PREQUAL-NOTICE", "warning"): 10,
    ("australia", "PROC-PREQUAL-PERIOD", "warning"): 4,
    ("australia", "PROC-TENDER-PERIOD", "info"): 2,
    ("colombia", "PROC-BILINGUAL", "info"): 25,
    ("colombia", "PROC-METHOD-GROUND", "violation"): 18,
    ("colombia", "PROC-TENDER-PERIOD", "violation"): 5,
    ("mexico", "PROC-BILINGUAL", "info"): 90,
    ("mexico", "PROC-METHOD-GROUND", "violation"): 34,
    ("mexico", "PROC-METHOD-GROUND", "warning"): 1,
    ("mexico", "PROC-PREQUAL-NOTICE", "warning"): 2,
    ("mexico", "PROC-PREQUAL-PERIOD", "warning"): 1,
    ("mexico", "PROC-TENDER-PERIOD", "violation"): 1,
    ("mexico", "PROC-TENDER-PERIOD", "warning"): 20,
    ("nigeria", "PROC-BILINGUAL", "info"): 14,
    ("nigeria", "PROC-TENDER-PERIOD", "warning"): 2,
    ("taiwan", "PROC-METHOD-GROUND", "violation"): 1,
    ("taiwan", "PROC-PREQUAL-NOTICE", "warning"): 7,
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
        if path.relative_to(DATA).parts[0] == "real":  # the labelled sample's releases (bench/procurement_precision.py)
            continue
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
