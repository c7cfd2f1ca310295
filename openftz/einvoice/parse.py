"""Safe parsing of UBL 2.1 Invoice and CreditNote documents into the EN 16931 model (解析).

One parse with a hardened lxml parser (no DTD, no entities, no network, no huge trees, a size limit), then ONE pass
over the tree. What the model reads of each aggregate is declared as a :class:`_Shape` (child name → what to do
with it); at import the shapes are compiled into a tree of :class:`_Node`, one per place in a document that the
model reads, carrying its Clark tag, positionless key and syntax facts, so that the walk does one dictionary look-up
per element and computes nothing it could know in advance. The same pass records the syntax facts that the syntax
and code list rules read (decimals, coded values, empty elements) for every element, whether the model reads it or
not, and where an element or attribute first occurs for every element the model does not read and, at the places
the model reads, for those the UBL-CR and UBL-DT rules can be about there (the only ones they ask about).

The pass is :class:`_Walk`, over lxml's elements; where a C compiler built it, ``_walk.Walk`` does the same over
libxml2's nodes, without making an lxml proxy per element, and is used instead (``WALK``). Both are tested to build
the same model.
"""
from __future__ import annotations

import inspect

from lxml import etree

from openftz.core.errors import InvalidInput

from . import ubl_cr
from .model import (
    Address, AllowanceCharge, Attachment, BillingReference, CardAccount, Contact, Delivery, DocumentReference,
    FinancialAccount, Invoice, Item, ItemProperty, Line, Mandate, Party, PartyTaxScheme,
    PaymentMeans, Period, Price, Syntax, TaxCategory, TaxSubtotal, TaxTotal, Totals, Value,
)

NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDITNOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
ROOTS = {f"{{{NS_INVOICE}}}Invoice": "Invoice", f"{{{NS_CREDITNOTE}}}CreditNote": "CreditNote"}
_PREFIX = {NS_CBC: "cbc:", NS_CAC: "cac:", NS_EXT: "ext:"}

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class UnreadableDocument(InvalidInput):
    """The bytes are not a UBL invoice or credit note that can be read safely; ``rule`` names the check."""

    code = "unreadable_document"

    def __init__(self, rule: str, message_zh: str, message_en: str, **kw):
        super().__init__(message_zh, message_en, details={"rule": rule}, **kw)
        self.rule = rule


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_pis=False, collect_ids=False)


_PARSER = _parser()
# An entity can only be declared inside a DOCTYPE, and a DOCTYPE only before the root element: the usual prolog is
# refused before parsing; one that starts further in is refused after the (entity-free) parse by the docinfo check.
# Scanning the whole document for "<!ENTITY" would cost a third of the parse of a document with attachments.
_PROLOG_BYTES = 4096


def parse_xml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """The root element of ``data``; UnreadableDocument for anything too large, not XML, or with a DOCTYPE."""
    if len(data) > max_bytes:
        raise UnreadableDocument("OPENFTZ-SIZE", f"文件超过 {max_bytes} 字节上限", f"the document exceeds the limit of {max_bytes} bytes")
    if data.find(b"<!", 0, _PROLOG_BYTES) >= 0 and (data.find(b"<!DOCTYPE", 0, _PROLOG_BYTES) >= 0
                                                    or data.find(b"<!ENTITY", 0, _PROLOG_BYTES) >= 0):
        raise UnreadableDocument("OPENFTZ-XML", "文件含有 DOCTYPE 或实体声明，拒绝处理", "the document has a DOCTYPE or an entity declaration; refused")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnreadableDocument("OPENFTZ-XML", f"不是格式良好的 XML: {exc}", f"not well-formed XML: {exc}") from None
    except ValueError as exc:  # e.g. a str with an encoding declaration
        raise UnreadableDocument("OPENFTZ-XML", f"无法读取 XML: {exc}", f"cannot read the XML: {exc}") from None
    if root is None:
        raise UnreadableDocument("OPENFTZ-XML", "文件为空", "the document is empty")
    if root.getroottree().docinfo.doctype:
        raise UnreadableDocument("OPENFTZ-XML", "文件含有 DOCTYPE，拒绝处理", "the document has a DOCTYPE; refused")
    return root


