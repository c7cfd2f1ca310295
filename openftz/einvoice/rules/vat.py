"""The VAT category rules (增值税类别规则): one family per category code of UNTDID 5305 as EN 16931 uses it.

S standard rated (BR-S-*), Z zero rated (BR-Z-*), E exempt (BR-E-*), AE reverse charge (BR-AE-*), K intra-community
supply (BR-IC-*), G export outside the EU (BR-G-*), O not subject to VAT (BR-O-*), L IGIC Canary Islands (BR-AF-*),
M IPSI Ceuta and Melilla (BR-AG-*), B split payment (BR-B-*). The numbered rules of every family say the same
things — 01 the breakdown has the category, 02-04 the parties carry the identifiers the category needs, 05-07 the
rate of lines, allowances and charges, 08 the breakdown's taxable amount, 09 its tax amount, 10 the exemption
reason — so each family is a row of :data:`FAMILIES` and the checks are written once.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model import AllowanceCharge, Invoice, TaxCategory, TaxSubtotal
from . import rule
from .util import ONE, ZERO, dec, round2


@dataclass(frozen=True)
class Family:
    code: str
    prefix: str  # rule id prefix, e.g. "BR-S"
    breakdown: str  # "one": exactly one breakdown of the category; "some": at least one
    identifiers: str  # which party identifiers lines, allowances and charges of the category need
    rate: str  # "positive", "zero", "non-negative", "none"
    taxable: str  # "exact": sums equal; "per-rate": per rate within one unit
    tax: str  # "zero" or "rate"
    exemption: str  # "required" or "forbidden"


FAMILIES = (
    Family("S", "BR-S", "some", "seller", "positive", "per-rate", "rate", "forbidden"),
    Family("Z", "BR-Z", "one", "seller", "zero", "exact", "zero", "forbidden"),
    Family("E", "BR-E", "one", "seller", "zero", "exact", "zero", "required"),
    Family("AE", "BR-AE", "one", "seller-and-buyer", "zero", "exact", "zero", "required"),
    Family("K", "BR-IC", "one", "seller-vat-and-buyer-vat", "zero", "exact", "zero", "required"),
    Family("G", "BR-G", "one", "seller-vat", "zero", "exact", "zero", "required"),
    Family("O", "BR-O", "one", "none-of-them", "none", "exact", "zero", "required"),
    Family("L", "BR-AF", "some", "seller", "non-negative", "per-rate-lines", "rate", "forbidden"),
    Family("M", "BR-AG", "some", "seller", "non-negative", "per-rate-lines", "rate", "forbidden"),
)


def _vat(categories, code: str):
    return [c for c in categories if c.is_vat and c.code_norm == code]


def _doc_categories(inv: Invoice):
    return inv.tax_categories


def _all_acs(inv: Invoice):
    return inv.all_allowances_charges


def _line_categories(inv: Invoice):
    return inv.line_tax_categories


def _seller_any_company_id(inv: Invoice) -> bool:
    return inv.seller is not None and any(ts.company_id is not None for ts in inv.seller.tax_schemes)


def _vat_id(party) -> bool:
    return party is not None and any(ts.is_vat and ts.company_id is not None for ts in party.tax_schemes)


def _identifiers_ok(inv: Invoice, need: str) -> bool:
    rep = _vat_id(inv.tax_representative)
    if need == "seller":
        return _seller_any_company_id(inv) or rep
    if need == "seller-vat":
        return _vat_id(inv.seller) or rep
    if need == "seller-and-buyer":
        buyer = _vat_id(inv.buyer) or (inv.buyer is not None and bool(inv.buyer.legal_ids))
        return (_seller_any_company_id(inv) or rep) and buyer
    if need == "seller-vat-and-buyer-vat":
        return (_vat_id(inv.seller) or rep) and _vat_id(inv.buyer)
    return not (_vat_id(inv.seller) or rep or _vat_id(inv.buyer))  # "none-of-them"


def _rate_ok(cat: TaxCategory, rate: str) -> bool:
    if rate == "none":
        return cat.rate is None
    d = dec(cat.rate)
    if d is None:
        return False
    return d > ZERO if rate == "positive" else d >= ZERO if rate == "non-negative" else d == ZERO


def _acs_of(inv: Invoice, charge: bool, anywhere: bool = True):
    acs = _all_acs(inv) if anywhere else inv.allowances_charges
    return [ac for ac in acs if ac.is_charge is charge]


def uses(code: str):
    """The condition of a family: a VAT category with this code appears somewhere in the document (a line, an
    allowance or charge, the breakdown); without one, none of the family's rules can be broken."""

    def used(inv: Invoice) -> bool:
        return code in inv.category_codes

    used.__name__ = f"uses_{code}"
    return used


