"""The EN 16931 semantic model of an invoice or credit note (发票语义模型), as a tree of dataclasses.

Every field names its business term (``BT-n``) or business group (``BG-n``) of EN 16931-1. Leaves are
:class:`Value` objects: the text exactly as written, its attributes and its XML path, so that a finding can point at
the element and a converter can keep what it read. Amounts stay text in the model and become ``Decimal`` through
:func:`decimal_of` (never float): a value that is not an XML Schema decimal has no number.

Where UBL lets an element repeat that EN 16931 allows once (a seller name, a VAT category of a line), the model
keeps every occurrence in a tuple and offers the first as the business term, so that the cardinality rules
(UBL-SR-*) can see the repetition. ``syntax`` holds what the single pass saw about the XML itself (element paths,
attributes, decimals) for the syntax rules.

The parser builds the tree once and nothing changes it afterwards; the classes are slotted dataclasses without
``frozen`` only because a frozen dataclass costs several times as much to construct, and a document has hundreds
of leaves.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


_UNREAD = object()  # the number of a Value not asked for yet


@dataclass(slots=True)
class Value:
    """One element's text (as written), its attributes and its path, e.g. ``/Invoice/cac:InvoiceLine[2]/cbc:ID``."""

    text: str
    path: str
    attrs: dict = field(default_factory=dict, compare=False)
    _number: object = field(default=_UNREAD, init=False, repr=False, compare=False)  # decimal_of, once

    @property
    def norm(self) -> str:
        """The text with whitespace collapsed (XPath ``normalize-space``)."""
        return " ".join(self.text.split())

    def attr(self, name: str) -> str | None:
        return self.attrs.get(name)


def decimal_of(value: Value | None) -> Decimal | None:
    """The ``xs:decimal`` of a value (surrounding whitespace allowed), or None if absent or not a decimal.
    Many rules read the same amounts: each value is converted once."""
    if value is None:
        return None
    number = value._number
    if number is _UNREAD:
        text = value.text.strip()
        number = value._number = Decimal(text) if _DECIMAL.fullmatch(text) else None
    return number


def norm(value: Value | None) -> str:
    """normalize-space of an optional value ('' when absent)."""
    return value.norm if value is not None else ""


def first(values: tuple) -> object | None:
    return values[0] if values else None


@dataclass(slots=True)
class TaxCategory:
    """A VAT category as used by a line (BT-151/152), a document allowance (BT-95/96), a charge (BT-102/103) or a
    VAT breakdown (BT-118/119, BT-120/121). ``scheme`` is the tax scheme identifier; EN 16931 only reads ``VAT``."""

    path: str
    code: Value | None = None  # BT-118 / BT-151 / BT-95 / BT-102
    rate: Value | None = None  # BT-119 / BT-152 / BT-96 / BT-103
    exemption_reasons: tuple[Value, ...] = ()  # BT-120
    exemption_reason_code: Value | None = None  # BT-121
    scheme: Value | None = None  # TaxScheme/ID, "VAT"
    is_vat: bool = field(init=False)  # the tax scheme is VAT (the only one EN 16931 reads)
    code_norm: str = field(init=False)  # the category code, whitespace collapsed

    def __post_init__(self):
        self.is_vat = self.scheme is not None and self.scheme.norm.upper() == "VAT"
        self.code_norm = norm(self.code)


@dataclass(slots=True)
class Address:
    """A postal address: BG-5 (seller), BG-8 (buyer), BG-12 (tax representative), BG-15 (deliver to)."""

    path: str
    street: Value | None = None  # BT-35 / BT-50 / BT-64 / BT-75
    additional_street: Value | None = None  # BT-36 / BT-51 / BT-65 / BT-76
    lines: tuple[Value, ...] = ()  # BT-162 / BT-163 / BT-164 / BT-165 (AddressLine/Line)
    address_line_count: int = 0
    city: Value | None = None  # BT-37 / BT-52 / BT-66 / BT-77
    postal_zone: Value | None = None  # BT-38 / BT-53 / BT-67 / BT-78
    subdivision: Value | None = None  # BT-39 / BT-54 / BT-68 / BT-79
    country: Value | None = None  # BT-40 / BT-55 / BT-69 / BT-80


