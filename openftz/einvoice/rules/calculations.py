"""EN 16931 calculation rules BR-CO-10 … BR-CO-18 and the two-decimals rules BR-DEC-* (计算规则).

Amounts are ``Decimal``; rounding is the standard's ``round(x * 10 * 10) div 100`` (halves up). A missing or
non-numeric amount that a calculation needs breaks the calculation, as it does in the standard's own rules.
"""
from __future__ import annotations

from ..model import Invoice, Totals
from . import contexts as ctx, rule
from .util import ONE, ZERO, decimal_sum, dec, round2, two_decimals, xround


def _sum(values):
    return decimal_sum(values)


@rule("BR-CO-10")
def br_co_10(inv: Invoice):
    for t in inv.totals:
        total = dec(t.line_extension)
        lines = _sum(line.net_amount for line in inv.lines)
        if total is None or lines is None or total != round2(lines):
            yield t.path


def _doc_sum(inv: Invoice, charge: bool):
    acs = [ac for ac in inv.allowances_charges if ac.is_charge is charge]
    return acs, _sum(ac.amount for ac in acs)


@rule("BR-CO-11")
def br_co_11(inv: Invoice):
    for t in inv.totals:
        acs, total = _doc_sum(inv, False)
        if t.allowance_total is None:
            if acs:
                yield t.path
        elif total is None or dec(t.allowance_total) != round2(total):
            yield t.path


@rule("BR-CO-12")
def br_co_12(inv: Invoice):
    for t in inv.totals:
        acs, total = _doc_sum(inv, True)
        if t.charge_total is None:
            if acs:
                yield t.path
        elif total is None or dec(t.charge_total) != round2(total):
            yield t.path


def _co_13(t: Totals) -> bool:
    exclusive, lines = dec(t.tax_exclusive), dec(t.line_extension)
    if exclusive is None or lines is None:
        return False
    expected = lines
    for v, sign in ((t.charge_total, 1), (t.allowance_total, -1)):
        if v is not None:
            d = dec(v)
            if d is None:
                return False
            expected += sign * d
    if t.charge_total is None and t.allowance_total is None:
        return exclusive == lines
    return exclusive == round2(expected)


@rule("BR-CO-13")
def br_co_13(inv: Invoice):
    for t in inv.totals:
        if not _co_13(t):
            yield t.path


@rule("BR-CO-14")
def br_co_14(inv: Invoice):
    for total in inv.tax_totals:
        if not total.subtotals:
            continue
        amount = dec(total.tax_amount)
        subs = _sum(s.tax_amount for s in total.subtotals)
        if amount is None or subs is None or amount != round2(subs):
            yield total.path


@rule("BR-CO-15")
def br_co_15(inv: Invoice):
    if inv.currency is None:
        return
    code = inv.currency.text
    in_currency = [t.tax_amount for t in inv.tax_totals if t.tax_amount is not None and t.tax_amount.attr("currencyID") == code]
    totals = inv.document_totals
    ok = False
    if len(in_currency) == 1 and totals is not None and dec(in_currency[0]) is not None:
        inclusive, exclusive = dec(totals.tax_inclusive), dec(totals.tax_exclusive)
        ok = inclusive is not None and exclusive is not None and inclusive == round2(exclusive + dec(in_currency[0]))
    if not ok:
        yield inv.path


def _co_16(t: Totals) -> bool:
    payable, inclusive = dec(t.payable), dec(t.tax_inclusive)
    if payable is None or inclusive is None:
        return False
    prepaid = rounding = ZERO
    if t.prepaid is not None:
        prepaid = dec(t.prepaid)
    if t.rounding is not None:
        rounding = dec(t.rounding)
    if prepaid is None or rounding is None:
        return False
    if t.rounding is None:
        return payable == (round2(inclusive - prepaid) if t.prepaid is not None else inclusive)
    due = round2(inclusive - prepaid) if t.prepaid is not None else inclusive
    return round2(payable - rounding) == due


@rule("BR-CO-16")
def br_co_16(inv: Invoice):
    for t in inv.totals:
        if not _co_16(t):
            yield t.path


