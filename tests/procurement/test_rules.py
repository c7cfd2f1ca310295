"""Each rule against its cases written as data (``cases/<rule>.yaml``): passing and failing releases.

A case gives a compiled release (``release``), optionally the day whose rules apply (``on``), and the findings it
must produce as ``{severity, path, says?}`` (``says``: words the English message contains); ``[]`` means it passes.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from openftz.procurement.compile import compiled_releases
from openftz.procurement.rules import RULES, Context

CASES = Path(__file__).parent / "cases"
DEFAULT_ON = dt.date(2025, 1, 1)


def load_cases():
    for path in sorted(CASES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            yield pytest.param(spec["rule"], case, id=f"{spec['rule']}: {case['name']}")


@pytest.mark.parametrize("rule, case", list(load_cases()))
def test_rule_case(rule, case):
    on = case.get("on", DEFAULT_ON)
    spec = RULES[rule]
    findings = list(spec.check(case["release"], Context.at(on)))
    got = [(f.severity.value, f.path) for f in findings]
    want = [(e["severity"], e["path"]) for e in case["expect"]]
    assert got == want, [f.message_en for f in findings]
    for finding, expected in zip(findings, case["expect"]):
        assert finding.rule == rule
        assert [c.measure for c in finding.cites] == list(spec.cites)
        assert finding.message_zh and finding.message_en
        for words in expected.get("says", []):
            assert words in finding.message_en, finding.message_en
    # The same release through the checker's compile step (ocdsmerge over the fields the rules read) says the same.
    (compiled,) = compiled_releases({"version": "1.1", "releases": [case["release"]]})
    assert list(spec.check(compiled.release, Context.at(on))) == findings


def test_every_rule_has_passing_and_failing_cases():
    by_rule: dict[str, list] = {}
    for param in load_cases():
        rule, case = param.values
        by_rule.setdefault(rule, []).append(case)
    assert set(by_rule) == set(RULES)
    for rule, cases in by_rule.items():
        assert any(not c["expect"] for c in cases), f"{rule} has no passing case"
        assert any(c["expect"] for c in cases), f"{rule} has no failing case"
