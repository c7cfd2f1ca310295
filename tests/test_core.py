"""The shared kernel: citations, findings and effective-dated parameters."""
import datetime as dt

import pytest
import yaml

from openftz.core.citations import Citation, cites
from openftz.core.findings import Finding, Severity
from openftz.core.parameters import ParameterError, load_parameters, parameter, parse_parameters

SPEC = """
tender_period_days:
  values: {2024-02-03: 40, 2025-01-01: 30, 2026-01-01: null}
  unit: day
  cites: [SH-75, SC-51]
  source: "等标期不少于40日"
"""


def test_citations_are_validated():
    assert [str(c) for c in cites("SH-75", "SC-51", "SC-closing")] == ["SH-75", "SC-51", "SC-closing"]
    assert Citation("SH-117").plan == "SH"
    for bad in ("SH-0", "XX-1", "SH-1000", "sh-1", "SC-"):
        with pytest.raises(ValueError):
            Citation(bad)


def test_finding_as_dict():
    f = Finding.of("PROC-TENDER-PERIOD", "violation", "等标期不足", "tender period too short", cites=("SH-75",), path="tender.tenderPeriod")
    assert f.severity is Severity.VIOLATION
    assert f.as_dict() == {
        "rule": "PROC-TENDER-PERIOD", "severity": "violation", "message_zh": "等标期不足",
        "message_en": "tender period too short", "cites": ["SH-75"], "path": "tender.tenderPeriod",
    }


def test_parameter_values_are_effective_dated():
    p = parse_parameters(yaml.safe_load(SPEC))["tender_period_days"]
    assert p.at(dt.date(2024, 2, 3)) == 40
    assert p.at(dt.date(2024, 12, 31)) == 40
    assert p.at(dt.date(2025, 1, 1)) == 30
    with pytest.raises(ParameterError):  # before it took effect
        p.at(dt.date(2024, 2, 2))
    with pytest.raises(ParameterError):  # null ends it
        p.at(dt.date(2026, 1, 1))
    assert [c.measure for c in p.cites] == ["SH-75", "SC-51"] and p.unit == "day"


@pytest.mark.parametrize("mutation, says", [
    ({"valeus": {"2024-01-01": 1}}, "unknown keys"),
    ({"cites": []}, "must cite"),
    ({"cites": ["SH-999x"]}, "not a measure id"),
    ({"values": {}}, "non-empty"),
    ({"values": {"yesterday": 3}}, "invalid date"),
])
def test_bad_parameter_files_are_rejected(mutation, says):
    spec = yaml.safe_load(SPEC)
    spec["tender_period_days"].update(mutation)
    with pytest.raises(ParameterError) as raised:
        parse_parameters(spec, origin="t.yaml")
    assert says in raised.value.message_en


def test_missing_keys_are_rejected():
    spec = yaml.safe_load(SPEC)
    del spec["tender_period_days"]["source"]
    with pytest.raises(ParameterError, match="lacks keys"):
        parse_parameters(spec)


def test_shipped_parameter_files_load():
    params = load_parameters("rulebook")
    assert parameter("rulebook", "national_approval_rules_months").at(dt.date(2024, 2, 3)) == 6
    assert parameter("rulebook", "national_rules_months").at(dt.date(2023, 11, 26)) == 12
    assert all(p.source and p.cites for p in params.values())
    with pytest.raises(ParameterError):
        parameter("rulebook", "no_such_parameter")