def parse(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Invoice:
    """Parse a UBL 2.1 Invoice or CreditNote into the EN 16931 model."""
    return build(parse_xml(data, max_bytes=max_bytes))


def build(root: etree._Element, *, walker=None) -> Invoice:
    """The model of a parsed document; ``walker`` is the walk class (by default the compiled one where built)."""
    kind = ROOTS.get(root.tag) if isinstance(root.tag, str) else None
    if kind is None:
        raise UnreadableDocument("OPENFTZ-ROOT", "根元素不是 UBL 2.1 Invoice 或 CreditNote",
                                 f"the root element is not a UBL 2.1 Invoice or CreditNote: {root.tag!s:.120}")
    return _document(root, kind, walker or WALK)


def _document(root, kind: str, walker) -> Invoice:
    """The model of the document under ``root`` (an ``Invoice`` or ``CreditNote``), read by one pass of ``walker``."""
    path = f"/{kind}"
    shape = _ROOTS[kind]
    index = shape.index
    fields = shape.blank.copy()
    fields[index["kind"]], fields[index["path"]] = kind, path
    walk = walker()
    walk.top(root, path, kind, fields)
    for i in shape.tuples:
        if fields[i].__class__ is list:
            fields[i] = tuple(fields[i])
    if kind == "CreditNote" and fields[index["due_date"]] is None:
        due = next((d for m in fields[index["payment_means"]] for d in m.due_dates), None)
        if due is not None:
            fields[index["due_date"]] = due
    fields[index["syntax"]] = Syntax(walk.elements, walk.attributes, tuple(walk.decimals), tuple(walk.binaries),
                                     tuple(walk.empties), {k: tuple(v) for k, v in walk.codes.items()},
                                     walk.names, walk.attribute_names)
    return Invoice(*fields)


# Where coded values are collected wherever they occur (the contexts of the code list rules): by element name,
# or by (parent name, element name).
_SITE_BY_NAME = {
    "cbc:InvoiceTypeCode": "type_code", "cbc:CreditNoteTypeCode": "type_code",
    "cbc:DocumentCurrencyCode": "document_currency", "cbc:TaxCurrencyCode": "tax_currency",
    "cbc:TaxExemptionReasonCode": "exemption_code", "cbc:EmbeddedDocumentBinaryObject": "mime",
    "cbc:EndpointID": "endpoint", "cbc:InvoicedQuantity": "unit", "cbc:BaseQuantity": "unit",
    "cbc:CreditedQuantity": "unit", "cbc:UBLVersionID": "ubl_version",
    "cac:TaxSubtotal": "tax_subtotal",  # PEPPOL-EN16931-R051: the TaxTotals with a breakdown, wherever they are
}
for _n in ("IssueDate", "DueDate", "TaxPointDate", "StartDate", "EndDate", "ActualDeliveryDate"):
    _SITE_BY_NAME["cbc:" + _n] = "date"  # PEPPOL-EN16931-F001
for _n in ("Amount", "BaseAmount", "PriceAmount", "TaxAmount", "TaxableAmount", "LineExtensionAmount",
           "TaxExclusiveAmount", "TaxInclusiveAmount", "AllowanceTotalAmount", "ChargeTotalAmount", "PrepaidAmount",
           "PayableRoundingAmount", "PayableAmount"):
    _SITE_BY_NAME["cbc:" + _n] = "currency"
_SITE_BY_PAIR = {
    ("cac:InvoicePeriod", "cbc:DescriptionCode"): "period_code",
    ("cac:PartyIdentification", "cbc:ID"): "party_id",
    ("cac:PartyLegalEntity", "cbc:CompanyID"): "legal_id",
    ("cac:PartyTaxScheme", "cbc:CompanyID"): "tax_company_id",
    ("cac:CommodityClassification", "cbc:ItemClassificationCode"): "classification",
    ("cac:Country", "cbc:IdentificationCode"): "country",
    ("cac:OriginCountry", "cbc:IdentificationCode"): "origin_country",
    ("cac:PaymentMeans", "cbc:PaymentMeansCode"): "payment_means",
    ("cac:TaxCategory", "cbc:ID"): "tax_category",
    ("cac:ClassifiedTaxCategory", "cbc:ID"): "tax_category_line",
    ("cac:StandardItemIdentification", "cbc:ID"): "standard_id",
    ("cac:DeliveryLocation", "cbc:ID"): "delivery_location",
}
_NO_ATTRIBUTES: dict = {}  # shared by every element without attributes; never written to


class _Facts:
    """What the syntax rules need to know of every element of one name (computed once per name)."""

    __slots__ = ("amount", "binary", "site", "sites_by_parent")

    def __init__(self, name: str):
        self.amount = name.endswith("Amount") and not name.endswith("PriceAmount")  # UBL-DT-01 looks at it
        self.binary = name.endswith("BinaryObject")
        self.site = _SITE_BY_NAME.get(name)
        self.sites_by_parent = {parent: site for (parent, child), site in _SITE_BY_PAIR.items() if child == name} or None


_NAMES: dict[str, tuple[str, _Facts | None]] = {}  # Clark tag → (prefixed name, facts or None); UBL names only
_NAMES_LIMIT = 4096  # names outside the UBL vocabulary are not kept, so a hostile document cannot grow the table


def _facts_of(name: str) -> _Facts | None:
    """The syntax facts of elements named ``name``, or None when no syntax rule reads anything of them."""
    facts = _Facts(name)
    return facts if (facts.amount or facts.binary or facts.site or facts.sites_by_parent) else None


def _name(tag: str) -> tuple[str, _Facts | None]:
    ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    prefix = _PREFIX.get(ns)
    name = prefix + local if prefix else (f"{{{ns}}}{local}" if ns else local)
    entry = (name, _facts_of(name))
    if prefix and len(_NAMES) < _NAMES_LIMIT:
        _NAMES[tag] = entry
    return entry


# — what the model reads: one shape per aggregate ——————————————————————————————————————————————————————————————
FIRST, MANY, ONE, ALL, INNER = range(5)


class _Shape:
    """How the model reads one aggregate: ``actions`` maps a child's name to (what, field, shape) where what is
    FIRST (the first such leaf is the field), MANY (every such leaf, in order), ONE / ALL (the first / every such
    aggregate, built by its own shape) or INNER (an aggregate the model flattens: its children are read with the
    inner shape's actions into the same fields, and ``field``, when given, counts its occurrences).
    ``cls`` builds the model object from the collected fields; ``has_children`` names a field set to True when the
    element has any child element.

    The walk collects the fields of one object in a list, in the order of ``cls``'s parameters (``blank`` holds
    their defaults, which are plain values: no default factories), and builds it with one positional call, which
    costs about half a call by keywords: ``index`` gives each field's position (``has_children`` is kept as one),
    ``names`` are the fields collected as lists and ``tuples`` their positions, passed on as tuples."""

    __slots__ = ("cls", "actions", "names", "has_children", "index", "blank", "tuples")

    def __init__(self, cls, actions: dict, *, has_children: str | None = None):
        self.cls = cls
        self.actions = actions
        self.names = tuple(f for what, f, _s in actions.values() if what in (MANY, ALL))
        for what, _f, inner in actions.values():
            if what == INNER:
                self.names += inner.names
        if cls is not None:
            params = list(inspect.signature(cls).parameters.values())
            self.index = {p.name: i for i, p in enumerate(params)}
            self.blank = [None if p.default is inspect.Parameter.empty else p.default for p in params]
            self.tuples = tuple(self.index[name] for name in self.names)
        self.has_children = self.index[has_children] if has_children is not None else None


def first(name: str):
    return (FIRST, name, None)


def many(name: str):
    return (MANY, name, None)


def one(name: str, shape: _Shape):
    return (ONE, name, shape)


def all_of(name: str, shape: _Shape):
    return (ALL, name, shape)


def inner(actions: dict, count: str | None = None):
    return (INNER, count, _Shape(None, actions))


def _invoice_reference(path: str, id: Value | None = None, issue_date: Value | None = None):
    return (id, issue_date)  # BillingReference.invoice_refs holds (BT-25, BT-26) pairs


_TAX_CATEGORY = _Shape(TaxCategory, {
    "cbc:ID": first("code"), "cbc:Percent": first("rate"), "cbc:TaxExemptionReason": many("exemption_reasons"),
    "cbc:TaxExemptionReasonCode": first("exemption_reason_code"), "cac:TaxScheme": inner({"cbc:ID": first("scheme")}),
})
_ADDRESS = _Shape(Address, {
    "cbc:StreetName": first("street"), "cbc:AdditionalStreetName": first("additional_street"),
    "cbc:CityName": first("city"), "cbc:PostalZone": first("postal_zone"), "cbc:CountrySubentity": first("subdivision"),
    "cac:AddressLine": inner({"cbc:Line": many("lines")}, count="address_line_count"),
    "cac:Country": inner({"cbc:IdentificationCode": first("country")}),
})
_PERIOD = _Shape(Period, {"cbc:StartDate": first("start"), "cbc:EndDate": first("end"),
                          "cbc:DescriptionCode": many("description_codes")}, has_children="has_children")
_PARTY = _Shape(Party, {
    "cbc:EndpointID": first("endpoint"),
    "cac:PartyIdentification": inner({"cbc:ID": many("identifiers")}),
    "cac:PartyName": inner({"cbc:Name": many("names")}),
    "cac:PostalAddress": one("address", _ADDRESS),
    "cac:PartyTaxScheme": all_of("tax_schemes", _Shape(PartyTaxScheme, {
        "cbc:CompanyID": first("company_id"), "cac:TaxScheme": inner({"cbc:ID": first("scheme")})})),
    "cac:PartyLegalEntity": inner({"cbc:RegistrationName": many("registration_names"), "cbc:CompanyID": many("legal_ids"),
                                   "cbc:CompanyLegalForm": many("legal_forms")}),
    "cac:Contact": one("contact", _Shape(Contact, {"cbc:Name": first("name"), "cbc:Telephone": first("telephone"),
                                                   "cbc:ElectronicMail": first("email")})),
})
_DOCUMENT_REFERENCE = _Shape(DocumentReference, {
    "cbc:ID": first("id"), "cbc:DocumentTypeCode": first("type_code"), "cbc:DocumentDescription": many("descriptions"),
    "cac:Attachment": one("attachment", _Shape(Attachment, {
        "cbc:EmbeddedDocumentBinaryObject": first("embedded"),
        "cac:ExternalReference": inner({"cbc:URI": first("external_uri")})})),
})
_ALLOWANCE_CHARGE = _Shape(AllowanceCharge, {
    "cbc:ChargeIndicator": first("indicator"), "cbc:Amount": first("amount"), "cbc:BaseAmount": first("base_amount"),
    "cbc:MultiplierFactorNumeric": first("percentage"), "cbc:AllowanceChargeReason": many("reasons"),
    "cbc:AllowanceChargeReasonCode": many("reason_codes"), "cac:TaxCategory": all_of("tax_categories", _TAX_CATEGORY),
})
_ITEM = _Shape(Item, {
    "cbc:Name": many("names"), "cbc:Description": many("descriptions"),
    "cac:SellersItemIdentification": inner({"cbc:ID": first("sellers_id")}),
    "cac:BuyersItemIdentification": inner({"cbc:ID": first("buyers_id")}),
    "cac:StandardItemIdentification": inner({"cbc:ID": many("standard_ids")}),
    "cac:CommodityClassification": inner({"cbc:ItemClassificationCode": many("classifications")}),
    "cac:OriginCountry": inner({"cbc:IdentificationCode": first("origin_country")}),
    "cac:ClassifiedTaxCategory": all_of("tax_categories", _TAX_CATEGORY),
    "cac:AdditionalItemProperty": all_of("properties", _Shape(ItemProperty, {"cbc:Name": first("name"),
                                                                             "cbc:Value": first("value")})),
})
_LINE = _Shape(Line, {
    "cbc:ID": first("id"), "cbc:Note": many("notes"),
    "cbc:InvoicedQuantity": first("quantity"), "cbc:CreditedQuantity": first("quantity"),
    "cbc:LineExtensionAmount": first("net_amount"), "cbc:AccountingCost": first("accounting_cost"),
    "cac:InvoicePeriod": all_of("periods", _PERIOD),
    "cac:OrderLineReference": inner({"cbc:LineID": many("order_line_ids")}),
    "cac:DocumentReference": all_of("document_references", _DOCUMENT_REFERENCE),
    "cac:AllowanceCharge": all_of("allowances_charges", _ALLOWANCE_CHARGE),
    "cac:Item": one("item", _ITEM),
    "cac:Price": one("price", _Shape(Price, {"cbc:PriceAmount": first("amount"), "cbc:BaseQuantity": first("base_quantity"),
                                             "cac:AllowanceCharge": all_of("allowances", _ALLOWANCE_CHARGE)})),
})
_ROOT_ACTIONS = {
    "cbc:CustomizationID": first("customization_id"), "cbc:ProfileID": first("profile_id"), "cbc:ID": first("number"),
    "cbc:IssueDate": first("issue_date"), "cbc:DueDate": first("due_date"),
    "cbc:InvoiceTypeCode": first("type_code"), "cbc:CreditNoteTypeCode": first("type_code"),
    "cbc:TaxPointDate": first("tax_point_date"), "cbc:DocumentCurrencyCode": first("currency"),
    "cbc:AccountingCost": first("accounting_cost"), "cbc:BuyerReference": first("buyer_reference"),
    "cbc:Note": many("notes"), "cbc:TaxCurrencyCode": many("tax_currency"),
    "cac:InvoicePeriod": all_of("periods", _PERIOD),
    "cac:OrderReference": inner({"cbc:ID": first("order_id"), "cbc:SalesOrderID": first("sales_order_id")}),
    "cac:BillingReference": all_of("billing_references", _Shape(BillingReference, {
        "cac:InvoiceDocumentReference": all_of("invoice_refs", _Shape(_invoice_reference, {
            "cbc:ID": first("id"), "cbc:IssueDate": first("issue_date")}))})),
    "cac:DespatchDocumentReference": inner({"cbc:ID": many("despatch_ids")}),
    "cac:ReceiptDocumentReference": inner({"cbc:ID": many("receipt_ids")}),
    "cac:OriginatorDocumentReference": inner({"cbc:ID": many("originator_ids")}),
    "cac:ContractDocumentReference": inner({"cbc:ID": many("contract_ids")}),
    "cac:ProjectReference": inner({"cbc:ID": many("project_ids")}),
    "cac:AdditionalDocumentReference": all_of("additional_documents", _DOCUMENT_REFERENCE),
    "cac:AccountingSupplierParty": inner({"cac:Party": one("seller", _PARTY)}),
    "cac:AccountingCustomerParty": inner({"cac:Party": one("buyer", _PARTY)}),
    "cac:PayeeParty": one("payee", _PARTY),
    "cac:TaxRepresentativeParty": one("tax_representative", _PARTY),
    "cac:Delivery": all_of("deliveries", _Shape(Delivery, {
        "cbc:ActualDeliveryDate": first("actual_date"),
        "cac:DeliveryLocation": inner({"cbc:ID": first("location_id"), "cac:Address": one("address", _ADDRESS)}),
        "cac:DeliveryParty": inner({"cac:PartyName": inner({"cbc:Name": many("party_names")})}),
    })),
    "cac:PaymentMeans": all_of("payment_means", _Shape(PaymentMeans, {
        "cbc:PaymentMeansCode": many("codes"), "cbc:PaymentDueDate": many("due_dates"),
        "cbc:PaymentID": many("payment_ids"),
        "cac:PayeeFinancialAccount": all_of("accounts", _Shape(FinancialAccount, {
            "cbc:ID": first("id"), "cbc:Name": first("name"),
            "cac:FinancialInstitutionBranch": inner({"cbc:ID": first("branch_id")})})),
        "cac:CardAccount": all_of("cards", _Shape(CardAccount, {
            "cbc:PrimaryAccountNumberID": first("primary_account_number"), "cbc:HolderName": first("holder")})),
        "cac:PaymentMandate": all_of("mandates", _Shape(Mandate, {
            "cbc:ID": many("ids"), "cac:PayerFinancialAccount": inner({"cbc:ID": first("payer_account")})})),
    })),
    "cac:PaymentTerms": inner({"cbc:Note": many("payment_terms")}),
    "cac:AllowanceCharge": all_of("allowances_charges", _ALLOWANCE_CHARGE),
    "cac:TaxTotal": all_of("tax_totals", _Shape(TaxTotal, {
        "cbc:TaxAmount": first("tax_amount"),
        "cac:TaxSubtotal": all_of("subtotals", _Shape(TaxSubtotal, {
            "cbc:TaxableAmount": first("taxable_amount"), "cbc:TaxAmount": first("tax_amount"),
            "cac:TaxCategory": all_of("categories", _TAX_CATEGORY)}))})),
    "cac:LegalMonetaryTotal": all_of("totals", _Shape(Totals, {
        "cbc:LineExtensionAmount": first("line_extension"), "cbc:AllowanceTotalAmount": first("allowance_total"),
        "cbc:ChargeTotalAmount": first("charge_total"), "cbc:TaxExclusiveAmount": first("tax_exclusive"),
        "cbc:TaxInclusiveAmount": first("tax_inclusive"), "cbc:PrepaidAmount": first("prepaid"),
        "cbc:PayableRoundingAmount": first("rounding"), "cbc:PayableAmount": first("payable")})),
}
# The lines are InvoiceLine in an invoice and CreditNoteLine in a credit note (the other name is not a line).
_ROOTS = {kind: _Shape(Invoice, {**_ROOT_ACTIONS, line: all_of("lines", _LINE)})
          for kind, line in (("Invoice", "cac:InvoiceLine"), ("CreditNote", "cac:CreditNoteLine"))}


class _Node:
    """One place in the tree that the model reads, compiled from the shapes for its context: the element's name,
    its positionless key, what the model does with it (``what``, ``field``, ``shape``), the nodes of its children,
    and the syntax facts of that place, so that the walk computes none of them per element."""

    __slots__ = ("name", "key", "inner_key", "what", "field", "shape", "children", "amount", "binary", "site",
                 "has_facts", "named", "attributes")  # ``field``: the position of the field in its object's list


_CLARK = {prefix: f"{{{ns}}}" for ns, prefix in _PREFIX.items()}
# The UBL-CR rows about an element are about elements EN 16931 does not use, which the model mostly does not read
# (those are recorded wherever they occur); the places the model reads that a row names are ``named``. Of the
# attributes of an element the model reads, only those a syntax rule can be about there are recorded
# (``attributes``).
_CR_ELEMENTS, _CR_ENDS = ubl_cr.element_places()


def _compile(shape: _Shape, key: str, parent: str, owner: _Shape) -> dict[str, _Node]:
    """The nodes of ``shape``'s children, by Clark tag, for an element named ``parent`` at ``key``; ``owner`` is
    the shape of the object their fields belong to (``shape`` itself, or the one an inner aggregate is part of)."""
    nodes = {}
    for name, (what, field, inner) in shape.actions.items():
        node = _Node()
        position = owner.index[field] if field is not None else None
        node.name, node.key, node.what, node.field, node.shape = name, key + name, what, position, inner
        node.inner_key = node.key + "/"
        node.named = node.key in _CR_ELEMENTS or any(node.key == e or node.key.endswith("/" + e) for e in _CR_ENDS)
        node.attributes = ubl_cr.attributes_at(node.key)
        facts = _Facts(name)
        node.amount = facts.amount and "cac:Price/cac:AllowanceCharge" not in node.key
        node.binary = facts.binary
        node.site = facts.site or (facts.sites_by_parent or {}).get(parent)
        node.has_facts = facts.amount or facts.binary or node.site is not None
        node.children = (_compile(inner, node.key + "/", name, owner if what == INNER else inner)
                         if inner is not None else None)
        prefix, _, local = name.partition(":")
        nodes[_CLARK[prefix + ":"] + local] = node
    return nodes


_ROOT_NODES = {kind: _compile(shape, "", kind, shape) for kind, shape in _ROOTS.items()}


class _Walk:
    """One pass over the tree, following the shapes; syntax facts recorded as each element is met. ``_walk.pyx``
    is the same pass compiled: a change to what this one does with an element is made there too."""

    __slots__ = ("elements", "names", "attributes", "attribute_names", "decimals", "binaries", "empties", "codes")

    def __init__(self):
        self.elements: dict[str, str] = {}
        self.names: set[str] = set()
        self.attributes: dict[str, str] = {}
        self.attribute_names: set[str] = set()
        self.decimals: list[Value] = []
        self.binaries: list[Value] = []
        self.empties: list[str] = []
        self.codes: dict[str, list[Value]] = {}

    def top(self, root, path: str, kind: str, fields: list) -> None:
        """Read the children of the root element into ``fields`` (the document's own)."""
        self.walk(root, path, "", kind, _ROOT_NODES[kind], fields)

    def walk(self, el, path: str, key: str, pname: str, nodes: dict[str, _Node], fields: list,
             has_children_field: int | None = None) -> None:
        """Read the children of ``el`` (named ``pname``, at ``path``; ``key`` is its positionless path with a final
        "/", or "" for the root) into ``fields`` as its ``nodes`` say, and record the syntax facts of each child and
        its subtree. This loop runs for nearly every element of every document: it is written for speed (an
        aggregate the model builds is built here rather than by a call, the paths are one concatenation, the
        syntax facts of a value are recorded inline)."""
        elements = self.elements
        counts: dict[str, int] = {}
        prefix = path + "/"
        for child in el:
            tag = child.tag
            node = nodes.get(tag)
            if node is None:
                if tag.__class__ is not str:  # comments and processing instructions
                    continue
                name, facts = _NAMES.get(tag) or _name(tag)
            else:
                name = node.name
            if name in counts:
                n = counts[name] = counts[name] + 1
                cpath = f"{prefix}{name}[{n}]"
            else:
                counts[name] = 1
                cpath = prefix + name
            if node is None:
                self.other(child, cpath, key + name, name, pname, facts)
                continue
            ckey = node.key
            if node.named and ckey not in elements:
                elements[ckey] = cpath
                self.names.add(name)
            items = child.items()
            attrs = self.attributes_of(ckey, cpath, items, node.attributes) if items else _NO_ATTRIBUTES
            what = node.what
            has_children = len(child)
            if what <= MANY or node.has_facts or not has_children:
                text = child.text or ""
                if not has_children and (not text or text.isspace()):
                    self.empties.append(cpath)
                if what <= MANY or node.has_facts:
                    value = Value(text, cpath, attrs)
                    if node.has_facts:
                        if node.amount:
                            if "." in text and len(text.partition(".")[2]) > 2:
                                self.decimals.append(value)
                        elif node.binary:
                            self.binaries.append(value)
                        site = node.site
                        if site is not None:
                            codes = self.codes.get(site)
                            if codes is None:
                                self.codes[site] = [value]
                            else:
                                codes.append(value)
                    if what <= MANY:
                        field = node.field
                        if what == FIRST:
                            if fields[field] is None:
                                fields[field] = value
                        else:
                            values = fields[field]
                            if values.__class__ is list:
                                values.append(value)
                            else:
                                fields[field] = [value]
                        if has_children:
                            self.rest(child, cpath, node.inner_key, name)
                        continue
            field = node.field
            if what == INNER:
                if field is not None:
                    fields[field] += 1
                if has_children:
                    self.walk(child, cpath, node.inner_key, name, node.children, fields)
                continue
            shape = node.shape
            sub = shape.blank.copy()
            sub[0] = cpath
            if has_children:
                self.walk(child, cpath, node.inner_key, name, node.children, sub, shape.has_children)
                for i in shape.tuples:
                    if sub[i].__class__ is list:
                        sub[i] = tuple(sub[i])
            obj = shape.cls(*sub)
            if what == ONE:
                if fields[field] is None:
                    fields[field] = obj
            else:
                objs = fields[field]
                if objs.__class__ is list:
                    objs.append(obj)
                else:
                    fields[field] = [obj]
        if has_children_field is not None and counts:
            fields[has_children_field] = True

    def rest(self, el, path: str, key: str, pname: str) -> None:
        """Record the syntax facts of the children of an element the model does not read, and of their subtrees."""
        counts: dict[str, int] = {}
        for child in el:
            tag = child.tag
            if tag.__class__ is not str:
                continue
            name, facts = _NAMES.get(tag) or _name(tag)
            if name in counts:
                n = counts[name] = counts[name] + 1
                cpath = f"{path}/{name}[{n}]"
            else:
                counts[name] = 1
                cpath = f"{path}/{name}"
            self.other(child, cpath, key + name, name, pname, facts)

    def other(self, child, cpath: str, ckey: str, name: str, pname: str, facts: _Facts | None) -> None:
        """The syntax facts of one element the model does not read (at this place), then of its subtree."""
        if ckey not in self.elements:
            self.elements[ckey] = cpath
            self.names.add(name)
        items = child.items()
        attrs = self.attributes_of(ckey, cpath, items) if items else _NO_ATTRIBUTES
        has_children = len(child)
        if facts is not None or not has_children:
            text = child.text or ""
            if not has_children and (not text or text.isspace()):
                self.empties.append(cpath)
            if facts is not None:
                site = facts.site
                if site is None and facts.sites_by_parent is not None:
                    site = facts.sites_by_parent.get(pname)
                self.record(Value(text, cpath, attrs), facts.amount and "cac:Price/cac:AllowanceCharge" not in ckey,
                            facts.binary, site)
        if has_children:
            self.rest(child, cpath, ckey + "/", name)

    def attributes_of(self, key: str, path: str, items: list, wanted: frozenset[str] | None = None) -> dict:
        """The attributes of an element as a dict; the first occurrence of each (of those ``wanted``, if given)
        recorded for the syntax rules."""
        attributes = self.attributes
        for a, _ in items:
            if wanted is not None and a not in wanted:
                continue
            akey = f"{key}@{a}"
            if akey not in attributes:
                attributes[akey] = path
                self.attribute_names.add(a)
        return dict(items)

    def record(self, value: Value, amount: bool, binary: bool, site: str | None) -> None:
        """An amount with more than two decimals (outside price discounts), a binary object, a coded value."""
        if amount:
            text = value.text
            if "." in text and len(text.partition(".")[2]) > 2:
                self.decimals.append(value)
        elif binary:
            self.binaries.append(value)
        if site is not None:
            codes = self.codes.get(site)
            if codes is None:
                self.codes[site] = [value]
            else:
                codes.append(value)


try:  # the same walk compiled over libxml2's nodes (``_walk.pyx``), where a C compiler built it
    from ._walk import Walk as CompiledWalk
except ImportError:  # pragma: no cover - only where no compiler was found at install
    CompiledWalk = None
WALK = CompiledWalk or _Walk