@dataclass(slots=True)
class PartyTaxScheme:
    path: str
    company_id: Value | None = None  # BT-31 / BT-32 / BT-48 / BT-63
    scheme: Value | None = None  # TaxScheme/ID: "VAT" for a VAT identifier, anything else a tax registration (BT-32)

    @property
    def is_vat(self) -> bool:
        return self.scheme is not None and self.scheme.norm.upper() == "VAT"


@dataclass(slots=True)
class Contact:
    """BG-6 seller contact / BG-9 buyer contact."""

    path: str
    name: Value | None = None  # BT-41 / BT-56
    telephone: Value | None = None  # BT-42 / BT-57
    email: Value | None = None  # BT-43 / BT-58


@dataclass(slots=True)
class Party:
    """A party: seller BG-4, buyer BG-7, payee BG-10, seller tax representative BG-11."""

    path: str
    endpoint: Value | None = None  # BT-34 / BT-49 electronic address, schemeID BT-34-1 / BT-49-1
    identifiers: tuple[Value, ...] = ()  # BT-29 / BT-46 / BT-60 (schemeID BT-29-1 …); BT-90 when schemeID="SEPA"
    names: tuple[Value, ...] = ()  # PartyName/Name: BT-28 trading name / BT-45 / BT-59 payee name / BT-62
    address: Address | None = None  # BG-5 / BG-8 / BG-12
    tax_schemes: tuple[PartyTaxScheme, ...] = ()  # BT-31, BT-32, BT-48, BT-63
    registration_names: tuple[Value, ...] = ()  # PartyLegalEntity/RegistrationName: BT-27 seller / BT-44 buyer name
    legal_ids: tuple[Value, ...] = ()  # PartyLegalEntity/CompanyID: BT-30 / BT-47 / BT-61 (schemeID …-1)
    legal_forms: tuple[Value, ...] = ()  # BT-33 seller additional legal information
    contact: Contact | None = None  # BG-6 / BG-9

    @property
    def name(self) -> Value | None:
        """The registered name (BT-27 / BT-44), falling back to the trading name for payee and representative."""
        return first(self.registration_names) or first(self.names)

    def vat_ids(self) -> tuple[Value, ...]:
        return tuple(ts.company_id for ts in self.tax_schemes if ts.is_vat and ts.company_id is not None)

    @property
    def vat_id(self) -> Value | None:  # BT-31 / BT-48 / BT-63
        return first(self.vat_ids())


@dataclass(slots=True)
class Period:
    """BG-14 invoicing period / BG-26 line period."""

    path: str
    start: Value | None = None  # BT-73 / BT-134
    end: Value | None = None  # BT-74 / BT-135
    description_codes: tuple[Value, ...] = ()  # BT-8 value added tax point date code
    has_children: bool = False


@dataclass(slots=True)
class AllowanceCharge:
    """A document allowance BG-20 / charge BG-21, a line allowance BG-27 / charge BG-28, or an item price discount."""

    path: str
    indicator: Value | None = None  # ChargeIndicator: true = charge, false = allowance
    amount: Value | None = None  # BT-92 / BT-99 / BT-136 / BT-141 (BT-147 for a price discount)
    base_amount: Value | None = None  # BT-93 / BT-100 / BT-137 / BT-142 (BT-148 gross price for a price discount)
    percentage: Value | None = None  # BT-94 / BT-101 / BT-138 / BT-143 (MultiplierFactorNumeric)
    reasons: tuple[Value, ...] = ()  # BT-97 / BT-104 / BT-139 / BT-144
    reason_codes: tuple[Value, ...] = ()  # BT-98 / BT-105 / BT-140 / BT-145
    tax_categories: tuple[TaxCategory, ...] = ()  # BT-95/96, BT-102/103
    is_charge: bool | None = field(init=False)  # True: a charge; False: an allowance; None: no boolean indicator

    def __post_init__(self):
        self.is_charge = boolean_of(self.indicator)

    @property
    def vat_category(self) -> TaxCategory | None:
        return next((c for c in self.tax_categories if c.is_vat), None)


