"""Peppol BIS Billing 3.0 rules (Peppol 规则): PEPPOL-EN16931-R*, -P*, -CL*, -F* and PEPPOL-COMMON-R*.

They apply on top of the EN 16931 rules in the ``peppol`` rule set. The national rules of Peppol (NO-R-*, DK-R-*,
SE-R-*, IT-R-*, GR-R-*, IS-R-*, NL-R-*, DE-R-*) are not part of this set.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..model import AllowanceCharge, Invoice, Value, decimal_of, norm
from . import codelist, rule
from .util import date_of, round2

PEPPOL = "peppol"
_PROFILE = re.compile(r"urn:fdc:peppol.eu:2017:poacc:billing:([0-9]{2}):1.0")
SLACK = Decimal("0.02")


def profile(inv: Invoice) -> str | None:
    """The Peppol billing process number NN of ``urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0`` (BT-23)."""
    text = norm(inv.profile_id)
    if inv.profile_id is None or not _PROFILE.search(text):
        return None
    parts = text.split(":")
    return parts[6] if len(parts) > 6 else None


def peppol(rule_id: str):
    return rule(rule_id, ruleset=PEPPOL)


@peppol("PEPPOL-EN16931-R001")
def r001(inv: Invoice):
    if inv.profile_id is None:
        yield inv.path


@peppol("PEPPOL-EN16931-R007")
def r007(inv: Invoice):
    if profile(inv) is None:
        yield inv.path


@peppol("PEPPOL-EN16931-R002")
def r002(inv: Invoice):
    if len(inv.notes) > 1:
        yield inv.path


@peppol("PEPPOL-EN16931-R003")
def r003(inv: Invoice):
    if inv.buyer_reference is None and inv.order_id is None:
        yield inv.path


@peppol("PEPPOL-EN16931-R004")
def r004(inv: Invoice):
    from . import PEPPOL_CUSTOMIZATION

    if not norm(inv.customization_id).startswith(PEPPOL_CUSTOMIZATION):
        yield inv.path


@peppol("PEPPOL-EN16931-R005")
def r005(inv: Invoice):
    for code in inv.tax_currency:
        if code.norm == norm(inv.currency):
            yield code.path


@peppol("PEPPOL-EN16931-R008")
def r008(inv: Invoice):
    yield from inv.syntax.empty_elements


@peppol("PEPPOL-EN16931-R010")
def r010(inv: Invoice):
    if inv.buyer is not None and inv.buyer.endpoint is None:
        yield inv.buyer.path


@peppol("PEPPOL-EN16931-R020")
def r020(inv: Invoice):
    if inv.seller is not None and inv.seller.endpoint is None:
        yield inv.seller.path


def _acs(inv: Invoice):
    """Document and line allowances and charges (not price discounts), split as Peppol's rules match them."""
    for ac in list(inv.allowances_charges) + [ac for line in inv.lines for ac in line.allowances_charges]:
        yield ac


@peppol("PEPPOL-EN16931-R041")
def r041(inv: Invoice):
    for ac in _acs(inv):
        if ac.percentage is not None and ac.base_amount is None:
            yield ac.path


@peppol("PEPPOL-EN16931-R042")
def r042(inv: Invoice):
    for ac in _acs(inv):
        if ac.percentage is None and ac.base_amount is not None:
            yield ac.path


def _general(ac: AllowanceCharge) -> bool:
    """Neither R041 nor R042 applies: the allowance or charge is judged by R040 and R043."""
    return (ac.percentage is None) == (ac.base_amount is None)


def _within(expected: Decimal, value: Decimal, slack: Decimal = SLACK) -> bool:
    return expected - slack <= value <= expected + slack


@peppol("PEPPOL-EN16931-R040")
def r040(inv: Invoice):
    for ac in _acs(inv):
        if _general(ac) and ac.percentage is not None:
            amount = decimal_of(ac.amount) if ac.amount is not None else Decimal(0)
            base, pct = decimal_of(ac.base_amount), decimal_of(ac.percentage)
            if amount is None or base is None or pct is None or not _within(amount, base * pct / 100):
                yield ac.path


@peppol("PEPPOL-EN16931-R043")
def r043(inv: Invoice):
    for ac in _acs(inv):
        if _general(ac) and norm(ac.indicator) not in ("true", "false"):
            yield ac.path