def uses_on_allowances(code: str):
    """The condition of a family's rules on allowances and charges: the category is used and there are some."""

    def used(inv: Invoice) -> bool:
        return code in inv.category_codes and bool(inv.all_allowances_charges)

    used.__name__ = f"uses_{code}_on_allowances"
    return used


def _make(fam: Family) -> None:
    code = fam.code
    when = uses(code)
    when_allowances = uses_on_allowances(code)

    @rule(f"{fam.prefix}-01", when=when)
    def breakdown_present(inv: Invoice):
        in_breakdown = [c for sub in inv.vat_breakdown for c in sub.categories if c.code_norm == code]
        if fam.breakdown == "one":
            used = any(_vat(_doc_categories(inv), code)) or any(_vat(_line_categories(inv), code))
            if used and len([c for c in in_breakdown if c.is_vat]) != 1:
                yield inv.path
        else:
            uses = [c for ac in _all_acs(inv) for c in ac.tax_categories if c.code_norm == code]
            uses += [c for c in _line_categories(inv) if c.code_norm == code]
            if code != "S":  # IGIC and IPSI count only categories of the VAT scheme
                uses = [c for c in uses if c.is_vat]
                in_breakdown = [c for c in in_breakdown if c.is_vat or c.code is not None and c.code.text == code]
            if bool(uses) != bool(in_breakdown):
                yield inv.path

    @rule(f"{fam.prefix}-02", when=when)
    def line_identifiers(inv: Invoice):
        lines = [c for c in _line_categories(inv) if c.code_norm == code]
        if lines and not (any(c.is_vat for c in lines) and _identifiers_ok(inv, fam.identifiers)):
            yield inv.path

    for number, charge in (("03", False), ("04", True)):
        def ac_identifiers(inv: Invoice, charge=charge):
            acs = _acs_of(inv, charge, anywhere=(code != "O"))
            if any(_vat(ac.tax_categories, code) for ac in acs) and not _identifiers_ok(inv, fam.identifiers):
                yield inv.path

        ac_identifiers.__name__ = f"{fam.prefix}-{number}"
        rule(f"{fam.prefix}-{number}", when=when_allowances)(ac_identifiers)

    @rule(f"{fam.prefix}-05", when=when)
    def line_rate(inv: Invoice):
        for c in _vat(_line_categories(inv), code):
            if not _rate_ok(c, fam.rate):
                yield c.path

    for number, charge in (("06", False), ("07", True)):
        def ac_rate(inv: Invoice, charge=charge):
            for ac in _acs_of(inv, charge):
                for c in _vat(ac.tax_categories, code):
                    if not _rate_ok(c, fam.rate):
                        yield c.path

        ac_rate.__name__ = f"{fam.prefix}-{number}"
        rule(f"{fam.prefix}-{number}", when=when_allowances)(ac_rate)

    @rule(f"{fam.prefix}-08", when=when)
    def taxable_amount(inv: Invoice):
        for sub, cat in _breakdowns(inv, code):
            if not _taxable_ok(inv, sub, cat, fam):
                yield cat.path

    @rule(f"{fam.prefix}-09", when=when)
    def tax_amount(inv: Invoice):
        for sub, cat in _breakdowns(inv, code):
            tax = dec(sub.tax_amount)
            if fam.tax == "zero":
                ok = tax is not None and tax == ZERO
            else:
                rate, taxable = dec(cat.rate), dec(sub.taxable_amount)
                ok = None not in (tax, rate, taxable) and (
                    abs(tax) - ONE < round2(abs(taxable) * (rate / 100)) < abs(tax) + ONE)
            if not ok:
                yield cat.path

    @rule(f"{fam.prefix}-10", when=when)
    def exemption_reason(inv: Invoice):
        for _sub, cat in _breakdowns(inv, code):
            has = bool(cat.exemption_reasons) or cat.exemption_reason_code is not None
            if has != (fam.exemption == "required"):
                yield cat.path


def _breakdowns(inv: Invoice, code: str):
    return [(sub, cat) for sub in inv.vat_breakdown for cat in sub.categories if cat.is_vat and cat.code_norm == code]


def _has(categories, code: str, rate: Decimal | None) -> bool:
    """A category with ``code`` is among ``categories`` and, when ``rate`` is given, a rate equal to it too
    (the standard's ``[cac:…/cbc:ID = code][cac:…/cbc:Percent = rate]``: two tests of the same set)."""
    has_code, has_rate = False, rate is None
    for c in categories:
        if c.code_norm == code:
            has_code = True
        if not has_rate and c.rate is not None and dec(c.rate) == rate:
            has_rate = True
    return has_code and has_rate


def _line_has(line, code: str, rate: Decimal | None = None) -> bool:
    return line.item is not None and _has(line.item.tax_categories, code, rate)