def boolean_of(value: Value | None) -> bool | None:
    """The ``xs:boolean`` of a value ('true'/'1', 'false'/'0', whitespace collapsed), else None."""
    if value is None:
        return None
    text = value.text.strip()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    return None


@dataclass(slots=True)
class Attachment:
    path: str
    embedded: Value | None = None  # BT-125 attached document, attributes mimeCode BT-125-1 and filename BT-125-2
    external_uri: Value | None = None  # BT-124 external document location


@dataclass(slots=True)
class DocumentReference:
    """BG-24 additional supporting document (and BT-18 invoiced object when the type code is 130)."""

    path: str
    id: Value | None = None  # BT-122 / BT-18 (schemeID BT-18-1)
    type_code: Value | None = None  # 130 = invoiced object identifier, 50 = tender or lot reference (credit note)
    descriptions: tuple[Value, ...] = ()  # BT-123
    attachment: Attachment | None = None


@dataclass(slots=True)
class BillingReference:
    """BG-3 preceding invoice reference."""

    path: str
    invoice_refs: tuple[tuple[Value | None, Value | None], ...] = ()  # (BT-25 id, BT-26 issue date) per reference


@dataclass(slots=True)
class FinancialAccount:
    """BG-17 credit transfer: the payee's account."""

    path: str
    id: Value | None = None  # BT-84 payment account identifier
    name: Value | None = None  # BT-85 payment account name
    branch_id: Value | None = None  # BT-86 payment service provider identifier


@dataclass(slots=True)
class CardAccount:
    """BG-18 payment card information."""

    path: str
    primary_account_number: Value | None = None  # BT-87
    holder: Value | None = None  # BT-88


@dataclass(slots=True)
class Mandate:
    """BG-19 direct debit."""

    path: str
    ids: tuple[Value, ...] = ()  # BT-89 mandate reference identifier
    payer_account: Value | None = None  # BT-91 debited account identifier


@dataclass(slots=True)
class PaymentMeans:
    """BG-16 payment instructions."""

    path: str
    codes: tuple[Value, ...] = ()  # BT-81 payment means type code (attribute name = BT-82 payment means text)
    due_dates: tuple[Value, ...] = ()  # PaymentDueDate (only in a credit note: BT-9)
    payment_ids: tuple[Value, ...] = ()  # BT-83 remittance information
    accounts: tuple[FinancialAccount, ...] = ()  # BG-17
    cards: tuple[CardAccount, ...] = ()  # BG-18
    mandates: tuple[Mandate, ...] = ()  # BG-19

    @property
    def code(self) -> Value | None:
        return first(self.codes)


@dataclass(slots=True)
class Delivery:
    """BG-13 delivery information."""

    path: str
    actual_date: Value | None = None  # BT-72
    location_id: Value | None = None  # BT-71 (schemeID BT-71-1)
    address: Address | None = None  # BG-15
    party_names: tuple[Value, ...] = ()  # BT-70 deliver to party name


@dataclass(slots=True)
class ItemProperty:
    """BG-32 item attribute."""

    path: str
    name: Value | None = None  # BT-160
    value: Value | None = None  # BT-161


@dataclass(slots=True)
class Item:
    """BG-31 item information."""

    path: str
    names: tuple[Value, ...] = ()  # BT-153
    descriptions: tuple[Value, ...] = ()  # BT-154
    sellers_id: Value | None = None  # BT-155
    buyers_id: Value | None = None  # BT-156
    standard_ids: tuple[Value, ...] = ()  # BT-157 (schemeID BT-157-1)
    classifications: tuple[Value, ...] = ()  # BT-158 (listID BT-158-1, listVersionID BT-158-2)
    origin_country: Value | None = None  # BT-159
    tax_categories: tuple[TaxCategory, ...] = ()  # BG-30 line VAT information: BT-151, BT-152
    properties: tuple[ItemProperty, ...] = ()  # BG-32

    @property
    def name(self) -> Value | None:
        return first(self.names)

    @property
    def vat_category(self) -> TaxCategory | None:
        return next((c for c in self.tax_categories if c.is_vat), None)