@rule("BR-CO-17")
def br_co_17(inv: Invoice):
    for sub in inv.vat_breakdown:
        cat = sub.vat_category
        rate = dec(cat.rate) if cat is not None and cat.rate is not None else None
        tax = dec(sub.tax_amount)
        if tax is None:
            yield sub.path
            continue
        if rate is None:
            if cat is not None and cat.rate is not None:  # a rate that is not a number
                yield sub.path
            elif xround(tax) != ZERO:
                yield sub.path
            continue
        if xround(rate) == ZERO:
            if xround(tax) != ZERO:
                yield sub.path
            continue
        taxable = dec(sub.taxable_amount)
        if taxable is None:
            yield sub.path
            continue
        expected = round2(abs(taxable) * (rate / 100))
        if not (abs(tax) - ONE < expected < abs(tax) + ONE):
            yield sub.path


@rule("BR-CO-18")
def br_co_18(inv: Invoice):
    if not inv.vat_breakdown:
        yield inv.path


def _decimals(rule_id: str, values):
    """A BR-DEC rule: each of ``values`` has at most two decimals. Only a document with such an amount at all (the
    parser lists them, UBL-DT-01) can break one."""

    @rule(rule_id, when=ctx.long_decimals)
    def check(inv: Invoice):
        for v in values(inv):
            if v is not None and not two_decimals(v):
                yield v.path

    check.__name__ = rule_id.lower().replace("-", "_")
    return check


def _doc_acs(charge: bool):
    return lambda inv: (ac for ac in inv.allowances_charges if ac.is_charge is charge)


def _line_acs(charge: bool):
    return lambda inv: (ac for line in inv.lines for ac in line.allowances_charges if ac.is_charge is charge)


_decimals("BR-DEC-01", lambda inv: (ac.amount for ac in _doc_acs(False)(inv)))
_decimals("BR-DEC-02", lambda inv: (ac.base_amount for ac in _doc_acs(False)(inv)))
_decimals("BR-DEC-05", lambda inv: (ac.amount for ac in _doc_acs(True)(inv)))
_decimals("BR-DEC-06", lambda inv: (ac.base_amount for ac in _doc_acs(True)(inv)))
_decimals("BR-DEC-09", lambda inv: (t.line_extension for t in inv.totals))
_decimals("BR-DEC-10", lambda inv: (t.allowance_total for t in inv.totals))
_decimals("BR-DEC-11", lambda inv: (t.charge_total for t in inv.totals))
_decimals("BR-DEC-12", lambda inv: (t.tax_exclusive for t in inv.totals))
_decimals("BR-DEC-13", lambda inv: (t.tax_amount for t in inv.tax_totals
                                    if t.tax_amount is not None and inv.currency is not None
                                    and t.tax_amount.attr("currencyID") == inv.currency.text))
_decimals("BR-DEC-14", lambda inv: (t.tax_inclusive for t in inv.totals))
_decimals("BR-DEC-15", lambda inv: (t.tax_amount for t in inv.tax_totals if t.tax_amount is not None
                                    and t.tax_amount.attr("currencyID") in {c.text for c in inv.tax_currency}))
_decimals("BR-DEC-16", lambda inv: (t.prepaid for t in inv.totals))
_decimals("BR-DEC-17", lambda inv: (t.rounding for t in inv.totals))
_decimals("BR-DEC-18", lambda inv: (t.payable for t in inv.totals))
_decimals("BR-DEC-19", lambda inv: (s.taxable_amount for s in inv.vat_breakdown))
_decimals("BR-DEC-20", lambda inv: (s.tax_amount for s in inv.vat_breakdown))
_decimals("BR-DEC-23", lambda inv: (line.net_amount for line in inv.lines))
_decimals("BR-DEC-24", lambda inv: (ac.amount for ac in _line_acs(False)(inv)))
_decimals("BR-DEC-25", lambda inv: (ac.base_amount for ac in _line_acs(False)(inv)))
_decimals("BR-DEC-27", lambda inv: (ac.amount for ac in _line_acs(True)(inv)))
_decimals("BR-DEC-28", lambda inv: (ac.base_amount for ac in _line_acs(True)(inv)))
