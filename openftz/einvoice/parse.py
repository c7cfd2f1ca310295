"""Safe parsing of UBL 2.1 Invoice and CreditNote documents into the EN 16931 model (解析).

One parse with a hardened lxml parser (no DTD, no entities, no network, no huge trees, a size limit), then ONE pass
over the tree: each builder iterates its element's children and dispatches on the tag, and the same pass records the
syntax facts (element paths, attributes, decimals, coded values) that the syntax and code list rules read.
"""
from __future__ import annotations

from lxml import etree

from openftz.core.errors import InvalidInput

from .model import (
    Address, AllowanceCharge, Attachment, BillingReference, CardAccount, Contact, Delivery, DocumentReference,
    FinancialAccount, Invoice, Item, ItemProperty, Line, Mandate, Party, PartyTaxScheme, PaymentMeans, Period, Price,
    Syntax, TaxCategory, TaxSubtotal, TaxTotal, Totals, Value,
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


def parse_xml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """The root element of ``data``; UnreadableDocument for anything too large, not XML, or with a DOCTYPE."""
    if len(data) > max_bytes:
        raise UnreadableDocument("OPENFTZ-SIZE", f"文件超过 {max_bytes} 字节上限", f"the document exceeds the limit of {max_bytes} bytes")
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
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


def build(root: etree._Element) -> Invoice:
    kind = ROOTS.get(root.tag) if isinstance(root.tag, str) else None
    if kind is None:
        raise UnreadableDocument("OPENFTZ-ROOT", "根元素不是 UBL 2.1 Invoice 或 CreditNote",
                                 f"the root element is not a UBL 2.1 Invoice or CreditNote: {root.tag!s:.120}")
    return _Walk().document(root, kind)


# Where coded values are collected wherever they occur (the contexts of the code list rules): by element name,
# or by (parent name, element name).
_SITE_BY_NAME = {
    "cbc:InvoiceTypeCode": "type_code", "cbc:CreditNoteTypeCode": "type_code",
    "cbc:DocumentCurrencyCode": "document_currency", "cbc:TaxCurrencyCode": "tax_currency",
    "cbc:TaxExemptionReasonCode": "exemption_code", "cbc:EmbeddedDocumentBinaryObject": "mime",
    "cbc:EndpointID": "endpoint", "cbc:InvoicedQuantity": "unit", "cbc:BaseQuantity": "unit",
    "cbc:CreditedQuantity": "unit", "cbc:UBLVersionID": "ubl_version",
}
for _n in ("Amount", "BaseAmount", "PriceAmount", "TaxAmount", "TaxableAmount", "LineExtensionAmount",
           "TaxExclusiveAmount", "TaxInclusiveAmount", "AllowanceTotalAmount", "ChargeTotalAmount", "PrepaidAmount",
           "PayableRoundingAmount", "PayableAmount"):
    _SITE_BY_NAME["cbc:" + _n] = "currency"
_SITE_BY_PAIR = {
    ("cac:InvoicePeriod", "cbc:DescriptionCode"): "period_code",
    ("cac:PartyIdentification", "cbc:ID"): "party_id",
    ("cac:PartyLegalEntity", "cbc:CompanyID"): "legal_id",
    ("cac:CommodityClassification", "cbc:ItemClassificationCode"): "classification",
    ("cac:Country", "cbc:IdentificationCode"): "country",
    ("cac:OriginCountry", "cbc:IdentificationCode"): "origin_country",
    ("cac:PaymentMeans", "cbc:PaymentMeansCode"): "payment_means",
    ("cac:TaxCategory", "cbc:ID"): "tax_category",
    ("cac:ClassifiedTaxCategory", "cbc:ID"): "tax_category_line",
    ("cac:StandardItemIdentification", "cbc:ID"): "standard_id",
    ("cac:DeliveryLocation", "cbc:ID"): "delivery_location",
}
_NAMES: dict[str, str] = {}
_NO_ATTRIBUTES: dict = {}  # shared by every element without attributes; never written to


def _name(tag: str) -> str:
    name = _NAMES.get(tag)
    if name is None:
        ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        prefix = _PREFIX.get(ns)
        name = prefix + local if prefix else (f"{{{ns}}}{local}" if ns else local)
        _NAMES[tag] = name
    return name


class _Walk:
    """One pass over the tree: builders per aggregate, syntax facts recorded as each element is met."""

    __slots__ = ("elements", "attributes", "decimals", "binaries", "empties", "codes")

    def __init__(self):
        self.elements: dict[str, str] = {}
        self.attributes: dict[str, str] = {}
        self.decimals: list[Value] = []
        self.binaries: list[Value] = []
        self.empties: list[str] = []
        self.codes: dict[str, list[Value]] = {}

    def children(self, el, path: str, key: str, pname: str):
        """(name, value, element, path, key) for each element child of ``el``, recording what the syntax rules
        need. Aggregates (cac:) get no value of their own: their builders read their children."""
        counts: dict[str, int] = {}
        elements = self.elements
        attributes = self.attributes
        for child in el:
            tag = child.tag
            if tag.__class__ is not str:  # comments and processing instructions
                continue
            name = _NAMES.get(tag) or _name(tag)
            n = counts.get(name, 0) + 1
            counts[name] = n
            cpath = f"{path}/{name}" if n == 1 else f"{path}/{name}[{n}]"
            ckey = f"{key}/{name}" if key else name
            if ckey not in elements:
                elements[ckey] = cpath
            text = child.text or ""
            items = child.items()
            if items:
                attrs = dict(items)
                for a, _ in items:
                    akey = f"{ckey}@{a}"
                    if akey not in attributes:
                        attributes[akey] = cpath
            else:
                attrs = _NO_ATTRIBUTES
            if len(child):
                value = None if name.startswith("cac:") else Value(text, cpath, attrs)
            else:
                value = Value(text, cpath, attrs)
                if not text or text.isspace():
                    self.empties.append(cpath)
            if name.endswith("Amount"):
                if not name.endswith("PriceAmount") and "cac:Price/cac:AllowanceCharge" not in ckey:
                    if len(text.partition(".")[2]) > 2:
                        self.decimals.append(value)
            elif name.endswith("BinaryObject"):
                self.binaries.append(value)
            site = _SITE_BY_NAME.get(name) or _SITE_BY_PAIR.get((pname, name))
            if site is not None:
                self.codes.setdefault(site, []).append(value)
            yield name, value, child, cpath, ckey

    def rest(self, el, path: str, key: str, pname: str) -> None:
        """Record the syntax facts of a subtree the model does not read."""
        for _name_, _v, child, cpath, ckey in self.children(el, path, key, pname):
            if len(child):
                self.rest(child, cpath, ckey, _name_)

    # — the document ————————————————————————————————————————————————————————————————————————————————————
    def document(self, root, kind: str) -> Invoice:
        path = f"/{kind}"
        f: dict = {}
        notes, tax_currency, periods, billing, despatch, receipt, originator, contract, project = [], [], [], [], [], [], [], [], []
        docs, deliveries, means, terms, acs, tax_totals, totals, lines = [], [], [], [], [], [], [], []
        terms_count = 0
        line_name = "cac:InvoiceLine" if kind == "Invoice" else "cac:CreditNoteLine"
        simple = {"cbc:CustomizationID": "customization_id", "cbc:ProfileID": "profile_id", "cbc:ID": "number",
                  "cbc:IssueDate": "issue_date", "cbc:DueDate": "due_date", "cbc:InvoiceTypeCode": "type_code",
                  "cbc:CreditNoteTypeCode": "type_code", "cbc:TaxPointDate": "tax_point_date",
                  "cbc:DocumentCurrencyCode": "currency", "cbc:AccountingCost": "accounting_cost",
                  "cbc:BuyerReference": "buyer_reference"}
        for name, v, child, cpath, ckey in self.children(root, path, "", kind):
            attr = simple.get(name)
            if attr is not None:
                f.setdefault(attr, v)
                if len(child):
                    self.rest(child, cpath, ckey, name)
            elif name == line_name:
                lines.append(self.line(child, cpath, ckey))
            elif name == "cbc:Note":
                notes.append(v)
            elif name == "cbc:TaxCurrencyCode":
                tax_currency.append(v)
            elif name == "cac:InvoicePeriod":
                periods.append(self.period(child, cpath, ckey))
            elif name == "cac:OrderReference":
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:ID":
                        f.setdefault("order_id", v2)
                    elif n2 == "cbc:SalesOrderID":
                        f.setdefault("sales_order_id", v2)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
            elif name == "cac:BillingReference":
                billing.append(self.billing(child, cpath, ckey))
            elif name in ("cac:DespatchDocumentReference", "cac:ReceiptDocumentReference",
                          "cac:OriginatorDocumentReference", "cac:ContractDocumentReference", "cac:ProjectReference"):
                target = {"cac:DespatchDocumentReference": despatch, "cac:ReceiptDocumentReference": receipt,
                          "cac:OriginatorDocumentReference": originator, "cac:ContractDocumentReference": contract,
                          "cac:ProjectReference": project}[name]
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:ID":
                        target.append(v2)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
            elif name == "cac:AdditionalDocumentReference":
                docs.append(self.document_reference(child, cpath, ckey, name))
            elif name in ("cac:AccountingSupplierParty", "cac:AccountingCustomerParty"):
                party = None
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cac:Party" and party is None:
                        party = self.party(c2, p2, k2)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
                if party is not None:
                    f.setdefault("seller" if name == "cac:AccountingSupplierParty" else "buyer", party)
            elif name in ("cac:PayeeParty", "cac:TaxRepresentativeParty"):
                f.setdefault("payee" if name == "cac:PayeeParty" else "tax_representative", self.party(child, cpath, ckey))
            elif name == "cac:Delivery":
                deliveries.append(self.delivery(child, cpath, ckey))
            elif name == "cac:PaymentMeans":
                means.append(self.payment_means(child, cpath, ckey))
            elif name == "cac:PaymentTerms":
                terms_count += 1
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:Note":
                        terms.append(v2)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
            elif name == "cac:AllowanceCharge":
                acs.append(self.allowance_charge(child, cpath, ckey))
            elif name == "cac:TaxTotal":
                tax_totals.append(self.tax_total(child, cpath, ckey))
            elif name == "cac:LegalMonetaryTotal":
                totals.append(self.totals(child, cpath, ckey))
            elif len(child):
                self.rest(child, cpath, ckey, name)
        if kind == "CreditNote" and "due_date" not in f:
            due = next((d for m in means for d in m.due_dates), None)
            if due is not None:
                f["due_date"] = due
        syntax = Syntax(self.elements, self.attributes, tuple(self.decimals), tuple(self.binaries),
                        tuple(self.empties), {k: tuple(v) for k, v in self.codes.items()})
        return Invoice(kind=kind, path=path, notes=tuple(notes), tax_currency=tuple(tax_currency),
                       periods=tuple(periods), billing_references=tuple(billing), despatch_ids=tuple(despatch),
                       receipt_ids=tuple(receipt), originator_ids=tuple(originator), contract_ids=tuple(contract),
                       project_ids=tuple(project), additional_documents=tuple(docs), deliveries=tuple(deliveries),
                       payment_means=tuple(means), payment_terms=tuple(terms), payment_terms_count=terms_count,
                       allowances_charges=tuple(acs), tax_totals=tuple(tax_totals), totals=tuple(totals),
                       lines=tuple(lines), syntax=syntax, **f)

    # — aggregates ——————————————————————————————————————————————————————————————————————————————————————————
    def period(self, el, path, key) -> Period:
        start = end = None
        codes = []
        any_child = False
        for name, v, child, cpath, ckey in self.children(el, path, key, "cac:InvoicePeriod"):
            any_child = True
            if name == "cbc:StartDate":
                start = start or v
            elif name == "cbc:EndDate":
                end = end or v
            elif name == "cbc:DescriptionCode":
                codes.append(v)
            elif len(child):
                self.rest(child, cpath, ckey, name)
        return Period(path, start, end, tuple(codes), any_child)

    def billing(self, el, path, key) -> BillingReference:
        refs = []
        for name, v, child, cpath, ckey in self.children(el, path, key, "cac:BillingReference"):
            if name == "cac:InvoiceDocumentReference":
                rid = date = None
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:ID":
                        rid = rid or v2
                    elif n2 == "cbc:IssueDate":
                        date = date or v2
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
                refs.append((rid, date))
            elif len(child):
                self.rest(child, cpath, ckey, name)
        return BillingReference(path, tuple(refs))

    def document_reference(self, el, path, key, pname) -> DocumentReference:
        rid = type_code = attachment = None
        descriptions = []
        for name, v, child, cpath, ckey in self.children(el, path, key, pname):
            if name == "cbc:ID":
                rid = rid or v
            elif name == "cbc:DocumentTypeCode":
                type_code = type_code or v
            elif name == "cbc:DocumentDescription":
                descriptions.append(v)
            elif name == "cac:Attachment":
                embedded = uri = None
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:EmbeddedDocumentBinaryObject":
                        embedded = embedded or v2
                    elif n2 == "cac:ExternalReference":
                        for n3, v3, c3, p3, k3 in self.children(c2, p2, k2, n2):
                            if n3 == "cbc:URI":
                                uri = uri or v3
                            elif len(c3):
                                self.rest(c3, p3, k3, n3)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
                attachment = attachment or Attachment(cpath, embedded, uri)
            elif len(child):
                self.rest(child, cpath, ckey, name)
        return DocumentReference(path, rid, type_code, tuple(descriptions), attachment)

    def address(self, el, path, key, pname) -> Address:
        f: dict = {}
        lines = []
        line_count = 0
        has_country = False
        simple = {"cbc:StreetName": "street", "cbc:AdditionalStreetName": "additional_street", "cbc:CityName": "city",
                  "cbc:PostalZone": "postal_zone", "cbc:CountrySubentity": "subdivision"}
        for name, v, child, cpath, ckey in self.children(el, path, key, pname):
            attr = simple.get(name)
            if attr is not None:
                f.setdefault(attr, v)
            elif name == "cac:AddressLine":
                line_count += 1
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:Line":
                        lines.append(v2)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
            elif name == "cac:Country":
                has_country = True
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:IdentificationCode":
                        f.setdefault("country", v2)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
            elif len(child):
                self.rest(child, cpath, ckey, name)
        return Address(path, lines=tuple(lines), address_line_count=line_count, has_country=has_country, **f)

    def tax_category(self, el, path, key, pname) -> TaxCategory:
        code = rate = exemption_code = scheme = None
        reasons = []
        for name, v, child, cpath, ckey in self.children(el, path, key, pname):
            if name == "cbc:ID":
                code = code or v
            elif name == "cbc:Percent":
                rate = rate or v
            elif name == "cbc:TaxExemptionReason":
                reasons.append(v)
            elif name == "cbc:TaxExemptionReasonCode":
                exemption_code = exemption_code or v
            elif name == "cac:TaxScheme":
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:ID":
                        scheme = scheme or v2
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
            elif len(child):
                self.rest(child, cpath, ckey, name)
        return TaxCategory(path, code, rate, tuple(reasons), exemption_code, scheme)

    def party(self, el, path, key) -> Party:
        f: dict = {}
        ids, names, schemes, reg_names, legal_ids, legal_forms = [], [], [], [], [], []
        for name, v, child, cpath, ckey in self.children(el, path, key, "cac:Party"):
            if name == "cbc:EndpointID":
                f.setdefault("endpoint", v)
            elif name in ("cac:PartyIdentification", "cac:PartyName"):
                wanted = "cbc:ID" if name == "cac:PartyIdentification" else "cbc:Name"
                target = ids if name == "cac:PartyIdentification" else names
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == wanted:
                        target.append(v2)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
            elif name == "cac:PostalAddress":
                f.setdefault("address", self.address(child, cpath, ckey, name))
            elif name == "cac:PartyTaxScheme":
                company = scheme = None
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:CompanyID":
                        company = company or v2
                    elif n2 == "cac:TaxScheme":
                        for n3, v3, c3, p3, k3 in self.children(c2, p2, k2, n2):
                            if n3 == "cbc:ID":
                                scheme = scheme or v3
                            elif len(c3):
                                self.rest(c3, p3, k3, n3)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
                schemes.append(PartyTaxScheme(cpath, company, scheme))
            elif name == "cac:PartyLegalEntity":
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:RegistrationName":
                        reg_names.append(v2)
                    elif n2 == "cbc:CompanyID":
                        legal_ids.append(v2)
                    elif n2 == "cbc:CompanyLegalForm":
                        legal_forms.append(v2)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
            elif name == "cac:Contact":
                cf: dict = {}
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    attr = {"cbc:Name": "name", "cbc:Telephone": "telephone", "cbc:ElectronicMail": "email"}.get(n2)
                    if attr:
                        cf.setdefault(attr, v2)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
                f.setdefault("contact", Contact(cpath, **cf))
            elif len(child):
                self.rest(child, cpath, ckey, name)
        return Party(path, identifiers=tuple(ids), names=tuple(names), tax_schemes=tuple(schemes),
                     registration_names=tuple(reg_names), legal_ids=tuple(legal_ids), legal_forms=tuple(legal_forms), **f)

    def delivery(self, el, path, key) -> Delivery:
        actual = location_id = address = None
        party_names = []
        for name, v, child, cpath, ckey in self.children(el, path, key, "cac:Delivery"):
            if name == "cbc:ActualDeliveryDate":
                actual = actual or v
            elif name == "cac:DeliveryLocation":
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:ID":
                        location_id = location_id or v2
                    elif n2 == "cac:Address":
                        address = address or self.address(c2, p2, k2, n2)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
            elif name == "cac:DeliveryParty":
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cac:PartyName":
                        for n3, v3, c3, p3, k3 in self.children(c2, p2, k2, n2):
                            if n3 == "cbc:Name":
                                party_names.append(v3)
                            elif len(c3):
                                self.rest(c3, p3, k3, n3)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
            elif len(child):
                self.rest(child, cpath, ckey, name)
        return Delivery(path, actual, location_id, address, tuple(party_names))

    def payment_means(self, el, path, key) -> PaymentMeans:
        codes, due, pids, accounts, cards, mandates = [], [], [], [], [], []
        for name, v, child, cpath, ckey in self.children(el, path, key, "cac:PaymentMeans"):
            if name == "cbc:PaymentMeansCode":
                codes.append(v)
            elif name == "cbc:PaymentDueDate":
                due.append(v)
            elif name == "cbc:PaymentID":
                pids.append(v)
            elif name == "cac:PayeeFinancialAccount":
                aid = aname = branch = None
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:ID":
                        aid = aid or v2
                    elif n2 == "cbc:Name":
                        aname = aname or v2
                    elif n2 == "cac:FinancialInstitutionBranch":
                        for n3, v3, c3, p3, k3 in self.children(c2, p2, k2, n2):
                            if n3 == "cbc:ID":
                                branch = branch or v3
                            elif len(c3):
                                self.rest(c3, p3, k3, n3)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
                accounts.append(FinancialAccount(cpath, aid, aname, branch))
            elif name == "cac:CardAccount":
                pan = holder = None
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:PrimaryAccountNumberID":
                        pan = pan or v2
                    elif n2 == "cbc:HolderName":
                        holder = holder or v2
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
                cards.append(CardAccount(cpath, pan, holder))
            elif name == "cac:PaymentMandate":
                mids = []
                payer = None
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:ID":
                        mids.append(v2)
                    elif n2 == "cac:PayerFinancialAccount":
                        for n3, v3, c3, p3, k3 in self.children(c2, p2, k2, n2):
                            if n3 == "cbc:ID":
                                payer = payer or v3
                            elif len(c3):
                                self.rest(c3, p3, k3, n3)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
                mandates.append(Mandate(cpath, tuple(mids), payer))
            elif len(child):
                self.rest(child, cpath, ckey, name)
        return PaymentMeans(path, tuple(codes), tuple(due), tuple(pids), tuple(accounts), tuple(cards), tuple(mandates))

    def allowance_charge(self, el, path, key) -> AllowanceCharge:
        f: dict = {}
        reasons, codes, categories = [], [], []
        simple = {"cbc:ChargeIndicator": "indicator", "cbc:Amount": "amount", "cbc:BaseAmount": "base_amount",
                  "cbc:MultiplierFactorNumeric": "percentage"}
        for name, v, child, cpath, ckey in self.children(el, path, key, "cac:AllowanceCharge"):
            attr = simple.get(name)
            if attr is not None:
                f.setdefault(attr, v)
            elif name == "cbc:AllowanceChargeReason":
                reasons.append(v)
            elif name == "cbc:AllowanceChargeReasonCode":
                codes.append(v)
            elif name == "cac:TaxCategory":
                categories.append(self.tax_category(child, cpath, ckey, name))
            elif len(child):
                self.rest(child, cpath, ckey, name)
        return AllowanceCharge(path, reasons=tuple(reasons), reason_codes=tuple(codes), tax_categories=tuple(categories), **f)

    def tax_total(self, el, path, key) -> TaxTotal:
        amount = None
        subtotals = []
        for name, v, child, cpath, ckey in self.children(el, path, key, "cac:TaxTotal"):
            if name == "cbc:TaxAmount":
                amount = amount or v
            elif name == "cac:TaxSubtotal":
                taxable = tax = None
                categories = []
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:TaxableAmount":
                        taxable = taxable or v2
                    elif n2 == "cbc:TaxAmount":
                        tax = tax or v2
                    elif n2 == "cac:TaxCategory":
                        categories.append(self.tax_category(c2, p2, k2, n2))
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
                subtotals.append(TaxSubtotal(cpath, taxable, tax, tuple(categories)))
            elif len(child):
                self.rest(child, cpath, ckey, name)
        return TaxTotal(path, amount, tuple(subtotals))

    _TOTALS = {"cbc:LineExtensionAmount": "line_extension", "cbc:AllowanceTotalAmount": "allowance_total",
               "cbc:ChargeTotalAmount": "charge_total", "cbc:TaxExclusiveAmount": "tax_exclusive",
               "cbc:TaxInclusiveAmount": "tax_inclusive", "cbc:PrepaidAmount": "prepaid",
               "cbc:PayableRoundingAmount": "rounding", "cbc:PayableAmount": "payable"}

    def totals(self, el, path, key) -> Totals:
        f: dict = {}
        for name, v, child, cpath, ckey in self.children(el, path, key, "cac:LegalMonetaryTotal"):
            attr = self._TOTALS.get(name)
            if attr is not None:
                f.setdefault(attr, v)
            elif len(child):
                self.rest(child, cpath, ckey, name)
        return Totals(path, **f)

    def line(self, el, path, key) -> Line:
        f: dict = {}
        notes, periods, order_ids, docs, acs = [], [], [], [], []
        price_amounts = 0
        for name, v, child, cpath, ckey in self.children(el, path, key, "cac:Line"):
            if name == "cbc:ID":
                f.setdefault("id", v)
            elif name == "cbc:Note":
                notes.append(v)
            elif name in ("cbc:InvoicedQuantity", "cbc:CreditedQuantity"):
                f.setdefault("quantity", v)
            elif name == "cbc:LineExtensionAmount":
                f.setdefault("net_amount", v)
            elif name == "cbc:AccountingCost":
                f.setdefault("accounting_cost", v)
            elif name == "cac:InvoicePeriod":
                periods.append(self.period(child, cpath, ckey))
            elif name == "cac:OrderLineReference":
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:LineID":
                        order_ids.append(v2)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
            elif name == "cac:DocumentReference":
                docs.append(self.document_reference(child, cpath, ckey, name))
            elif name == "cac:AllowanceCharge":
                acs.append(self.allowance_charge(child, cpath, ckey))
            elif name == "cac:Item":
                f.setdefault("item", self.item(child, cpath, ckey))
            elif name == "cac:Price":
                pf: dict = {}
                price_acs = []
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:PriceAmount":
                        price_amounts += 1
                        pf.setdefault("amount", v2)
                    elif n2 == "cbc:BaseQuantity":
                        pf.setdefault("base_quantity", v2)
                    elif n2 == "cac:AllowanceCharge":
                        price_acs.append(self.allowance_charge(c2, p2, k2))
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
                f.setdefault("price", Price(cpath, allowances=tuple(price_acs), **pf))
            elif len(child):
                self.rest(child, cpath, ckey, name)
        return Line(path, notes=tuple(notes), periods=tuple(periods), order_line_ids=tuple(order_ids),
                    document_references=tuple(docs), allowances_charges=tuple(acs), price_amounts=price_amounts, **f)

    def item(self, el, path, key) -> Item:
        f: dict = {}
        names, descriptions, standard_ids, classifications, categories, properties = [], [], [], [], [], []
        for name, v, child, cpath, ckey in self.children(el, path, key, "cac:Item"):
            if name == "cbc:Name":
                names.append(v)
            elif name == "cbc:Description":
                descriptions.append(v)
            elif name in ("cac:SellersItemIdentification", "cac:BuyersItemIdentification", "cac:StandardItemIdentification"):
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:ID":
                        if name == "cac:StandardItemIdentification":
                            standard_ids.append(v2)
                        else:
                            f.setdefault("sellers_id" if name == "cac:SellersItemIdentification" else "buyers_id", v2)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
            elif name == "cac:CommodityClassification":
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:ItemClassificationCode":
                        classifications.append(v2)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
            elif name == "cac:OriginCountry":
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:IdentificationCode":
                        f.setdefault("origin_country", v2)
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
            elif name == "cac:ClassifiedTaxCategory":
                categories.append(self.tax_category(child, cpath, ckey, name))
            elif name == "cac:AdditionalItemProperty":
                pname = pvalue = None
                for n2, v2, c2, p2, k2 in self.children(child, cpath, ckey, name):
                    if n2 == "cbc:Name":
                        pname = pname or v2
                    elif n2 == "cbc:Value":
                        pvalue = pvalue or v2
                    elif len(c2):
                        self.rest(c2, p2, k2, n2)
                properties.append(ItemProperty(cpath, pname, pvalue))
            elif len(child):
                self.rest(child, cpath, ckey, name)
        return Item(path, names=tuple(names), descriptions=tuple(descriptions), standard_ids=tuple(standard_ids),
                    classifications=tuple(classifications), tax_categories=tuple(categories),
                    properties=tuple(properties), **f)