@dataclass(slots=True)
class Price:
    """BG-29 price details."""

    path: str
    amount: Value | None = None  # BT-146 item net price
    base_quantity: Value | None = None  # BT-149 (unitCode BT-150)
    allowances: tuple[AllowanceCharge, ...] = ()  # BT-147 price discount, BT-148 gross price


@dataclass(slots=True)
class Line:
    """BG-25 invoice line (InvoiceLine or CreditNoteLine)."""

    path: str
    id: Value | None = None  # BT-126
    notes: tuple[Value, ...] = ()  # BT-127
    quantity: Value | None = None  # BT-129 (unitCode BT-130)
    net_amount: Value | None = None  # BT-131
    accounting_cost: Value | None = None  # BT-133
    periods: tuple[Period, ...] = ()  # BG-26
    order_line_ids: tuple[Value, ...] = ()  # BT-132
    document_references: tuple[DocumentReference, ...] = ()  # BT-128 (type code 130)
    allowances_charges: tuple[AllowanceCharge, ...] = ()  # BG-27 / BG-28
    item: Item | None = None  # BG-31
    price: Price | None = None  # BG-29


@dataclass(slots=True)
class TaxSubtotal:
    """BG-23 VAT breakdown."""

    path: str
    taxable_amount: Value | None = None  # BT-116
    tax_amount: Value | None = None  # BT-117
    categories: tuple[TaxCategory, ...] = ()  # BT-118, BT-119, BT-120, BT-121

    @property
    def vat_category(self) -> TaxCategory | None:
        return next((c for c in self.categories if c.is_vat), None)


@dataclass(slots=True)
class TaxTotal:
    """A UBL TaxTotal: BT-110 (document currency) or BT-111 (VAT accounting currency), with its breakdown."""

    path: str
    tax_amount: Value | None = None  # BT-110 / BT-111 (currencyID)
    subtotals: tuple[TaxSubtotal, ...] = ()  # BG-23


@dataclass(slots=True)
class Totals:
    """BG-22 document totals (LegalMonetaryTotal)."""

    path: str
    line_extension: Value | None = None  # BT-106 sum of invoice line net amounts
    allowance_total: Value | None = None  # BT-107
    charge_total: Value | None = None  # BT-108
    tax_exclusive: Value | None = None  # BT-109
    tax_inclusive: Value | None = None  # BT-112
    prepaid: Value | None = None  # BT-113
    rounding: Value | None = None  # BT-114
    payable: Value | None = None  # BT-115


@dataclass(slots=True)
class Syntax:
    """What the single pass saw of the XML itself, for the syntax rules (UBL-CR, UBL-DT, PEPPOL-EN16931-R008).

    ``elements`` maps an element path without positions (``cac:InvoiceLine/cac:Item/cbc:Name``) to the full path
    of its first occurrence, for the paths the UBL-CR rows can name: those of every element the model does not read
    and those of the model's places that a row names (see :mod:`~openftz.einvoice.ubl_cr`); ``attributes`` maps
    ``path@name`` the same way, for the attributes of those elements and, at the model's places, for the attributes
    a UBL-CR or UBL-DT rule can be about there."""

    elements: dict[str, str]
    attributes: dict[str, str]
    amount_decimals: tuple[Value, ...]  # amounts (outside prices) with more than two fraction digits (UBL-DT-01)
    binary_objects: tuple[Value, ...]  # *BinaryObject elements (UBL-DT-06/07)
    empty_elements: tuple[str, ...]  # paths of elements with neither children nor text (PEPPOL-EN16931-R008)
    code_sites: dict[str, tuple[Value, ...]]  # coded values wherever they occur, by the name of their site
    names: set[str]  # the names (``cbc:ID``) of the elements in ``elements``, for the rows that match at any depth
    attribute_names: set[str]  # the names (``schemeID``) of the attributes in ``attributes``


