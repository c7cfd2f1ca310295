"""The one pass over the document and the rule engine's shortcuts: every element is seen, and a rule's condition
never hides one of its findings."""
import pytest

from openftz.einvoice import ubl_cr
from openftz.einvoice.parse import parse
from openftz.einvoice.rules import GROUPS, REGISTRY, _members, _table_member, check, finding, rules_of

from .test_examples import DOCUMENTS
from .vefa import cases

COMPONENTS = ('xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
              'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" '
              'xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"')
NS = f'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" {COMPONENTS}'


def invoice(body: str):
    return parse(f"<Invoice {NS}>{body}</Invoice>".encode())


def nested(key: str, attribute: str = "") -> str:
    """The elements of a positionless path, one inside the other, the innermost with some text (and an attribute)."""
    names = key.split("/")
    inner = f'<{names[-1]} {attribute}="x">' if attribute else f"<{names[-1]}>"
    return "".join(f"<{n}>" for n in names[:-1]) + inner + "x" + "".join(f"</{n}>" for n in reversed(names))


def document(key: str, attribute: str = ""):
    kind = "CreditNote" if key.startswith("cac:CreditNoteLine/") else "Invoice"
    return kind, parse(f'<{kind} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{kind}-2" {COMPONENTS}>'
                       f"{nested(key, attribute)}</{kind}>".encode())


def test_elements_under_a_basic_element_are_still_checked():
    """A basic (cbc:) element has no children in UBL; if it has some, they are still validated."""
    inv = invoice("<cac:AccountingSupplierParty><cac:Party><cac:PostalAddress><cbc:PostalZone>1"
                  "<cac:Country><cbc:IdentificationCode>XX</cbc:IdentificationCode></cac:Country>"
                  "</cbc:PostalZone></cac:PostalAddress></cac:Party></cac:AccountingSupplierParty>")
    assert [f["path"] for f in check(inv, "en16931") if f["rule"] == "BR-CL-14"] == [
        "/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cbc:PostalZone/cac:Country/cbc:IdentificationCode"]


def test_a_second_delivery_address_is_still_checked():
    inv = invoice("<cac:Delivery><cac:DeliveryLocation><cac:Address><cac:Country><cbc:IdentificationCode>DE"
                  "</cbc:IdentificationCode></cac:Country></cac:Address></cac:DeliveryLocation>"
                  "<cac:DeliveryLocation><cac:Address><cac:Country><cbc:IdentificationCode>XX"
                  "</cbc:IdentificationCode></cac:Country></cac:Address></cac:DeliveryLocation></cac:Delivery>")
    assert inv.deliveries[0].address.country.text == "DE"  # the model keeps the first (BG-15 is 0..1)
    assert [f["path"] for f in check(inv, "en16931") if f["rule"] == "BR-CL-14"] == [
        "/Invoice/cac:Delivery/cac:DeliveryLocation[2]/cac:Address/cac:Country/cbc:IdentificationCode"]


def unconditional(inv, ruleset: str) -> list[dict]:
    """Every rule run whatever its condition, in rule order: what check() must give."""
    out = [finding(r, path) for r in rules_of(ruleset) if r.check is not _table_member for path in r.check(inv)]
    for rs, group in GROUPS:
        if rs in _members(ruleset):
            out += [finding(REGISTRY[rule_id], path) for rule_id, path in group(inv)]
    return out


DOCS = [c.document for c in cases()] + [p.read_bytes() for p in DOCUMENTS]


@pytest.mark.parametrize("ruleset", ["en16931", "peppol"])
def test_conditions_never_hide_a_finding(ruleset):
    """On the official unit tests and examples (many of them broken on purpose), skipping the rules whose
    condition fails and putting the findings back in rule order gives exactly the findings of running them all."""
    for data in DOCS:
        inv = parse(data)
        assert check(inv, ruleset) == unconditional(inv, ruleset)


# Places the model reads and places it does not, for the rows that match at any depth or on any element.
MODEL_PLACES = ("cbc:ID", "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID",
                "cac:InvoiceLine/cac:Item/cac:SellersItemIdentification/cbc:ID")
OTHER_PLACES = ("cbc:UUID", "cac:InvoiceLine/cac:Item/cbc:PackQuantity")


def _places(row: ubl_cr.Row) -> tuple[str, ...]:
    if row.path == "/":
        return MODEL_PLACES + OTHER_PLACES
    if row.path.startswith("//"):  # at the root, and under a line, where the model reads some of them
        return row.path[2:], "cac:InvoiceLine/" + row.path[2:]
    return row.keys


def _reported(rule: str, key: str, attribute: str = "") -> bool:
    kind, inv = document(key, attribute)
    return f"/{kind}/{key}" in [f["path"] for f in check(inv, "en16931") if f["rule"] == rule]


@pytest.mark.parametrize("row", [r for r in ubl_cr.rows() if not r.attribute], ids=lambda r: r.id)
def test_every_element_the_ubl_cr_table_names_is_reported(row):
    """The walk records where an element first occurs only for the elements the model does not read and for the
    places of the model that a UBL-CR row names: each row still fires at its element, wherever it may be."""
    assert all(_reported(row.id, key) for key in _places(row))


@pytest.mark.parametrize("row", [r for r in ubl_cr.rows() if r.attribute], ids=lambda r: r.id)
def test_every_attribute_the_ubl_cr_table_names_is_reported(row):
    """Of the attributes at a place the model reads, only those a rule can be about there are recorded: each row
    still fires at the element that carries its attribute."""
    assert all(_reported(row.id, key, row.attribute) for key in _places(row))


@pytest.mark.parametrize("attribute", [a for a in ubl_cr.ATTRIBUTE_RULES if a != "name"])
def test_every_attribute_a_data_type_rule_is_about_is_reported(attribute):
    assert all(_reported(ubl_cr.ATTRIBUTE_RULES[attribute], key, attribute) for key in MODEL_PLACES + OTHER_PLACES)


def test_a_name_outside_payment_means_is_reported():
    for key in MODEL_PLACES + OTHER_PLACES:
        kind, inv = document(key, "name")
        assert [f["path"] for f in check(inv, "en16931") if f["rule"] == "UBL-DT-18"] == [f"/{kind}"]
