"""Peppol BIS Billing 3.0 rules, by cases written as data (peppol_cases.yaml), and the rule set selection."""
from pathlib import Path

import pytest
import yaml

from openftz.einvoice.parse import parse
from openftz.einvoice.rules import check, rules_of, ruleset_for

CASES = yaml.safe_load((Path(__file__).parent / "peppol_cases.yaml").read_text(encoding="utf-8"))
NS = {"Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
      "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"}


def document(case) -> bytes:
    root = case.get("root", "Invoice")
    return (f'<{root} xmlns="{NS[root]}" '
            'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
            'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
            f'{case["body"]}</{root}>').encode()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_peppol_case(case):
    fired = {f["rule"] for f in check(parse(document(case)), "peppol")}
    assert [r for r in case.get("success", []) if r in fired] == []
    assert [r for r in case.get("error", []) if r not in fired] == []


def test_every_peppol_rule_has_a_failing_case():
    peppol = {r.id for r in rules_of("peppol") if r.ruleset == "peppol"}
    failing = {r for c in CASES for r in c.get("error", [])}
    assert peppol - failing == set()


def test_the_rule_set_follows_the_specification_identifier():
    peppol = parse(document({"body": "<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#"
                                     "urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>"}))
    cen = parse(document({"body": "<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>"}))
    assert ruleset_for(peppol) == "peppol" and ruleset_for(cen) == "en16931"
    assert ruleset_for(peppol, "en16931") == "en16931"
    assert not any(f["rule"].startswith("PEPPOL") for f in check(cen))
    assert any(f["rule"].startswith("PEPPOL") for f in check(peppol))