@dataclass(slots=True)
class Invoice:
    """BG-0: an Invoice or a CreditNote (``kind``), as EN 16931 sees it."""

    kind: str  # "Invoice" or "CreditNote"
    path: str
    customization_id: Value | None = None  # BT-24 specification identifier
    profile_id: Value | None = None  # BT-23 business process type
    number: Value | None = None  # BT-1
    issue_date: Value | None = None  # BT-2
    due_date: Value | None = None  # BT-9 (Invoice: cbc:DueDate; CreditNote: PaymentMeans/PaymentDueDate)
    type_code: Value | None = None  # BT-3
    notes: tuple[Value, ...] = ()  # BG-1 / BT-22 (subject code BT-21 as #CODE# prefix)
    tax_point_date: Value | None = None  # BT-7
    currency: Value | None = None  # BT-5
    tax_currency: tuple[Value, ...] = ()  # BT-6
    accounting_cost: Value | None = None  # BT-19
    buyer_reference: Value | None = None  # BT-10
    periods: tuple[Period, ...] = ()  # BG-14
    order_id: Value | None = None  # BT-13
    sales_order_id: Value | None = None  # BT-14
    billing_references: tuple[BillingReference, ...] = ()  # BG-3
    despatch_ids: tuple[Value, ...] = ()  # BT-16
    receipt_ids: tuple[Value, ...] = ()  # BT-15
    originator_ids: tuple[Value, ...] = ()  # BT-17
    contract_ids: tuple[Value, ...] = ()  # BT-12
    project_ids: tuple[Value, ...] = ()  # BT-11
    additional_documents: tuple[DocumentReference, ...] = ()  # BG-24, BT-18
    seller: Party | None = None  # BG-4
    buyer: Party | None = None  # BG-7
    payee: Party | None = None  # BG-10
    tax_representative: Party | None = None  # BG-11
    deliveries: tuple[Delivery, ...] = ()  # BG-13
    payment_means: tuple[PaymentMeans, ...] = ()  # BG-16
    payment_terms: tuple[Value, ...] = ()  # BT-20 (PaymentTerms/Note)
    allowances_charges: tuple[AllowanceCharge, ...] = ()  # BG-20 / BG-21
    tax_totals: tuple[TaxTotal, ...] = ()  # BT-110, BT-111, BG-23
    totals: tuple[Totals, ...] = ()  # BG-22
    lines: tuple[Line, ...] = ()  # BG-25
    syntax: Syntax | None = field(default=None, compare=False)
    # Views the rules read many times, computed once:
    allowances: tuple[AllowanceCharge, ...] = field(init=False)  # BG-20
    charges: tuple[AllowanceCharge, ...] = field(init=False)  # BG-21
    vat_breakdown: tuple[TaxSubtotal, ...] = field(init=False)  # BG-23 (the subtotals of every TaxTotal)
    all_allowances_charges: tuple[AllowanceCharge, ...] = field(init=False)  # the document's, then each line's and its price's
    line_tax_categories: tuple[TaxCategory, ...] = field(init=False)  # BG-30 of every line (ClassifiedTaxCategory)
    tax_categories: tuple[TaxCategory, ...] = field(init=False)  # every cac:TaxCategory: the breakdown's, then the allowances'
    category_codes: frozenset[str] = field(init=False)  # every VAT category code used anywhere, whitespace collapsed

    def __post_init__(self):
        self.allowances = tuple(ac for ac in self.allowances_charges if ac.is_charge is False)
        self.charges = tuple(ac for ac in self.allowances_charges if ac.is_charge is True)
        self.vat_breakdown = tuple(sub for total in self.tax_totals for sub in total.subtotals)
        acs = list(self.allowances_charges)
        for line in self.lines:
            acs.extend(line.allowances_charges)
            if line.price is not None:
                acs.extend(line.price.allowances)
        self.all_allowances_charges = tuple(acs)
        self.line_tax_categories = tuple(c for line in self.lines if line.item is not None for c in line.item.tax_categories)
        self.tax_categories = tuple([c for sub in self.vat_breakdown for c in sub.categories]
                                    + [c for ac in acs for c in ac.tax_categories])
        self.category_codes = frozenset(c.code_norm for c in self.tax_categories + self.line_tax_categories)

    @property
    def is_credit_note(self) -> bool:
        return self.kind == "CreditNote"

    @property
    def document_totals(self) -> Totals | None:  # BG-22
        return first(self.totals)

    def parties(self) -> tuple[Party, ...]:
        return tuple(p for p in (self.seller, self.buyer, self.payee, self.tax_representative) if p is not None)
