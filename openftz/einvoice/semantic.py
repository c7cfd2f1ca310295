"""The invoice as EN 16931 business terms (按业务术语编号组织的发票): the parsed model → a tree keyed by BT/BG ids.

A group (BG-n) is a dict of its terms; a group EN 16931 lets repeat (lines, VAT breakdown, allowances …) is a list
of such dicts; a term (BT-n) is its text, or a list of texts where it repeats. Only terms the document has appear,
in the order of EN 16931-1. Values are the text as written with whitespace collapsed (free text keeps its line
breaks). Pure: the same tree feeds the JSON, HTML and PDF renderings and the China view.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from .model import (
    Address, AllowanceCharge, Contact, Invoice, Line, Party, PaymentMeans, Period, TaxCategory, Value,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "einvoice"
Tree = dict


@cache
def business_terms() -> dict[str, dict[str, str]]:
    """BT/BG id → {"en", "zh"} from ``data/einvoice/business-terms.yaml`` (zh: the project's unofficial names)."""
    data = yaml.safe_load((DATA / "business-terms.yaml").read_text(encoding="utf-8"))
    return data["terms"]


def name_of(term: str) -> dict[str, str]:
    return business_terms().get(term, {"en": term, "zh": term})


def _text(value: Value | None, *, free: bool = False) -> str | None:
    if value is None:
        return None
    text = value.text.strip() if free else value.norm
    return text or None


def _put(out: Tree, term: str, value) -> None:
    """Set ``term`` unless the value is empty (None, '', [], {})."""
    if value is None or value == "" or value == [] or value == {}:
        return
    out[term] = value


def _many(out: Tree, term: str, values, *, free: bool = False) -> None:
    texts = [t for t in (_text(v, free=free) for v in values) if t]
    _put(out, term, texts[0] if len(texts) == 1 else texts)


def _identified(out: Tree, term: str, values, attribute: str = "schemeID") -> None:
    """An identifier that may repeat, with its scheme identifier as ``term-1``."""
    values = [v for v in values if _text(v)]
    if not values:
        return
    ids = [_text(v) for v in values]
    schemes = [v.attr(attribute) for v in values]
    _put(out, term, ids[0] if len(ids) == 1 else ids)
    if any(schemes):
        _put(out, f"{term}-1", schemes[0] if len(schemes) == 1 else [s or "" for s in schemes])


def _address(address: Address | None, terms: tuple[str, ...]) -> Tree:
    if address is None:
        return {}
    line1, line2, line3, city, post, subdivision, country = terms
    out: Tree = {}
    _put(out, line1, _text(address.street))
    _put(out, line2, _text(address.additional_street))
    _many(out, line3, address.lines)
    _put(out, city, _text(address.city))
    _put(out, post, _text(address.postal_zone))
    _put(out, subdivision, _text(address.subdivision))
    _put(out, country, _text(address.country))
    return out


def _contact(contact: Contact | None, terms: tuple[str, str, str]) -> Tree:
    if contact is None:
        return {}
    out: Tree = {}
    for term, value in zip(terms, (contact.name, contact.telephone, contact.email), strict=True):
        _put(out, term, _text(value))
    return out


def _vat_scheme(party: Party) -> tuple[list[Value], list[Value]]:
    """(VAT identifiers, other tax registration identifiers) of a party."""
    vat = [ts.company_id for ts in party.tax_schemes if ts.company_id is not None and ts.is_vat]
    other = [ts.company_id for ts in party.tax_schemes if ts.company_id is not None and not ts.is_vat]
    return vat, other


def _seller(party: Party | None) -> Tree:
    if party is None:
        return {}
    out: Tree = {}
    _many(out, "BT-27", party.registration_names)
    _many(out, "BT-28", party.names)
    _identified(out, "BT-29", [v for v in party.identifiers if (v.attr("schemeID") or "").upper() != "SEPA"])
    _identified(out, "BT-30", party.legal_ids)
    vat, other = _vat_scheme(party)
    _many(out, "BT-31", vat)
    _many(out, "BT-32", other)
    _many(out, "BT-33", party.legal_forms, free=True)
    _identified(out, "BT-34", [party.endpoint] if party.endpoint is not None else [])
    _put(out, "BG-5", _address(party.address, ("BT-35", "BT-36", "BT-162", "BT-37", "BT-38", "BT-39", "BT-40")))
    _put(out, "BG-6", _contact(party.contact, ("BT-41", "BT-42", "BT-43")))
    return out


def _buyer(party: Party | None) -> Tree:
    if party is None:
        return {}
    out: Tree = {}
    _many(out, "BT-44", party.registration_names)
    _many(out, "BT-45", party.names)
    _identified(out, "BT-46", party.identifiers)
    _identified(out, "BT-47", party.legal_ids)
    vat, _other = _vat_scheme(party)
    _many(out, "BT-48", vat)
    _identified(out, "BT-49", [party.endpoint] if party.endpoint is not None else [])
    _put(out, "BG-8", _address(party.address, ("BT-50", "BT-51", "BT-163", "BT-52", "BT-53", "BT-54", "BT-55")))
    _put(out, "BG-9", _contact(party.contact, ("BT-56", "BT-57", "BT-58")))
    return out


def _payee(party: Party | None) -> Tree:
    if party is None:
        return {}
    out: Tree = {}
    _many(out, "BT-59", party.names)
    _identified(out, "BT-60", [v for v in party.identifiers if (v.attr("schemeID") or "").upper() != "SEPA"])
    _identified(out, "BT-61", party.legal_ids)
    return out


def _tax_representative(party: Party | None) -> Tree:
    if party is None:
        return {}
    out: Tree = {}
    _many(out, "BT-62", party.names)
    _many(out, "BT-63", party.vat_ids())
    _put(out, "BG-12", _address(party.address, ("BT-64", "BT-65", "BT-164", "BT-66", "BT-67", "BT-68", "BT-69")))
    return out


def _category(out: Tree, categories: tuple[TaxCategory, ...], code: str, rate: str) -> None:
    vat = next((c for c in categories if c.is_vat), None) or (categories[0] if categories else None)
    if vat is not None:
        _put(out, code, _text(vat.code))
        _put(out, rate, _text(vat.rate))


def _allowance_charge(ac: AllowanceCharge, terms: tuple[str, ...], vat_terms: tuple[str, str] | None) -> Tree:
    amount, base, percentage, reason, reason_code = terms
    out: Tree = {}
    _put(out, amount, _text(ac.amount))
    _put(out, base, _text(ac.base_amount))
    _put(out, percentage, _text(ac.percentage))
    if vat_terms is not None:
        _category(out, ac.tax_categories, *vat_terms)
    _many(out, reason, ac.reasons, free=True)
    _many(out, reason_code, ac.reason_codes)
    return out


def _document_allowances(invoice: Invoice) -> tuple[list[Tree], list[Tree]]:
    allowances = [_allowance_charge(ac, ("BT-92", "BT-93", "BT-94", "BT-97", "BT-98"), ("BT-95", "BT-96"))
                  for ac in invoice.allowances]
    charges = [_allowance_charge(ac, ("BT-99", "BT-100", "BT-101", "BT-104", "BT-105"), ("BT-102", "BT-103"))
               for ac in invoice.charges]
    return [a for a in allowances if a], [c for c in charges if c]


def _period(period: Period, start: str, end: str) -> Tree:
    out: Tree = {}
    _put(out, start, _text(period.start))
    _put(out, end, _text(period.end))
    return out


def _payment(means: PaymentMeans, sepa_creditor: list[str]) -> Tree:
    out: Tree = {}
    code = means.code
    _put(out, "BT-81", _text(code))
    _put(out, "BT-82", code.attr("name") if code is not None else None)
    _many(out, "BT-83", means.payment_ids)
    accounts = []
    for account in means.accounts:
        acc: Tree = {}
        _put(acc, "BT-84", _text(account.id))
        _put(acc, "BT-85", _text(account.name))
        _put(acc, "BT-86", _text(account.branch_id))
        if acc:
            accounts.append(acc)
    _put(out, "BG-17", accounts)
    if means.cards:
        card, c = means.cards[0], {}
        _put(c, "BT-87", _text(card.primary_account_number))
        _put(c, "BT-88", _text(card.holder))
        _put(out, "BG-18", c)
    if means.mandates:
        mandate, m = means.mandates[0], {}
        _many(m, "BT-89", mandate.ids)
        _put(m, "BT-90", sepa_creditor[0] if len(sepa_creditor) == 1 else sepa_creditor)
        _put(m, "BT-91", _text(mandate.payer_account))
        _put(out, "BG-19", m)
    return out


def _line(line: Line) -> Tree:
    out: Tree = {}
    _put(out, "BT-126", _text(line.id))
    _many(out, "BT-127", line.notes, free=True)
    _identified(out, "BT-128", [d.id for d in line.document_references if d.id is not None])
    _put(out, "BT-129", _text(line.quantity))
    _put(out, "BT-130", line.quantity.attr("unitCode") if line.quantity is not None else None)
    _put(out, "BT-131", _text(line.net_amount))
    _many(out, "BT-132", line.order_line_ids)
    _put(out, "BT-133", _text(line.accounting_cost))
    if line.periods:
        _put(out, "BG-26", _period(line.periods[0], "BT-134", "BT-135"))
    allowances = [_allowance_charge(ac, ("BT-136", "BT-137", "BT-138", "BT-139", "BT-140"), None)
                  for ac in line.allowances_charges if ac.is_charge is False]
    charges = [_allowance_charge(ac, ("BT-141", "BT-142", "BT-143", "BT-144", "BT-145"), None)
               for ac in line.allowances_charges if ac.is_charge is True]
    _put(out, "BG-27", [a for a in allowances if a])
    _put(out, "BG-28", [c for c in charges if c])
    if line.price is not None:
        price: Tree = {}
        _put(price, "BT-146", _text(line.price.amount))
        discount = next((ac for ac in line.price.allowances), None)
        if discount is not None:
            _put(price, "BT-147", _text(discount.amount))
            _put(price, "BT-148", _text(discount.base_amount))
        _put(price, "BT-149", _text(line.price.base_quantity))
        if line.price.base_quantity is not None:
            _put(price, "BT-150", line.price.base_quantity.attr("unitCode"))
        _put(out, "BG-29", price)
    item = line.item
    if item is not None:
        vat: Tree = {}
        _category(vat, item.tax_categories, "BT-151", "BT-152")
        _put(out, "BG-30", vat)
        info: Tree = {}
        _many(info, "BT-153", item.names)
        _many(info, "BT-154", item.descriptions, free=True)
        _put(info, "BT-155", _text(item.sellers_id))
        _put(info, "BT-156", _text(item.buyers_id))
        _identified(info, "BT-157", item.standard_ids)
        classes = [v for v in item.classifications if _text(v)]
        if classes:
            _many(info, "BT-158", classes)
            lists = [v.attr("listID") or "" for v in classes]
            versions = [v.attr("listVersionID") or "" for v in classes]
            if any(lists):
                _put(info, "BT-158-1", lists[0] if len(lists) == 1 else lists)
            if any(versions):
                _put(info, "BT-158-2", versions[0] if len(versions) == 1 else versions)
        _put(info, "BT-159", _text(item.origin_country))
        attributes = []
        for prop in item.properties:
            p: Tree = {}
            _put(p, "BT-160", _text(prop.name))
            _put(p, "BT-161", _text(prop.value))
            if p:
                attributes.append(p)
        _put(info, "BG-32", attributes)
        _put(out, "BG-31", info)
    return out


def _note(value: Value) -> Tree:
    """BG-1: a UBL note may begin with its subject code between hashes (``#AAI#text``)."""
    text = value.text.strip()
    out: Tree = {}
    if text.startswith("#") and text.count("#") >= 2:
        code, _, rest = text[1:].partition("#")
        if code and " " not in code:
            _put(out, "BT-21", code)
            text = rest.strip()
    _put(out, "BT-22", text)
    return out


def _tax_totals(invoice: Invoice) -> tuple[str | None, str | None, list[Tree]]:
    """(BT-110, BT-111, BG-23): the VAT total in the invoice currency carries the breakdown; one in the VAT
    accounting currency (BT-6), if any, is BT-111."""
    currency = _text(invoice.currency)
    accounting = _text(invoice.tax_currency[0]) if invoice.tax_currency else None
    bt110 = bt111 = None
    breakdown: list[Tree] = []
    for total in invoice.tax_totals:
        amount_currency = total.tax_amount.attr("currencyID") if total.tax_amount is not None else None
        if accounting and amount_currency == accounting and accounting != currency:
            bt111 = _text(total.tax_amount)
            continue
        if bt110 is None:
            bt110 = _text(total.tax_amount)
        for sub in total.subtotals:
            row: Tree = {}
            _put(row, "BT-116", _text(sub.taxable_amount))
            _put(row, "BT-117", _text(sub.tax_amount))
            category = sub.vat_category or (sub.categories[0] if sub.categories else None)
            if category is not None:
                _put(row, "BT-118", _text(category.code))
                _put(row, "BT-119", _text(category.rate))
                _many(row, "BT-120", category.exemption_reasons, free=True)
                _put(row, "BT-121", _text(category.exemption_reason_code))
            if row:
                breakdown.append(row)
    return bt110, bt111, breakdown


def invoice_tree(invoice: Invoice) -> Tree:
    """The whole document as EN 16931 terms (BG-0's children, in the order of the standard)."""
    out: Tree = {}
    _put(out, "BT-1", _text(invoice.number))
    _put(out, "BT-2", _text(invoice.issue_date))
    _put(out, "BT-3", _text(invoice.type_code))
    _put(out, "BT-5", _text(invoice.currency))
    _many(out, "BT-6", invoice.tax_currency)
    _put(out, "BT-7", _text(invoice.tax_point_date))
    _many(out, "BT-8", [code for period in invoice.periods for code in period.description_codes])
    _put(out, "BT-9", _text(invoice.due_date))
    _put(out, "BT-10", _text(invoice.buyer_reference))
    _many(out, "BT-11", invoice.project_ids)
    _many(out, "BT-12", invoice.contract_ids)
    _put(out, "BT-13", _text(invoice.order_id))
    _put(out, "BT-14", _text(invoice.sales_order_id))
    _many(out, "BT-15", invoice.receipt_ids)
    _many(out, "BT-16", invoice.despatch_ids)
    tender = list(invoice.originator_ids) + [d.id for d in invoice.additional_documents
                                             if d.id is not None and _text(d.type_code) == "50"]
    _many(out, "BT-17", tender)
    _identified(out, "BT-18", [d.id for d in invoice.additional_documents
                               if d.id is not None and _text(d.type_code) == "130"])
    _put(out, "BT-19", _text(invoice.accounting_cost))
    _many(out, "BT-20", invoice.payment_terms, free=True)
    _put(out, "BG-1", [n for n in (_note(v) for v in invoice.notes) if n])
    control: Tree = {}
    _put(control, "BT-23", _text(invoice.profile_id))
    _put(control, "BT-24", _text(invoice.customization_id))
    _put(out, "BG-2", control)
    preceding = []
    for ref in invoice.billing_references:
        for number, date in ref.invoice_refs:
            row: Tree = {}
            _put(row, "BT-25", _text(number))
            _put(row, "BT-26", _text(date))
            if row:
                preceding.append(row)
    _put(out, "BG-3", preceding)
    _put(out, "BG-4", _seller(invoice.seller))
    _put(out, "BG-7", _buyer(invoice.buyer))
    _put(out, "BG-10", _payee(invoice.payee))
    _put(out, "BG-11", _tax_representative(invoice.tax_representative))
    delivery_info: Tree = {}
    if invoice.deliveries:  # BG-13 and BG-14 occur at most once in EN 16931 (UBL-SR rules flag a repetition)
        delivery = invoice.deliveries[0]
        _many(delivery_info, "BT-70", delivery.party_names)
        _identified(delivery_info, "BT-71", [delivery.location_id] if delivery.location_id is not None else [])
        _put(delivery_info, "BT-72", _text(delivery.actual_date))
    if invoice.periods:
        _put(delivery_info, "BG-14", _period(invoice.periods[0], "BT-73", "BT-74"))
    if invoice.deliveries:
        _put(delivery_info, "BG-15", _address(invoice.deliveries[0].address,
                                              ("BT-75", "BT-76", "BT-165", "BT-77", "BT-78", "BT-79", "BT-80")))
    _put(out, "BG-13", delivery_info)
    parties = [p for p in (invoice.seller, invoice.payee) if p is not None]
    sepa = [_text(v) for p in parties for v in p.identifiers if (v.attr("schemeID") or "").upper() == "SEPA" and _text(v)]
    _put(out, "BG-16", [t for t in (_payment(m, sepa) for m in invoice.payment_means) if t])
    allowances, charges = _document_allowances(invoice)
    _put(out, "BG-20", allowances)
    _put(out, "BG-21", charges)
    bt110, bt111, breakdown = _tax_totals(invoice)
    totals: Tree = {}
    doc = invoice.document_totals
    if doc is not None:
        _put(totals, "BT-106", _text(doc.line_extension))
        _put(totals, "BT-107", _text(doc.allowance_total))
        _put(totals, "BT-108", _text(doc.charge_total))
        _put(totals, "BT-109", _text(doc.tax_exclusive))
    _put(totals, "BT-110", bt110)
    _put(totals, "BT-111", bt111)
    if doc is not None:
        _put(totals, "BT-112", _text(doc.tax_inclusive))
        _put(totals, "BT-113", _text(doc.prepaid))
        _put(totals, "BT-114", _text(doc.rounding))
        _put(totals, "BT-115", _text(doc.payable))
    _put(out, "BG-22", totals)
    _put(out, "BG-23", breakdown)
    documents = []
    for d in invoice.additional_documents:
        if _text(d.type_code) in ("130", "50"):
            continue
        row: Tree = {}
        _put(row, "BT-122", _text(d.id))
        _many(row, "BT-123", d.descriptions, free=True)
        if d.attachment is not None:
            _put(row, "BT-124", _text(d.attachment.external_uri))
            embedded = d.attachment.embedded
            if embedded is not None:
                _put(row, "BT-125", f"{len(embedded.text.strip())} base64 characters")
                _put(row, "BT-125-1", embedded.attr("mimeCode"))
                _put(row, "BT-125-2", embedded.attr("filename"))
        if row:
            documents.append(row)
    _put(out, "BG-24", documents)
    _put(out, "BG-25", [t for t in (_line(line) for line in invoice.lines) if t])
    return out


def with_names(tree: Tree) -> dict:
    """The tree with each term's English and Chinese name: ``{"BT-1": {"name_en", "name_zh", "value"}}``."""

    def node(term: str, value):
        names = name_of(term)
        if isinstance(value, dict):
            value = {k: node(k, v) for k, v in value.items()}
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            value = [{k: node(k, v) for k, v in item.items()} for item in value]
        return {"name_en": names["en"], "name_zh": names["zh"], "value": value}

    return {term: node(term, value) for term, value in tree.items()}