def _price_acs(inv: Invoice):
    for line in inv.lines:
        if line.price is not None:
            for ac in line.price.allowances:
                yield line.price, ac


@peppol("PEPPOL-EN16931-R044")
def r044(inv: Invoice):
    for _price, ac in _price_acs(inv):
        if norm(ac.indicator) != "false":
            yield ac.path


@peppol("PEPPOL-EN16931-R046")
def r046(inv: Invoice):
    for price, ac in _price_acs(inv):
        if ac.base_amount is not None:
            net, gross, discount = decimal_of(price.amount), decimal_of(ac.base_amount), decimal_of(ac.amount)
            if net is None or gross is None or discount is None or net != gross - discount:
                yield ac.path


@peppol("PEPPOL-EN16931-R051")
def r051(inv: Invoice):
    with_breakdown = {t.path for t in inv.tax_totals if t.subtotals}
    currency = inv.currency.text if inv.currency is not None else None
    for v in inv.syntax.code_sites.get("currency", ()):
        parent, _, name = v.path.rpartition("/")
        if name.startswith("cbc:TaxAmount") and parent not in with_breakdown:
            continue
        if v.attr("currencyID") != currency:
            yield v.path


@peppol("PEPPOL-EN16931-R053")
def r053(inv: Invoice):
    if sum(1 for t in inv.tax_totals if t.subtotals) != 1:
        yield inv.path


@peppol("PEPPOL-EN16931-R054")
def r054(inv: Invoice):
    if sum(1 for t in inv.tax_totals if not t.subtotals) != (1 if inv.tax_currency else 0):
        yield inv.path


@peppol("PEPPOL-EN16931-R055")
def r055(inv: Invoice):
    if not inv.tax_currency:
        return

    def amounts(code: str):
        return [decimal_of(t.tax_amount) for t in inv.tax_totals
                if t.tax_amount is not None and t.tax_amount.attr("currencyID") == code]

    accounting, document = amounts(inv.tax_currency[0].norm), amounts(norm(inv.currency))
    known = [d for d in accounting + document if d is not None]
    if not accounting or not document or len(known) != len(accounting) + len(document):
        yield inv.path
        return
    if not (all(d <= 0 for d in accounting) and all(d <= 0 for d in document)) and not (
            all(d >= 0 for d in accounting) and all(d >= 0 for d in document)):
        yield inv.path


@peppol("PEPPOL-EN16931-R061")
def r061(inv: Invoice):
    for pm in inv.payment_means:
        if norm(pm.code) in ("49", "59") and not any(m.ids for m in pm.mandates):
            yield pm.path


@peppol("PEPPOL-EN16931-R080")
def r080(inv: Invoice):
    if inv.is_credit_note and sum(1 for d in inv.additional_documents
                                  if d.type_code is not None and d.type_code.text == "50") > 1:
        yield inv.path


@peppol("PEPPOL-EN16931-R100")
def r100(inv: Invoice):
    for line in inv.lines:
        if len(line.document_references) > 1:
            yield line.path


@peppol("PEPPOL-EN16931-R101")
def r101(inv: Invoice):
    for line in inv.lines:
        refs = line.document_references
        if refs and not any(d.type_code is not None and d.type_code.text == "130" for d in refs):
            yield line.path


def _line_period_rule(rule_id: str, attr: str, ok) -> None:
    def check(inv: Invoice):
        bounds = [getattr(p, attr) for p in inv.periods if getattr(p, attr) is not None]
        if not bounds:
            return
        bound = date_of(bounds[0])
        for line in inv.lines:
            for p in line.periods:
                v = getattr(p, attr)
                if v is not None:
                    d = date_of(v)
                    if d is None or bound is None or not ok(d, bound):
                        yield v.path

    check.__name__ = rule_id
    peppol(rule_id)(check)


_line_period_rule("PEPPOL-EN16931-R110", "start", lambda d, bound: d >= bound)
_line_period_rule("PEPPOL-EN16931-R111", "end", lambda d, bound: d <= bound)


