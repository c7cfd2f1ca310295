"""Bad input: every document gets a clear finding or a result; nothing raises."""
import zlib

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from openftz.einvoice.validate import validate_bytes

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&xxe;</ID></Invoice>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>"""
LATE = b"<!--" + b"x" * 5000 + b"-->\n"  # a prolog longer than the part scanned before parsing
INVOICE = b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" ' \
          b'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>1</cbc:ID></Invoice>'


@pytest.mark.parametrize("data, rule", [
    (b"", "OPENFTZ-XML"),
    (b"not xml at all", "OPENFTZ-XML"),
    (zlib.compress(b"binary junk" * 100), "OPENFTZ-XML"),
    (INVOICE[:-20], "OPENFTZ-XML"),  # truncated
    (b"<Order xmlns='urn:oasis:names:specification:ubl:schema:xsd:Order-2'/>", "OPENFTZ-ROOT"),
    (b"<Invoice/>", "OPENFTZ-ROOT"),  # no UBL namespace
    (XXE, "OPENFTZ-XML"),
    (LAUGHS, "OPENFTZ-XML"),
    (LATE + XXE.partition(b"?>")[2], "OPENFTZ-XML"),
    (LATE + LAUGHS.partition(b"?>")[2], "OPENFTZ-XML"),
], ids=["empty", "text", "binary", "truncated", "wrong-root", "no-namespace", "xxe", "billion-laughs", "late-xxe",
        "late-billion-laughs"])
def test_unreadable_documents_get_one_clear_finding(data, rule):
    result = validate_bytes(data)
    assert result["valid"] is False and result["readable"] is False
    assert [f["rule"] for f in result["findings"]] == [rule]
    assert result["findings"][0]["message"]


def test_the_size_limit_is_checked_before_parsing():
    big = INVOICE.replace(b"<cbc:ID>1</cbc:ID>", b"<cbc:Note>" + b"x" * (100 * 1024 * 1024) + b"</cbc:Note>")
    result = validate_bytes(big)
    assert [f["rule"] for f in result["findings"]] == ["OPENFTZ-SIZE"]
    assert validate_bytes(INVOICE, max_bytes=10)["findings"][0]["rule"] == "OPENFTZ-SIZE"


def test_a_readable_partial_invoice_gets_rule_findings():
    result = validate_bytes(INVOICE)
    assert result["readable"] and not result["valid"]
    assert {"BR-01", "BR-16"} <= {f["rule"] for f in result["findings"]}


TAGS = ["cbc:ID", "cbc:IssueDate", "cbc:Note", "cbc:DocumentCurrencyCode", "cbc:TaxCurrencyCode", "cac:InvoiceLine",
        "cbc:LineExtensionAmount", "cac:TaxTotal", "cbc:TaxAmount", "cac:TaxSubtotal", "cbc:TaxableAmount",
        "cac:TaxCategory", "cbc:Percent", "cac:TaxScheme", "cac:AllowanceCharge", "cbc:ChargeIndicator", "cbc:Amount",
        "cbc:BaseAmount", "cbc:MultiplierFactorNumeric", "cac:LegalMonetaryTotal", "cbc:PayableAmount",
        "cbc:TaxInclusiveAmount", "cbc:TaxExclusiveAmount", "cac:AccountingSupplierParty", "cac:Party",
        "cac:PartyTaxScheme", "cbc:CompanyID", "cac:PostalAddress", "cac:Country", "cbc:IdentificationCode",
        "cac:Item", "cac:ClassifiedTaxCategory", "cac:Price", "cbc:PriceAmount", "cbc:BaseQuantity",
        "cbc:InvoicedQuantity", "cac:InvoicePeriod", "cbc:StartDate", "cbc:EndDate", "cac:PaymentMeans",
        "cbc:PaymentMeansCode", "cac:Delivery", "cbc:EndpointID", "cac:AdditionalDocumentReference",
        "cbc:EmbeddedDocumentBinaryObject", "cbc:CustomizationID", "cbc:ProfileID", "ext:UBLExtensions"]
VALUES = st.one_of(st.sampled_from(["", " ", "0", "-1", "1.005", "1e5", "NaN", "true", "false", "S", "E", "AE", "O",
                                    "VAT", "EUR", "2024-02-30", "2024-01-01", "DE123", "abc"]),
                   st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<&\ufffe\uffff"), max_size=8))
ATTRS = st.dictionaries(st.sampled_from(["currencyID", "unitCode", "schemeID", "listID", "mimeCode", "name"]),
                        st.sampled_from(["EUR", "XXX", "", "0088", "C62", "application/pdf"]), max_size=2)


def _xml_escape(text: str) -> str:
    return text.replace(">", "&gt;").replace('"', "&quot;")


@st.composite
def trees(draw, depth=0):
    tag = draw(st.sampled_from(TAGS))
    attrs = "".join(f' {k}="{_xml_escape(v)}"' for k, v in draw(ATTRS).items())
    if depth < 4 and draw(st.booleans()):
        inner = "".join(draw(st.lists(trees(depth=depth + 1), max_size=4)))
    else:
        inner = _xml_escape(draw(VALUES))
    return f"<{tag}{attrs}>{inner}</{tag}>"


@given(st.lists(trees(), max_size=6), st.sampled_from(["Invoice", "CreditNote"]), st.sampled_from(["auto", "en16931", "peppol"]))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_documents_never_raise(children, root, rules):
    data = (f'<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2" '
            'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
            'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" '
            'xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2">'
            + "".join(children) + f"</{root}>").encode()
    result = validate_bytes(data, rules=rules)
    assert result["readable"] is True
    assert result["valid"] == (not any(f["severity"] == "fatal" for f in result["findings"]))
    for f in result["findings"]:
        assert f["rule"] and f["severity"] in ("fatal", "warning") and f["path"].startswith(f"/{root}")


@given(st.binary(max_size=300))
@settings(max_examples=200, deadline=None)
def test_random_bytes_never_raise(data):
    result = validate_bytes(data)
    assert isinstance(result["valid"], bool)
