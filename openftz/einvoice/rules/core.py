"""EN 16931 business rules BR-01 … BR-65 and the conditional rules BR-CO-03/04/09/19/20/26 (业务规则).

Each function yields the path of the element where the rule is broken. Contexts follow the standard: a rule on the
seller's postal address (BR-09) runs only where that address exists.
"""
from __future__ import annotations

from functools import cache

from ..model import Invoice, Party, first, norm
from . import contexts as ctx, register_pass, rule
from .util import compares, date_of, filled


def _vat_company_ids(party: Party | None) -> bool:
    return party is not None and any(ts.is_vat and ts.company_id is not None for ts in party.tax_schemes)


# The one-line rules "a … shall have …" as tables, each evaluated in one pass with one call (register_pass): the
# rows below are the rules' own tests, in their order; a rule of its own per row would cost a generator and a turn of
# check()'s loop each, on every document.
def _document_terms(inv: Invoice) -> list[tuple[str, str]]:
    """BR-01 … BR-16: the document's own business terms and groups."""
    out = []
    path = inv.path
    if not filled(inv.customization_id):
        out.append(("BR-01", path))
    if not filled(inv.number):
        out.append(("BR-02", path))
    if not filled(inv.issue_date):
        out.append(("BR-03", path))
    if not filled(inv.type_code):
        out.append(("BR-04", path))
    if not filled(inv.currency):
        out.append(("BR-05", path))
    seller, buyer = inv.seller, inv.buyer
    if seller is None or not filled(first(seller.registration_names)):
        out.append(("BR-06", path))
    if buyer is None or not filled(first(buyer.registration_names)):
        out.append(("BR-07", path))
    if seller is None or seller.address is None:
        out.append(("BR-08", path))
    elif not filled(seller.address.country):
        out.append(("BR-09", seller.address.path))
    if buyer is None or buyer.address is None:
        out.append(("BR-10", path))
    elif not filled(buyer.address.country):
        out.append(("BR-11", buyer.address.path))
    for t in inv.totals:
        if t.line_extension is None:
            out.append(("BR-12", t.path))
        if t.tax_exclusive is None:
            out.append(("BR-13", t.path))
        if t.tax_inclusive is None:
            out.append(("BR-14", t.path))
        if t.payable is None:
            out.append(("BR-15", t.path))
    if not inv.lines:
        out.append(("BR-16", path))
    return out


register_pass([f"BR-{n:02d}" for n in range(1, 17)], _document_terms)


@rule("BR-17", when=ctx.payee)
def br_17(inv: Invoice):
    payee = inv.payee
    if payee is None:
        return
    seller_names = {v.text for v in inv.seller.names} if inv.seller else set()
    seller_ids = {v.text for v in inv.seller.identifiers} if inv.seller else set()
    same_name = any(v.text in seller_names for v in payee.names)
    same_id = any(v.text in seller_ids for v in payee.identifiers)
    if not payee.names or same_name or same_id:
        yield payee.path


@rule("BR-18", when=ctx.tax_representative)
def br_18(inv: Invoice):
    rep = inv.tax_representative
    if rep is not None and not filled(first(rep.names)):
        yield rep.path


@rule("BR-19", when=ctx.tax_representative)
def br_19(inv: Invoice):
    rep = inv.tax_representative
    if rep is not None and rep.address is None:
        yield rep.path


@rule("BR-20", when=ctx.tax_representative)
def br_20(inv: Invoice):
    rep = inv.tax_representative
    if rep is not None and rep.address is not None and not filled(rep.address.country):
        yield rep.address.path


def _line_terms(inv: Invoice) -> list[tuple[str, str]]:
    """BR-21 … BR-27: each line's identifier, quantity and its unit, net amount, item name and net price."""
    out = []
    for line in inv.lines:
        path = line.path
        if not filled(line.id):
            out.append(("BR-21", path))
        if line.quantity is None:
            out.append(("BR-22", path))
            out.append(("BR-23", path))
        elif line.quantity.attr("unitCode") is None:
            out.append(("BR-23", path))
        if line.net_amount is None:
            out.append(("BR-24", path))
        if line.item is None or not filled(line.item.name):
            out.append(("BR-25", path))
        price = line.price
        if price is None or price.amount is None:
            out.append(("BR-26", path))
        if price is None or not compares(price.amount, ">="):
            out.append(("BR-27", path))
    return out


register_pass([f"BR-{n}" for n in range(21, 28)], _line_terms)


@rule("BR-28", when=ctx.price_allowances)
def br_28(inv: Invoice):
    for line in inv.lines:
        bases = [ac.base_amount for ac in (line.price.allowances if line.price else ()) if ac.base_amount is not None]
        if bases and not any(compares(b, ">=") for b in bases):
            yield line.path