def _line_net_ok(line) -> bool:
    def amount_or(v: Value | None, default: Decimal) -> Decimal | None:
        return decimal_of(v) if v is not None else default

    net = amount_or(line.net_amount, Decimal(0))
    quantity = amount_or(line.quantity, Decimal(1))
    price = amount_or(line.price.amount if line.price else None, Decimal(0))
    base = decimal_of(line.price.base_quantity) if line.price and line.price.base_quantity is not None else None
    if line.price and line.price.base_quantity is not None and base is None:
        return False
    if base is None or base == 0:
        base = Decimal(1)
    totals = {}
    for flag in ("false", "true"):
        acs = [ac for ac in line.allowances_charges if norm(ac.indicator) == flag]
        amounts = [decimal_of(ac.amount) for ac in acs if ac.amount is not None]
        if any(a is None for a in amounts):
            return False
        totals[flag] = round2(sum(amounts, Decimal(0))) if acs else Decimal(0)
    if None in (net, quantity, price):
        return False
    return _within(net, quantity * (price / base) + totals["true"] - totals["false"])


@peppol("PEPPOL-EN16931-R120")
def r120(inv: Invoice):
    for line in inv.lines:
        if not _line_net_ok(line):
            yield line.path


@peppol("PEPPOL-EN16931-R121")
def r121(inv: Invoice):
    for line in inv.lines:
        if line.price is not None and line.price.base_quantity is not None:
            base = decimal_of(line.price.base_quantity)
            if base is None or base <= 0:
                yield line.path


@peppol("PEPPOL-EN16931-R130")
def r130(inv: Invoice):
    for line in inv.lines:
        base = line.price.base_quantity if line.price is not None else None
        if base is not None and base.attr("unitCode") is not None and line.quantity is not None:
            if base.attr("unitCode") != line.quantity.attr("unitCode"):
                yield base.path


# — identifiers with check digits, by their ICD scheme ————————————————————————————————————————————————————————
def _digits(text: str, n: int | None = None) -> bool:
    return text.isascii() and text.isdigit() and (n is None or len(text) == n)