def _ac_has(ac: AllowanceCharge, code: str, rate: Decimal | None = None) -> bool:
    return _has(ac.tax_categories, code, rate)


def _category_sum(inv: Invoice, code: str, rate: Decimal | None) -> Decimal | None:
    total = ZERO
    for line in inv.lines:
        if _line_has(line, code, rate) and line.net_amount is not None:
            d = dec(line.net_amount)
            if d is None:
                return None
            total += d
    for ac in inv.allowances_charges:
        if ac.is_charge is None or ac.amount is None or not _ac_has(ac, code, rate):
            continue
        d = dec(ac.amount)
        if d is None:
            return None
        total += d if ac.is_charge else -d
    return total


def _taxable_ok(inv: Invoice, sub: TaxSubtotal, cat: TaxCategory, fam: Family) -> bool:
    taxable = dec(sub.taxable_amount)
    if fam.taxable == "exact":
        total = _category_sum(inv, fam.code, None)
        return bool(inv.lines) and taxable is not None and total is not None and taxable == total
    if cat.rate is None:
        return True  # the rule holds for every rate given, and none is
    rate = dec(cat.rate)
    if rate is None or taxable is None:
        return False
    if fam.taxable == "per-rate":
        used = any(_line_has(line, fam.code, rate) for line in inv.lines) or any(
            _ac_has(ac, fam.code, rate) for ac in _all_acs(inv))
    else:
        used = bool(inv.lines)
    total = _category_sum(inv, fam.code, rate)
    return used and total is not None and taxable - ONE < total < taxable + ONE


for _fam in FAMILIES:
    _make(_fam)
_USES_K, _USES_O, _USES_B = uses("K"), uses("O"), uses("B")


@rule("BR-IC-11", when=_USES_K)
def br_ic_11(inv: Invoice):
    if any(True for _ in _breakdowns(inv, "K")):
        delivery = inv.deliveries[0] if inv.deliveries else None
        dated = delivery is not None and delivery.actual_date is not None and len(delivery.actual_date.text) > 1
        if not (dated or any(p.has_children for p in inv.periods)):
            yield inv.path


@rule("BR-IC-12", when=_USES_K)
def br_ic_12(inv: Invoice):
    if any(True for _ in _breakdowns(inv, "K")):
        delivery = inv.deliveries[0] if inv.deliveries else None
        country = delivery.address.country if delivery is not None and delivery.address is not None else None
        if country is None or len(country.text) <= 1:
            yield inv.path


def _o_in_breakdown(inv: Invoice) -> bool:
    return any(True for _ in _breakdowns(inv, "O"))


@rule("BR-O-11", when=_USES_O)
def br_o_11(inv: Invoice):
    if _o_in_breakdown(inv) and any(c.is_vat and c.code_norm != "O" for s in inv.vat_breakdown for c in s.categories):
        yield inv.path


@rule("BR-O-12", when=_USES_O)
def br_o_12(inv: Invoice):
    if _o_in_breakdown(inv) and any(c.is_vat and c.code_norm != "O" for c in _line_categories(inv)):
        yield inv.path


@rule("BR-O-13", when=_USES_O)
def br_o_13(inv: Invoice):
    if _o_in_breakdown(inv) and any(c.is_vat and c.code_norm != "O" for ac in _acs_of(inv, False) for c in ac.tax_categories):
        yield inv.path


@rule("BR-O-14", when=_USES_O)
def br_o_14(inv: Invoice):
    if _o_in_breakdown(inv) and any(c.is_vat and c.code_norm != "O" for ac in _acs_of(inv, True) for c in ac.tax_categories):
        yield inv.path


def _exact_codes(inv: Invoice, *, lines: bool = True, breakdown: bool = True, document_acs_only: bool = True) -> set[str]:
    """The category codes exactly as written (split payment compares them without normalising)."""
    out = set()
    if breakdown:
        out |= {c.code.text for s in inv.vat_breakdown for c in s.categories if c.code is not None}
    acs = inv.allowances_charges if document_acs_only else list(_all_acs(inv))
    out |= {c.code.text for ac in acs for c in ac.tax_categories if c.code is not None}
    if lines:
        out |= {c.code.text for c in _line_categories(inv) if c.code is not None}
    return out


@rule("BR-B-01", when=_USES_B)
def br_b_01(inv: Invoice):
    if "B" in _exact_codes(inv, document_acs_only=False):
        countries = inv.syntax.code_sites.get("country", ()) + inv.syntax.code_sites.get("origin_country", ())
        if any(c.text != "IT" for c in countries):
            yield inv.path


@rule("BR-B-02", when=_USES_B)
def br_b_02(inv: Invoice):
    codes = _exact_codes(inv)
    if "B" in codes and "S" in codes:
        yield inv.path