@rule("BR-29", when=ctx.periods)
def br_29(inv: Invoice):
    for p in inv.periods:
        if p.start is not None and p.end is not None:
            start, end = date_of(p.start), date_of(p.end)
            if start is None or end is None or end < start:
                yield p.path


@rule("BR-30", when=ctx.line_periods)
def br_30(inv: Invoice):
    for line in inv.lines:
        for p in line.periods:
            if p.start is not None and p.end is not None:
                start, end = date_of(p.start), date_of(p.end)
                if start is None or end is None or end < start:
                    yield p.path


def _allowances(inv: Invoice, charge: bool):
    return (ac for ac in inv.allowances_charges if ac.is_charge is charge)


@rule("BR-31", when=ctx.document_allowances_charges)
def br_31(inv: Invoice):
    for ac in _allowances(inv, False):
        if ac.amount is None:
            yield ac.path


@rule("BR-32", when=ctx.document_allowances_charges)
def br_32(inv: Invoice):
    for ac in _allowances(inv, False):
        if not any(c.is_vat and c.code is not None for c in ac.tax_categories):
            yield ac.path


@rule("BR-33", when=ctx.document_allowances_charges)
def br_33(inv: Invoice):
    for ac in _allowances(inv, False):
        if not ac.reasons and not ac.reason_codes:
            yield ac.path


@rule("BR-36", when=ctx.document_allowances_charges)
def br_36(inv: Invoice):
    for ac in _allowances(inv, True):
        if ac.amount is None:
            yield ac.path


@rule("BR-37", when=ctx.document_allowances_charges)
def br_37(inv: Invoice):
    for ac in _allowances(inv, True):
        if not any(c.is_vat and c.code is not None for c in ac.tax_categories):
            yield ac.path


@rule("BR-38", when=ctx.document_allowances_charges)
def br_38(inv: Invoice):
    for ac in _allowances(inv, True):
        if not ac.reasons and not ac.reason_codes:
            yield ac.path


@rule("BR-CO-21", when=ctx.document_allowances_charges)
def br_co_21(inv: Invoice):
    yield from br_33(inv)


@rule("BR-CO-22", when=ctx.document_allowances_charges)
def br_co_22(inv: Invoice):
    yield from br_38(inv)


def _line_allowances(inv: Invoice, charge: bool):
    return (ac for line in inv.lines for ac in line.allowances_charges if ac.is_charge is charge)


@rule("BR-41", when=ctx.line_allowances_charges)
def br_41(inv: Invoice):
    for ac in _line_allowances(inv, False):
        if ac.amount is None:
            yield ac.path


@rule("BR-42", when=ctx.line_allowances_charges)
def br_42(inv: Invoice):
    for ac in _line_allowances(inv, False):
        if not ac.reasons and not ac.reason_codes:
            yield ac.path


@rule("BR-CO-23", when=ctx.line_allowances_charges)
def br_co_23(inv: Invoice):
    yield from br_42(inv)


@rule("BR-43", when=ctx.line_allowances_charges)
def br_43(inv: Invoice):
    for ac in _line_allowances(inv, True):
        if ac.amount is None:
            yield ac.path


@rule("BR-44", when=ctx.line_allowances_charges)
def br_44(inv: Invoice):
    for ac in _line_allowances(inv, True):
        if not ac.reasons and not ac.reason_codes:
            yield ac.path


@rule("BR-CO-24", when=ctx.line_allowances_charges)
def br_co_24(inv: Invoice):
    yield from br_44(inv)


def _breakdown_terms(inv: Invoice) -> list[tuple[str, str]]:
    """BR-45 … BR-48: each VAT breakdown's taxable amount, tax amount, category code and rate."""
    out = []
    for sub in inv.vat_breakdown:
        path = sub.path
        if sub.taxable_amount is None:
            out.append(("BR-45", path))
        if sub.tax_amount is None:
            out.append(("BR-46", path))
        vat = [c for c in sub.categories if c.is_vat]
        if not any(c.code is not None for c in vat):
            out.append(("BR-47", path))
        if not any(c.rate is not None for c in vat) and not any(c.code_norm == "O" for c in vat):
            out.append(("BR-48", path))
    return out


register_pass(["BR-45", "BR-46", "BR-47", "BR-48"], _breakdown_terms)


@rule("BR-49", when=ctx.payment_means)
def br_49(inv: Invoice):
    for pm in inv.payment_means:
        if not pm.codes:
            yield pm.path