def gln_ok(text: str) -> bool:
    """GS1 check digit (weights 3, 1 from the right of the payload)."""
    if not _digits(text):
        return False
    payload, check = text[:-1], int(text[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return (10 - total % 10) % 10 == check


def mod11_ok(text: str) -> bool:
    """Norwegian organisation number: weights 2…7 from the right, check = (11 - sum mod 11) mod 11."""
    if not _digits(text, 9) or int(text) == 0:
        return False
    total = sum(int(d) * (i % 6 + 2) for i, d in enumerate(reversed(text[:-1])))
    return (11 - total % 11) % 11 == int(text[-1])


def be_enterprise_ok(text: str) -> bool:
    """Belgian enterprise number: the last two digits are 97 - (the first eight mod 97)."""
    return _digits(text, 10) and int(text[8:]) == 97 - int(text[:8]) % 97


def se_orgnr_ok(text: str) -> bool:
    """Swedish organisation number: ten digits, Luhn check on the first nine."""
    if not _digits(text, 10):
        return False
    total = 0
    for pos, d in enumerate(reversed(text[:9]), 1):
        v = int(d) * 2 if pos % 2 == 1 else int(d)
        total += v % 10 + v // 10
    return (10 - total % 10) % 10 == int(text[9])


def abn_ok(text: str) -> bool:
    """Australian Business Number: subtract 1 from the first digit, weighted sum divisible by 89."""
    if not _digits(text, 11):
        return False
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    digits = [int(d) for d in text]
    digits[0] -= 1
    return sum(w * d for w, d in zip(weights, digits)) % 89 == 0


def dk_cvr_ok(text: str) -> bool:
    return len(text) == 10 and text[:2] == "DK" and text[2:].isascii() and text[2:].isdigit()


def _identifiers(inv: Invoice):
    """EndpointID, PartyIdentification/ID and CompanyID values of the parties, with their scheme."""
    for party in inv.parties():
        if party.endpoint is not None:
            yield party.endpoint
        yield from party.identifiers
        yield from party.legal_ids
        for ts in party.tax_schemes:
            if ts.company_id is not None:
                yield ts.company_id


def _icd_rule(rule_id: str, scheme: str, ok, *, raw: bool = False) -> None:
    def check(inv: Invoice):
        for v in _identifiers(inv):
            if v.attr("schemeID") == scheme and not ok(v.text if raw else v.norm):
                yield v.path

    check.__name__ = rule_id
    peppol(rule_id)(check)


_icd_rule("PEPPOL-COMMON-R040", "0088", gln_ok)
_icd_rule("PEPPOL-COMMON-R041", "0192", mod11_ok)
_icd_rule("PEPPOL-COMMON-R042", "0184", dk_cvr_ok, raw=True)
_icd_rule("PEPPOL-COMMON-R043", "0208", be_enterprise_ok)
_icd_rule("PEPPOL-COMMON-R049", "0007", se_orgnr_ok)
_icd_rule("PEPPOL-COMMON-R050", "0151", abn_ok)


# — restricted code lists and formats ——————————————————————————————————————————————————————————————————————
@peppol("PEPPOL-EN16931-CL001")
def cl001(inv: Invoice):
    for v in inv.syntax.code_sites.get("mime", ()):
        if v.attr("mimeCode") is not None and v.attr("mimeCode") not in codelist("mime"):
            yield v.path


def _reason_codes(inv: Invoice, flag: str):
    acs = list(inv.allowances_charges)
    for line in inv.lines:
        acs.extend(line.allowances_charges)
        if line.price is not None:
            acs.extend(line.price.allowances)
    for ac in acs:
        if ac.indicator is not None and ac.indicator.text == flag:
            yield from ac.reason_codes


@peppol("PEPPOL-EN16931-CL002")
def cl002(inv: Invoice):
    for v in _reason_codes(inv, "false"):
        if v.norm not in codelist("untdid5189"):
            yield v.path


@peppol("PEPPOL-EN16931-CL003")
def cl003(inv: Invoice):
    for v in _reason_codes(inv, "true"):
        if v.norm not in codelist("peppol-uncl7161"):
            yield v.path


@peppol("PEPPOL-EN16931-CL006")
def cl006(inv: Invoice):
    for v in inv.syntax.code_sites.get("period_code", ()):
        if v.norm not in codelist("untdid2005"):
            yield v.path


@peppol("PEPPOL-EN16931-CL007")
def cl007(inv: Invoice):
    for v in inv.syntax.code_sites.get("currency", ()):
        if v.attr("currencyID") not in codelist("peppol-iso4217"):
            yield v.path


@peppol("PEPPOL-EN16931-CL008")
def cl008(inv: Invoice):
    for v in inv.syntax.code_sites.get("endpoint", ()):
        if v.attr("schemeID") is not None and v.attr("schemeID") not in codelist("peppol-eas"):
            yield v.path


@peppol("PEPPOL-EN16931-P0100")
def p0100(inv: Invoice):
    if profile(inv) == "01" and inv.type_code is not None and not inv.is_credit_note:
        if inv.type_code.norm not in codelist("peppol-invoice-type-01"):
            yield inv.type_code.path


@peppol("PEPPOL-EN16931-P0101")
def p0101(inv: Invoice):
    if profile(inv) == "01" and inv.type_code is not None and inv.is_credit_note:
        if inv.type_code.norm not in codelist("peppol-creditnote-type-01"):
            yield inv.type_code.path


def _dates(inv: Invoice):
    yield from (inv.issue_date, inv.tax_point_date)
    if not inv.is_credit_note:
        yield inv.due_date
    for p in list(inv.periods) + [p for line in inv.lines for p in line.periods]:
        yield from (p.start, p.end)
    for d in inv.deliveries:
        yield d.actual_date
    for ref in inv.billing_references:
        for _rid, issued in ref.invoice_refs:
            yield issued


@peppol("PEPPOL-EN16931-F001")
def f001(inv: Invoice):
    for v in _dates(inv):
        if v is not None and not (len(v.text) == 10 and date_of(v) is not None):
            yield v.path


def _exemption_rule(rule_id: str, exemption: str, category: str) -> None:
    def check(inv: Invoice):
        categories = [c for s in inv.vat_breakdown for c in s.categories]
        categories += [c for ac in inv.allowances_charges for c in ac.tax_categories]
        for c in categories:
            code = c.exemption_reason_code
            if code is not None and code.text.upper() == exemption and c.code_norm != category:
                yield c.path

    check.__name__ = rule_id
    peppol(rule_id)(check)


for _n, _x, _c in (("0104", "VATEX-EU-G", "G"), ("0105", "VATEX-EU-O", "O"), ("0106", "VATEX-EU-IC", "K"),
                   ("0107", "VATEX-EU-AE", "AE"), ("0108", "VATEX-EU-D", "E"), ("0109", "VATEX-EU-F", "E"),
                   ("0110", "VATEX-EU-I", "E"), ("0111", "VATEX-EU-J", "E")):
    _exemption_rule(f"PEPPOL-EN16931-P{_n}", _x, _c)
