"""The Peppol responses as documents: the responses the single window builds pass the rules it applies (Peppol BIS
Invoice Response 3.1, Message Level Response 3.0); the status order of BIS Invoice Response 3.1 as cases."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from openftz.einvoice.response_rules import (
    check_invoice_response, check_message_level_response, clarifications_problems, fatal, next_status,
)
from openftz.einvoice.responses import (
    Clarification, Endpoint, Header, LineIssue, Reference, invoice_response, message_level_response,
)


SHANGHAI = ZoneInfo("Asia/Shanghai")


def header(**kw) -> Header:
    return Header(document_id=kw.get("document_id", "R-1"), issued_at=dt.datetime(2025, 3, 1, 9, 30, tzinfo=SHANGHAI),
                  sender=Endpoint("0199", "529900T8BM49AURSDO55", "Buyer Ltd"), receiver=Endpoint("USCC", "91310115MA1H7GXK00", "卖方"))


def test_a_built_invoice_response_passes_the_rules_and_is_dated_in_its_zone():
    xml = invoice_response(header(), code="UQ", reference=Reference("INV-1", "2025-02-27", "380"),
                           clarifications=(Clarification("OPStatusReason", "LEG", "VAT number wrong", (("BT-48", "EU12345"),)),
                                           Clarification("OPStatusAction", "PIN")),
                           effective_date=dt.date(2025, 3, 1), issuer_name="卖方", recipient_name="Buyer Ltd")
    root = etree.fromstring(xml)
    assert fatal(check_invoice_response(root)) == []
    ns = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
    assert root.findtext("cbc:IssueDate", namespaces=ns) == "2025-03-01"
    assert root.findtext("cbc:IssueTime", namespaces=ns) == "09:30:00+08:00"


def test_a_built_mlr_rejection_passes_the_rules():
    xml = message_level_response(header(), code="RE", reference=Reference("env-1", type_code="380"),
                                 description="Rejected", issues=(LineIssue("/Invoice/cbc:ID", "[BR-02]-An Invoice shall have an Invoice number (BT-1).", "BV", "RE"),))
    root = etree.fromstring(xml)
    assert fatal(check_message_level_response(root)) == []


def test_the_checks_catch_what_the_rules_forbid():
    bad = invoice_response(header(), code="RE", reference=Reference("INV-1", type_code="380"))
    assert {f.rule for f in fatal(check_invoice_response(etree.fromstring(bad)))} == {"PEPPOL-T111-R001"}
    mlr = message_level_response(header(), code="RE", reference=Reference("env-1"))
    assert {f.rule for f in fatal(check_message_level_response(etree.fromstring(mlr)))} == {"EUGEN-T71-R007"}
    wrong_kind = etree.fromstring(mlr)
    assert "PEPPOL-T111-R003" in {f.rule for f in check_invoice_response(wrong_kind)}


# (responses so far as (code, reasons), the new code, allowed, the rule that refuses it)
ORDER = [
    ([], "AB", True, None),
    ([], "PD", True, None),  # any status may come first
    ([("AB", ())], "IP", True, None),
    ([("AB", ())], "AB", False, "OP-BR111-R012"),
    ([("AB", ()), ("IP", ())], "AB", False, "OP-BR111-R012"),
    ([("UQ", ("REF",))], "UQ", True, None),  # under query may repeat
    ([("CA", ("PRI",))], "UQ", False, "OP-BR111-R012"),
    ([("CA", ("PRI",))], "AP", True, None),
    ([("RE", ("REF",))], "AP", False, "OP-BR111-R004"),  # rejected is final
    ([("AP", ())], "RE", False, "OP-BR111-R005"),  # after accepted only paid
    ([("AP", ())], "UQ", False, "OP-BR111-R005"),
    ([("AP", ())], "PD", True, None),
    ([("PD", ())], "PD", False, "OP-BR111-R004"),  # fully paid is final
    ([("PD", ("PPD",))], "PD", True, None),  # partially paid: more payments follow
    ([("PD", ("PPD",))], "AP", False, "OP-BR111-R012"),
    ([], "XX", False, "PEPPOL-T111-CL"),
]


@pytest.mark.parametrize("history, code, allowed, rule", ORDER)
def test_status_order(history, code, allowed, rule):
    decision = next_status(history, code)
    assert decision.allowed is allowed
    assert [f.rule for f in decision.findings] == ([rule] if rule else [])


CLARIFICATIONS = [
    ("RE", (), ["PEPPOL-T111-R001"]),
    ("UQ", (), ["PEPPOL-T111-R001"]),
    ("CA", (), ["PEPPOL-T111-R001"]),
    ("AP", (), []),
    ("RE", (Clarification("OPStatusReason", "REF"),), []),
    ("RE", (Clarification("OPStatusReason", "NIN"),), ["PEPPOL-T111-R007"]),  # NIN is an action, not a reason
    ("RE", (Clarification("OPStatusAction", "REF"),), ["PEPPOL-T111-R006"]),
    ("RE", (Clarification("Other", "REF"),), ["PEPPOL-T111-B03303"]),
    ("PD", (Clarification("OPStatusReason", "PPD"),), ["PEPPOL-T111-R004"]),
    ("AP", (Clarification("OPStatusReason", "PPD", "half"),), ["PEPPOL-T111-R005"]),
    ("PD", (Clarification("OPStatusReason", "PPD", "half paid"),), []),
]


@pytest.mark.parametrize("code, clarifications, rules", CLARIFICATIONS)
def test_clarifications(code, clarifications, rules):
    assert [f.rule for f in fatal(clarifications_problems(code, clarifications))] == rules


def test_oth_without_text_is_a_warning():
    found = clarifications_problems("UQ", (Clarification("OPStatusReason", "OTH"),))
    assert [(f.rule, f.severity.value) for f in found] == [("PEPPOL-T111-R002", "warning")]