@rule("BR-50", when=ctx.payment_means)
def br_50(inv: Invoice):
    for pm in inv.payment_means:
        if any(c.text in ("30", "58") for c in pm.codes):
            for account in pm.accounts:
                if not filled(account.id):
                    yield account.path


@rule("BR-51", when=ctx.payment_means)
def br_51(inv: Invoice):
    for pm in inv.payment_means:
        for card in pm.cards:
            if card.primary_account_number is not None and len(card.primary_account_number.norm) > 10:
                yield card.primary_account_number.path


@rule("BR-52", when=ctx.additional_documents)
def br_52(inv: Invoice):
    for doc in inv.additional_documents:
        if not filled(doc.id):
            yield doc.path


@rule("BR-53", when=ctx.tax_currency)
def br_53(inv: Invoice):
    currencies = {t.tax_amount.attr("currencyID") for t in inv.tax_totals if t.tax_amount is not None}
    if any(code.text not in currencies for code in inv.tax_currency):
        yield inv.path


@rule("BR-54", when=ctx.item_properties)
def br_54(inv: Invoice):
    for line in inv.lines:
        for prop in (line.item.properties if line.item else ()):
            if prop.name is None or prop.value is None:
                yield prop.path


@rule("BR-55", when=ctx.billing_references)
def br_55(inv: Invoice):
    for ref in inv.billing_references:
        if not any(rid is not None for rid, _ in ref.invoice_refs):
            yield ref.path


@rule("BR-56", when=ctx.tax_representative)
def br_56(inv: Invoice):
    rep = inv.tax_representative
    if rep is not None and not _vat_company_ids(rep):
        yield rep.path


@rule("BR-57", when=ctx.deliveries)
def br_57(inv: Invoice):
    for d in inv.deliveries:
        if d.address is not None and d.address.country is None:
            yield d.address.path


@rule("BR-61", when=ctx.payment_means)
def br_61(inv: Invoice):
    for pm in inv.payment_means:
        code = norm(pm.code)
        if code in ("30", "58") and not any(a.id is not None for a in pm.accounts):
            yield pm.path


def _endpoint_schemes(inv: Invoice) -> list[tuple[str, str]]:
    """BR-62, BR-63: the seller's and the buyer's electronic address has its scheme identifier."""
    out = []
    for rule_id, party in (("BR-62", inv.seller), ("BR-63", inv.buyer)):
        if party is not None and party.endpoint is not None and party.endpoint.attr("schemeID") is None:
            out.append((rule_id, party.endpoint.path))
    return out


register_pass(["BR-62", "BR-63"], _endpoint_schemes)


@rule("BR-64", when=ctx.site("standard_id"))
def br_64(inv: Invoice):
    for line in inv.lines:
        for sid in (line.item.standard_ids if line.item else ()):
            if sid.attr("schemeID") is None:
                yield sid.path


@rule("BR-65", when=ctx.site("classification"))
def br_65(inv: Invoice):
    for line in inv.lines:
        for code in (line.item.classifications if line.item else ()):
            if code.attr("listID") is None:
                yield code.path


@rule("BR-CO-03")
def br_co_03(inv: Invoice):
    if inv.tax_point_date is not None and any(p.description_codes for p in inv.periods):
        yield inv.path


@rule("BR-CO-04")
def br_co_04(inv: Invoice):
    for line in inv.lines:
        if line.item is None or not any(c.is_vat and c.code is not None for c in line.item.tax_categories):
            yield line.path


@rule("BR-CO-09")
def br_co_09(inv: Invoice):
    prefixes = _vat_prefix_text()
    for party in inv.parties():
        for ts in party.tax_schemes:
            if ts.is_vat:
                prefix = ts.company_id.text[:2] if ts.company_id is not None else ""
                if prefix not in prefixes:
                    yield ts.path


@cache
def _vat_prefix_text() -> str:
    """The prefixes as one space-separated text: the rule tests that the first two characters occur in it."""
    from . import codelist

    return " " + " ".join(sorted(codelist("vat-prefixes"))) + " "


@rule("BR-CO-19", when=ctx.periods)
def br_co_19(inv: Invoice):
    for p in inv.periods:
        if p.start is None and p.end is None and not p.description_codes:
            yield p.path


@rule("BR-CO-20", when=ctx.line_periods)
def br_co_20(inv: Invoice):
    for line in inv.lines:
        for p in line.periods:
            if p.start is None and p.end is None:
                yield p.path


@rule("BR-CO-26")
def br_co_26(inv: Invoice):
    s = inv.seller
    if s is None:
        return
    has_id = any(v.attr("schemeID") != "SEPA" for v in s.identifiers)
    if not (_vat_company_ids(s) or has_id or s.legal_ids):
        yield s.path.rsplit("/", 1)[0]
