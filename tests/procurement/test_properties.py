"""Hypothesis: malformed input never crashes the checker — every line gives results or its error, in place."""
from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openftz.procurement.check import check_line, check_value
from openftz.procurement.rules import Context

CTX = Context.at(dt.date(2025, 1, 1))

scalars = st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20)
dates = st.sampled_from(["2025-03-01", "2025-03-01T09:00:00+08:00", "2025-02-28T16:30:00Z", "0001-01-01T00:00:00+14:00",
                         "9999-12-31T23:59:59-12:00", "2025-13-45", "", "yesterday"]) | st.text(max_size=12)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)
anything = json_values | dates


def maybe(strategy):
    return st.one_of(strategy, anything)


def objects(**fields):
    return st.fixed_dictionaries({}, optional={k: maybe(v) for k, v in fields.items()})


references = objects(id=st.text(max_size=5), name=st.text(max_size=10))
documents = st.lists(maybe(objects(id=st.text(max_size=3), documentType=st.sampled_from(["tenderNotice", "biddingDocuments", "plannedProcurementNotice", "awardNotice"]),
                                   datePublished=dates, language=st.sampled_from(["zh", "en", "es", "zh-Hans"]))), max_size=3)
tenders = objects(
    procurementMethod=st.sampled_from(["open", "selective", "limited", "direct", "限制性招標", "other"]),
    procurementMethodRationale=st.text(max_size=30),
    procurementMethodRationaleClassifications=st.lists(maybe(objects(scheme=st.just("OpenFTZ-SH72"), id=st.text(max_size=20))), max_size=3),
    mainProcurementCategory=st.sampled_from(["goods", "works", "services"]),
    value=objects(amount=scalars, currency=st.sampled_from(["CNY", "USD", "NGN", "EUR", ""])),
    tenderPeriod=objects(startDate=dates, endDate=dates), expressionOfInterestDeadline=dates, documents=documents,
    milestones=st.lists(maybe(objects(type=st.just("requestToParticipate"), dueDate=dates)), max_size=2),
    procedure=objects(isAccelerated=st.booleans(), acceleratedRationale=st.text(max_size=10)), hasRecurrence=st.booleans(),
    procuringEntity=references, participationFees=st.lists(maybe(objects(type=st.lists(st.sampled_from(["document", "deposit"])), value=anything)), max_size=2),
    secondStage=objects(maximumCandidates=scalars), selectionCriteria=anything, items=st.lists(anything, max_size=2),
    exclusionGrounds=st.lists(maybe(objects(type=st.just("priorMaterialBreach"))), max_size=2),
    exclusions=st.lists(maybe(objects(ground=st.just("priorMaterialBreach"), breachDate=dates, date=dates, supplier=references,
                                      remedied=st.booleans(), contractWithBuyerOrRelated=st.booleans())), max_size=2),
    challenges=st.lists(maybe(objects(subject=st.sampled_from(["documents", "process", "result"]), knownDate=dates, date=dates,
                                      status=st.sampled_from(["rejectedAsLate", "answered"]), inWriting=st.booleans(), author=references)), max_size=2),
    debriefings=st.lists(maybe(objects(answerDate=dates, content=anything, containsTradeSecrets=st.booleans(), supplier=references)), max_size=2),
    scopeExclusion=st.sampled_from(["nationalSecurity", "stateSecret", "other"]), subcontractingTerms=anything, lots=anything,
    title=st.text(max_size=10),
)
releases = objects(ocid=st.text(max_size=10), id=st.text(max_size=4), date=dates, tag=st.sampled_from([["tender"], ["compiled"], "compiled"]),
                   language=st.text(max_size=5), tender=tenders, planning=objects(documents=documents, budget=anything),
                   parties=st.lists(maybe(objects(id=st.text(max_size=5), address=anything, contactPoint=anything)), max_size=3),
                   buyer=references, awards=st.lists(maybe(objects(id=st.text(max_size=3), date=dates)), max_size=2))
inputs = (releases | st.lists(releases, max_size=3) | objects(version=st.sampled_from(["1.0", "1.1"]), releases=st.lists(maybe(releases), max_size=3))
          | objects(version=st.sampled_from(["1.0", "1.1"]), records=st.lists(maybe(objects(ocid=st.text(max_size=5), compiledRelease=releases,
                                                                                                releases=st.lists(maybe(releases), max_size=2))), max_size=2))
          | json_values)


def assert_well_formed(results: list[dict], line: int) -> None:
    assert results
    for r in results:
        assert r["line"] == line
        if "error" in r:
            assert set(r["error"]) == {"code", "message_zh", "message_en"}
        else:
            assert isinstance(r["ocid"], str) and r["ocid"]
            for f in r["findings"]:
                assert f["severity"] in ("violation", "warning", "info") and f["cites"] and f["message_zh"] and f["message_en"]
        json.dumps(r, ensure_ascii=False)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(inputs)
def test_malformed_releases_never_crash(value):
    assert_well_formed(check_value(value, 7, CTX), 7)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_give_results_or_an_error(raw):
    assert_well_formed(check_line(raw, 3, CTX), 3)


def test_deeply_nested_lines_are_errors_not_crashes():
    for depth in (200, 900, 5000):
        nested = "[" * depth + "]" * depth
        line = ('{"ocid": "ocds-deep", "date": "2025-01-01", "tender": {"procurementMethod": "open", "x": ' + nested + "}}").encode()
        assert_well_formed(check_line(line, 1, CTX), 1)
        assert_well_formed(check_line(("{\"releases\": " + nested + "}").encode(), 1, CTX), 1)
