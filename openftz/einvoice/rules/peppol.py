"""Peppol BIS Billing 3.0 rules (Peppol 规则): PEPPOL-EN16931-R*, -P*, -CL*, -F* and PEPPOL-COMMON-R*.

Each rule is the assert of the same id in ``rules/sch/PEPPOL-EN16931-UBL.sch`` of Peppol BIS Billing 3.0 release
3.0.19 (``RELEASES["peppol"]``), read from its XPath: its context (where it applies, wherever that element occurs
in the document) and its test, with the Schematron's functions (``u:gln``, ``u:mod11``, ``u:checkCF`` …) written
out below. Where the Schematron compares text as written (``string()``, ``@schemeID = '0088'``) the rule does too;
where it collapses whitespace (``normalize-space``) the rule reads ``Value.norm``.

They apply on top of the EN 16931 rules in the ``peppol`` rule set. The national rules of Peppol (NO-R-*, DK-R-*,
SE-R-*, IT-R-*, GR-R-*, IS-R-*, NL-R-*, DE-R-*) are not part of this set. How to move to the next release:
``docs/einvoice-rulesets.md``.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from ..model import AllowanceCharge, Invoice, Value, decimal_of, norm
from . import PEPPOL_CUSTOMIZATION, codelist, contexts as ctx, register_pass, rule
from .util import date_of, round2

PEPPOL = "peppol"
_PROFILE = re.compile(r"urn:fdc:peppol.eu:2017:poacc:billing:([0-9]{2}):1.0")
SLACK = Decimal("0.02")
_ZERO = Decimal(0)


def profile(inv: Invoice) -> str | None:
    """The Peppol billing process number NN of ``urn:fdc:peppol.eu:2017:poacc:billing:NN:1.0`` (BT-23)."""
    return None if inv.profile_id is None else _profile_of(inv.profile_id.text)


@lru_cache(maxsize=64)
def _profile_of(text: str) -> str | None:
    """``$profile`` of a ProfileID written ``text`` (a document has one; every document of a sender the same)."""
    text = " ".join(text.split())
    if not _PROFILE.search(text):
        return None
    parts = text.split(":")
    return parts[6] if len(parts) > 6 else None


def peppol(rule_id: str, when=None):
    """Register a Peppol rule; ``when`` as for :func:`~openftz.einvoice.rules.rule` (its context must exist)."""
    return rule(rule_id, ruleset=PEPPOL, when=when)


def _sites(inv: Invoice, site: str) -> tuple[Value, ...]:
    return inv.syntax.code_sites.get(site, ()) if inv.syntax is not None else ()


def _element(path: str) -> str:
    """The name of the element at ``path`` (``cbc:TaxAmount`` of ``…/cbc:TaxAmount[2]``)."""
    return path.rpartition("/")[2].partition("[")[0]


def _parent(path: str) -> str:
    return path.rpartition("/")[0]


def _german(party) -> bool:
    """``upper-case(normalize-space(…/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode)) = 'DE'``."""
    return party is not None and party.address is not None and norm(party.address.country).upper() == "DE"


def _both_german(inv: Invoice) -> bool:
    """``$supplierCountryIsDE and $customerCountryIsDE``."""
    return _german(inv.seller) and _german(inv.buyer)


# The document-level rules in one pass (register_pass): each is a line or two, and a rule of its own would cost a
# generator and a turn of check()'s loop on every document. Each keeps its place in rule order.
def _document_rules(inv: Invoice) -> list[tuple[str, str]]:
    """R001, R007, R002, R003, R004, R005, R008, R010, R020 (their order as rules)."""
    out = []
    path = inv.path
    if inv.profile_id is None:  # R001: cbc:ProfileID
        out.append(("PEPPOL-EN16931-R001", path))
    if profile(inv) is None:  # R007: $profile != 'Unknown'
        out.append(("PEPPOL-EN16931-R007", path))
    if len(inv.notes) > 1 and not _both_german(inv):  # R002: count(cbc:Note) <= 1 or both German
        out.append(("PEPPOL-EN16931-R002", path))
    if inv.buyer_reference is None and inv.order_id is None:  # R003: cbc:BuyerReference or cac:OrderReference/cbc:ID
        out.append(("PEPPOL-EN16931-R003", path))
    if not norm(inv.customization_id).startswith(PEPPOL_CUSTOMIZATION):  # R004
        out.append(("PEPPOL-EN16931-R004", path))
    for code in inv.tax_currency:  # R005, context cbc:TaxCurrencyCode
        if code.norm == norm(inv.currency):
            out.append(("PEPPOL-EN16931-R005", code.path))
    for empty in inv.syntax.empty_elements:  # R008, context //*[not(*) and not(normalize-space())]
        out.append(("PEPPOL-EN16931-R008", empty))
    if inv.buyer is not None and inv.buyer.endpoint is None:  # R010, context the buyer's cac:Party
        out.append(("PEPPOL-EN16931-R010", inv.buyer.path))
    if inv.seller is not None and inv.seller.endpoint is None:  # R020, context the seller's cac:Party
        out.append(("PEPPOL-EN16931-R020", inv.seller.path))
    return out


register_pass(["PEPPOL-EN16931-R001", "PEPPOL-EN16931-R007", "PEPPOL-EN16931-R002", "PEPPOL-EN16931-R003",
               "PEPPOL-EN16931-R004", "PEPPOL-EN16931-R005", "PEPPOL-EN16931-R008", "PEPPOL-EN16931-R010",
               "PEPPOL-EN16931-R020"], _document_rules, ruleset=PEPPOL)


def _acs(inv: Invoice):
    """Document and line allowances and charges (not price discounts), split as Peppol's rules match them."""
    for ac in list(inv.allowances_charges) + [ac for line in inv.lines for ac in line.allowances_charges]:
        yield ac


@peppol("PEPPOL-EN16931-R041", when=ctx.allowances_charges)
def r041(inv: Invoice):
    for ac in _acs(inv):
        if ac.percentage is not None and ac.base_amount is None:
            yield ac.path


@peppol("PEPPOL-EN16931-R042", when=ctx.allowances_charges)
def r042(inv: Invoice):
    for ac in _acs(inv):
        if ac.percentage is None and ac.base_amount is not None:
            yield ac.path


def _general(ac: AllowanceCharge) -> bool:
    """Neither R041 nor R042 applies: the allowance or charge is judged by R040 and R043."""
    return (ac.percentage is None) == (ac.base_amount is None)


def _within(expected: Decimal, value: Decimal, slack: Decimal = SLACK) -> bool:
    return expected - slack <= value <= expected + slack


@peppol("PEPPOL-EN16931-R040", when=ctx.allowances_charges)
def r040(inv: Invoice):
    for ac in _acs(inv):
        if _general(ac) and ac.percentage is not None:
            amount = decimal_of(ac.amount) if ac.amount is not None else Decimal(0)
            base, pct = decimal_of(ac.base_amount), decimal_of(ac.percentage)
            if amount is None or base is None or pct is None or not _within(amount, base * pct / 100):
                yield ac.path


@peppol("PEPPOL-EN16931-R043", when=ctx.allowances_charges)
def r043(inv: Invoice):
    for ac in _acs(inv):
        if _general(ac) and norm(ac.indicator) not in ("true", "false"):
            yield ac.path


def _price_acs(inv: Invoice):
    for line in inv.lines:
        if line.price is not None:
            for ac in line.price.allowances:
                yield line.price, ac


@peppol("PEPPOL-EN16931-R044", when=ctx.price_allowances)
def r044(inv: Invoice):
    for _price, ac in _price_acs(inv):
        if norm(ac.indicator) != "false":
            yield ac.path


@peppol("PEPPOL-EN16931-R046", when=ctx.price_allowances)
def r046(inv: Invoice):
    for price, ac in _price_acs(inv):
        if ac.base_amount is not None:
            net, gross, discount = decimal_of(price.amount), decimal_of(ac.base_amount), decimal_of(ac.amount)
            if net is None or gross is None or discount is None or net != gross - discount:
                yield ac.path


@peppol("PEPPOL-EN16931-R051")
def r051(inv: Invoice):
    """Context: every amount element, but of the TaxAmounts only those of a TaxTotal with a breakdown (BT-110) and
    of a TaxSubtotal (BT-117); test ``@currencyID = /*/cbc:DocumentCurrencyCode``."""
    currencies = {v.text for v in _sites(inv, "document_currency") if v.path.count("/") == 2}
    with_breakdown = {_parent(v.path) for v in _sites(inv, "tax_subtotal")}
    for v in _sites(inv, "currency"):
        if v.attr("currencyID") in currencies:  # as it should be (the usual case): in the context or not, no finding
            continue
        if _element(v.path) == "cbc:TaxAmount":
            parent = _parent(v.path)
            holder = _element(parent)
            if not (holder == "cac:TaxSubtotal" or (holder == "cac:TaxTotal" and parent in with_breakdown)):
                continue
        yield v.path


def _tax_totals(inv: Invoice) -> list[tuple[str, str]]:
    """R053: one TaxTotal with a breakdown; R054: one without, when there is a VAT accounting currency (one pass)."""
    with_breakdown = sum(1 for t in inv.tax_totals if t.subtotals)
    out = []
    if with_breakdown != 1:
        out.append(("PEPPOL-EN16931-R053", inv.path))
    if len(inv.tax_totals) - with_breakdown != (1 if inv.tax_currency else 0):
        out.append(("PEPPOL-EN16931-R054", inv.path))
    return out


register_pass(["PEPPOL-EN16931-R053", "PEPPOL-EN16931-R054"], _tax_totals, ruleset=PEPPOL)


_DOUBLE = re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|INF)|NaN")


def _double(text: str) -> float | None:
    """The ``xs:double`` an untyped value becomes in a comparison with a number, None where the cast fails."""
    text = text.strip(" \t\r\n")
    return float(text) if _DOUBLE.fullmatch(text) else None


@peppol("PEPPOL-EN16931-R055", when=ctx.tax_currency)
def r055(inv: Invoice):
    if not inv.tax_currency:
        return

    def amounts(code: str):
        return [_double(t.tax_amount.text) for t in inv.tax_totals
                if t.tax_amount is not None and t.tax_amount.attr("currencyID") == code]

    # ``TaxAmount[…] <= 0`` compares each of the amounts: true if one of them is (none: false); a text that is
    # not a number makes the comparison an error in XPath, taken here as the rule broken.
    accounting, document = amounts(inv.tax_currency[0].norm), amounts(norm(inv.currency))
    if None in accounting or None in document:
        yield inv.path
        return
    if not (any(d <= 0 for d in accounting) and any(d <= 0 for d in document)) and not (
            any(d >= 0 for d in accounting) and any(d >= 0 for d in document)):
        yield inv.path


@peppol("PEPPOL-EN16931-R061", when=ctx.payment_means)
def r061(inv: Invoice):
    for pm in inv.payment_means:
        if norm(pm.code) in ("49", "59") and not any(m.ids for m in pm.mandates):
            yield pm.path


@peppol("PEPPOL-EN16931-R080", when=ctx.additional_documents)
def r080(inv: Invoice):
    if inv.is_credit_note and sum(1 for d in inv.additional_documents
                                  if d.type_code is not None and d.type_code.text == "50") > 1:
        yield inv.path


@peppol("PEPPOL-EN16931-R100", when=ctx.document_references)
def r100(inv: Invoice):
    for line in inv.lines:
        if len(line.document_references) > 1:
            yield line.path


@peppol("PEPPOL-EN16931-R101", when=ctx.document_references)
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
    peppol(rule_id, when=ctx.line_periods)(check)


_line_period_rule("PEPPOL-EN16931-R110", "start", lambda d, bound: d >= bound)
_line_period_rule("PEPPOL-EN16931-R111", "end", lambda d, bound: d <= bound)


def _quantity(inv: Invoice, line) -> Value | None:
    """``cbc:InvoicedQuantity`` of an invoice's line, ``cbc:CreditedQuantity`` of a credit note's (the other name,
    which the model also reads as the quantity, is not the line's quantity in Peppol's rules)."""
    q = line.quantity
    wanted = "cbc:CreditedQuantity" if inv.is_credit_note else "cbc:InvoicedQuantity"
    return q if q is not None and _element(q.path) == wanted else None


def _line_net_ok(inv: Invoice, line) -> bool:
    def amount_or(v: Value | None, default: Decimal) -> Decimal | None:
        return decimal_of(v) if v is not None else default

    net = amount_or(line.net_amount, Decimal(0))
    quantity = amount_or(_quantity(inv, line), Decimal(1))
    price = amount_or(line.price.amount if line.price else None, Decimal(0))
    base = decimal_of(line.price.base_quantity) if line.price and line.price.base_quantity is not None else None
    if line.price and line.price.base_quantity is not None and base is None:
        return False
    if base is None or base == 0:
        base = Decimal(1)
    totals = {"false": _ZERO, "true": _ZERO}
    if line.allowances_charges:
        for flag in ("false", "true"):
            acs = [ac for ac in line.allowances_charges if norm(ac.indicator) == flag]
            amounts = [decimal_of(ac.amount) for ac in acs if ac.amount is not None]
            if any(a is None for a in amounts):
                return False
            if acs:
                totals[flag] = round2(sum(amounts, _ZERO))
    if None in (net, quantity, price):
        return False
    return _within(net, quantity * (price / base) + totals["true"] - totals["false"])


def _line_rules(inv: Invoice) -> list[tuple[str, str]]:
    """R120 (the line net amount), R121 (a positive base quantity), R130 (the base quantity's unit) in one pass."""
    out = []
    for line in inv.lines:
        if not _line_net_ok(inv, line):
            out.append(("PEPPOL-EN16931-R120", line.path))
        base = line.price.base_quantity if line.price is not None else None
        if base is not None:
            number = decimal_of(base)
            if number is None or number <= 0:
                out.append(("PEPPOL-EN16931-R121", line.path))
            # R130: context ``cac:Price/cbc:BaseQuantity[@unitCode]``; test ``not($hasQuantity) or @unitCode =
            # $quantity/@unitCode``
            unit = base.attr("unitCode")
            if unit is not None and line.quantity is not None:
                quantity = _quantity(inv, line)
                if quantity is None or unit != quantity.attr("unitCode"):
                    out.append(("PEPPOL-EN16931-R130", base.path))
    return out


register_pass(["PEPPOL-EN16931-R120", "PEPPOL-EN16931-R121", "PEPPOL-EN16931-R130"], _line_rules, ruleset=PEPPOL)


# — identifiers, by their ICD scheme (PEPPOL-COMMON-R040 … R050) ———————————————————————————————————————————————
# Context of each: ``cbc:EndpointID[@schemeID = 'NNNN'] | cac:PartyIdentification/cbc:ID[@schemeID = 'NNNN'] |
# cbc:CompanyID[@schemeID = 'NNNN']`` wherever they occur (any party, the payee, the tax representative …), the
# scheme compared as written; PEPPOL-COMMON-R046 reads only electronic addresses.
_ASCII_DIGITS = frozenset("0123456789")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_ASCII_ALNUM = _ASCII_LETTERS | _ASCII_DIGITS
_INTEGER = re.compile(r"[+-]?[0-9]+")


class _CastError(ValueError):
    """An XPath cast that fails (a dynamic error): the assert cannot hold."""


def _digits(text: str, n: int | None = None) -> bool:
    """``matches(text, '^[0-9]+$')`` (or ``'^[0-9]{n}$'``)."""
    return bool(text) and all(c in _ASCII_DIGITS for c in text) and (n is None or len(text) == n)


def _castable_integer(text: str) -> bool:
    """``text castable as xs:integer``: an optional sign and digits, surrounding whitespace allowed."""
    return _INTEGER.fullmatch(text.strip(" \t\r\n")) is not None


def gln_ok(text: str) -> bool:
    """``u:gln``: GS1 check digit, weights 3, 1 … from the right of the payload."""
    if not _digits(text):
        return False
    backwards = text[-2::-1]  # the payload from the right
    total = 3 * sum(map(int, backwards[0::2])) + sum(map(int, backwards[1::2]))
    return (10 - total % 10) % 10 == int(text[-1])


def mod11_ok(text: str) -> bool:
    """``u:mod11`` on nine digits: weights 2…7 from the right of the payload, check = (11 - sum mod 11) mod 11,
    and the number above zero."""
    if not _digits(text, 9) or int(text) == 0:
        return False
    total = sum(int(d) * (i % 6 + 2) for i, d in enumerate(reversed(text[:-1])))
    return (11 - total % 11) % 11 == int(text[-1])


def dk_cvr_ok(text: str) -> bool:
    """PEPPOL-COMMON-R042 on the text as written (``string()``): eight digits, or (for migration, until the
    release that drops it) ``DK`` and eight digits."""
    return ((len(text) == 10 and text[:2] == "DK" and all(c in _ASCII_DIGITS for c in text[2:]))
            or (len(text) == 8 and all(c in _ASCII_DIGITS for c in text)))


def be_enterprise_ok(text: str) -> bool:
    """``u:mod97-0208`` on ten digits: the last two are 97 - (the first eight mod 97)."""
    return _digits(text, 10) and int(text[8:]) == 97 - int(text[:8]) % 97


def codice_ipa_ok(text: str) -> bool:
    """``u:checkCodiceIPA``: six ASCII letters or digits."""
    return len(text) == 6 and all(c in _ASCII_ALNUM for c in text)


def codice_fiscale_ok(text: str) -> bool:
    """``u:checkCF``: sixteen characters in the pattern of ``u:checkCF16``, or eleven that are an integer."""
    if len(text) == 16:
        return (all(c in _ASCII_LETTERS for c in text[:6]) and _castable_integer(text[6:8])
                and text[8] in _ASCII_LETTERS and _castable_integer(text[9:11])
                and _castable_integer(text[14]) and text[15] in _ASCII_LETTERS)
    return len(text) == 11 and _castable_integer(text)


def _piva_sum(text: str) -> int:
    """``u:addPIVA(text, 0)``: the digits from the left, every second one doubled through '0246813579'."""
    total, doubled = 0, False
    while _castable_integer(text):
        if text[0] not in _ASCII_DIGITS:  # xs:integer of a sign or a space: the cast fails
            raise _CastError(text)
        digit = int(text[0])
        total += int("0246813579"[digit]) if doubled else digit
        text, doubled = text[1:], not doubled
    return total


def partita_iva_ok(text: str) -> bool:
    """``u:checkPIVAseIT``: a value starting ``IT`` or ``it`` must go on with eleven characters whose
    ``u:checkPIVA`` is 0; any other value passes."""
    if text[:2] not in ("IT", "it"):
        return True
    code = text[2:]
    if len(code) != 11 or not _castable_integer(code):
        return False
    try:
        return _piva_sum(code) % 10 == 0
    except _CastError:
        return False


def se_orgnr_ok(text: str) -> bool:
    """PEPPOL-COMMON-R049: ten characters that are a number, all digits (``u:checkSEOrgnr``), Luhn check on the
    first nine. (A number of ten characters that is all digits has only ASCII digits.)"""
    if not _digits(text, 10):
        return False
    total = 0
    for pos, d in enumerate(reversed(text[:9]), 1):
        v = int(d) * 2 if pos % 2 == 1 else int(d)
        total += v % 10 + v // 10
    return (10 - total % 10) % 10 == int(text[9])


def abn_ok(text: str) -> bool:
    """``u:abn`` on eleven digits: subtract 1 from the first digit, weighted sum divisible by 89."""
    if not _digits(text, 11):
        return False
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    digits = [int(d) for d in text]
    digits[0] -= 1
    return sum(w * d for w, d in zip(weights, digits)) % 89 == 0


# Every ``cbc:EndpointID``, ``cac:PartyIdentification/cbc:ID`` and ``cbc:CompanyID`` (of a PartyLegalEntity or
# PartyTaxScheme, the places UBL 2.1 has one) of the document, wherever it is.
_IDENTIFIER_SITES = ("endpoint", "party_id", "legal_id", "tax_company_id")


# (rule id, scheme, test, on the text as written rather than whitespace collapsed, the sites read)
_ICD_RULES = (
    ("PEPPOL-COMMON-R040", "0088", gln_ok, False, _IDENTIFIER_SITES),
    ("PEPPOL-COMMON-R041", "0192", mod11_ok, False, _IDENTIFIER_SITES),
    ("PEPPOL-COMMON-R042", "0184", dk_cvr_ok, True, _IDENTIFIER_SITES),
    ("PEPPOL-COMMON-R043", "0208", be_enterprise_ok, False, _IDENTIFIER_SITES),
    ("PEPPOL-COMMON-R044", "0201", codice_ipa_ok, False, _IDENTIFIER_SITES),
    ("PEPPOL-COMMON-R045", "0210", codice_fiscale_ok, False, _IDENTIFIER_SITES),
    ("PEPPOL-COMMON-R046", "9907", codice_fiscale_ok, False, ("endpoint",)),
    ("PEPPOL-COMMON-R047", "0211", partita_iva_ok, False, _IDENTIFIER_SITES),
    ("PEPPOL-COMMON-R049", "0007", se_orgnr_ok, False, _IDENTIFIER_SITES),
    ("PEPPOL-COMMON-R050", "0151", abn_ok, False, _IDENTIFIER_SITES),
)
_BY_SCHEME = {scheme: (rule_id, ok, raw, frozenset(sites)) for rule_id, scheme, ok, raw, sites in _ICD_RULES}


def _icd_pass(inv: Invoice) -> list[tuple[str, str]]:
    """The identifier rules in one scan of the identifiers: each value is checked by the rule of its scheme."""
    out = []
    for site in _IDENTIFIER_SITES:
        for v in _sites(inv, site):
            found = _BY_SCHEME.get(v.attr("schemeID"))
            if found is not None:
                rule_id, ok, raw, sites = found
                if site in sites and not ok(v.text if raw else v.norm):
                    out.append((rule_id, v.path))
    return out


register_pass([r[0] for r in _ICD_RULES], _icd_pass, ruleset=PEPPOL)


# — restricted code lists and formats ——————————————————————————————————————————————————————————————————————
@peppol("PEPPOL-EN16931-CL001", when=ctx.site("mime"))
def cl001(inv: Invoice):
    for v in _sites(inv, "mime"):
        if v.attr("mimeCode") is not None and v.attr("mimeCode") not in codelist("peppol-mime"):
            yield v.path


def _reason_codes(inv: Invoice, flag: str):
    """The reason codes of every allowance or charge (document, line, price) whose ChargeIndicator is ``flag``."""
    for ac in inv.all_allowances_charges:
        if ac.indicator is not None and ac.indicator.text == flag:
            yield from ac.reason_codes


@peppol("PEPPOL-EN16931-CL002", when=ctx.allowances_charges)
def cl002(inv: Invoice):
    for v in _reason_codes(inv, "false"):
        if v.norm not in codelist("peppol-uncl5189"):
            yield v.path


@peppol("PEPPOL-EN16931-CL003", when=ctx.allowances_charges)
def cl003(inv: Invoice):
    for v in _reason_codes(inv, "true"):
        if v.norm not in codelist("peppol-uncl7161"):
            yield v.path


@peppol("PEPPOL-EN16931-CL006", when=ctx.site("period_code"))
def cl006(inv: Invoice):
    for v in _sites(inv, "period_code"):
        if v.norm not in codelist("peppol-uncl2005"):
            yield v.path


@peppol("PEPPOL-EN16931-CL007")
def cl007(inv: Invoice):
    for v in _sites(inv, "currency"):
        if v.attr("currencyID") not in codelist("peppol-iso4217"):
            yield v.path


@peppol("PEPPOL-EN16931-CL008", when=ctx.site("endpoint"))
def cl008(inv: Invoice):
    for v in _sites(inv, "endpoint"):
        if v.attr("schemeID") is not None and v.attr("schemeID") not in codelist("peppol-eas"):
            yield v.path


def _type_code_rules(inv: Invoice) -> list[tuple[str, str]]:
    """P0100 (invoice type codes of profile 01), P0112 (326 and 384 only between German parties), P0101 (credit
    note type codes of profile 01): contexts ``cbc:InvoiceTypeCode`` and ``cbc:CreditNoteTypeCode``."""
    out = []
    in_01 = profile(inv) == "01"
    for v in _sites(inv, "type_code"):
        name = _element(v.path)
        if name == "cbc:InvoiceTypeCode":
            if in_01 and v.norm not in codelist("peppol-invoice-type-01"):
                out.append(("PEPPOL-EN16931-P0100", v.path))
            if v.norm in ("326", "384") and not _both_german(inv):
                out.append(("PEPPOL-EN16931-P0112", v.path))
        elif name == "cbc:CreditNoteTypeCode" and in_01 and v.norm not in codelist("peppol-creditnote-type-01"):
            out.append(("PEPPOL-EN16931-P0101", v.path))
    return out


register_pass(["PEPPOL-EN16931-P0100", "PEPPOL-EN16931-P0112", "PEPPOL-EN16931-P0101"], _type_code_rules,
              ruleset=PEPPOL, when=ctx.site("type_code"))


@peppol("PEPPOL-EN16931-F001")
def f001(inv: Invoice):
    """Every IssueDate, DueDate, TaxPointDate, StartDate, EndDate and ActualDeliveryDate, wherever it is: ten
    characters that are an ``xs:date`` (so exactly YYYY-MM-DD)."""
    for v in _sites(inv, "date"):
        if not _yyyy_mm_dd(v.text):
            yield v.path


@lru_cache(maxsize=256)
def _yyyy_mm_dd(text: str) -> bool:
    """``string-length(text()) = 10 and (string(.) castable as xs:date)`` (a document repeats its few dates)."""
    return len(text) == 10 and text.isascii() and date_of(Value(text, "")) is not None


# (rule id, exemption reason code, the VAT category it requires)
_EXEMPTIONS = (("PEPPOL-EN16931-P0104", "VATEX-EU-G", "G"), ("PEPPOL-EN16931-P0105", "VATEX-EU-O", "O"),
               ("PEPPOL-EN16931-P0106", "VATEX-EU-IC", "K"), ("PEPPOL-EN16931-P0107", "VATEX-EU-AE", "AE"),
               ("PEPPOL-EN16931-P0108", "VATEX-EU-D", "E"), ("PEPPOL-EN16931-P0109", "VATEX-EU-F", "E"),
               ("PEPPOL-EN16931-P0110", "VATEX-EU-I", "E"), ("PEPPOL-EN16931-P0111", "VATEX-EU-J", "E"))
_BY_EXEMPTION = {code: (rule_id, category) for rule_id, code, category in _EXEMPTIONS}


def _exemption_rules(inv: Invoice) -> list[tuple[str, str]]:
    """P0104 … P0111 in one pass. Context of each ``cac:TaxCategory[upper-case(cbc:TaxExemptionReasonCode) = '…']``
    (any TaxCategory, not a line's ClassifiedTaxCategory); test ``normalize-space(cbc:ID) = '…'``."""
    ids: dict[str, Value] = {}
    for v in _sites(inv, "tax_category"):
        ids.setdefault(_parent(v.path), v)
    out = []
    seen = set()
    for code in _sites(inv, "exemption_code"):  # the first code of each category (upper-case of several: an error)
        holder = _parent(code.path)
        if holder in seen:
            continue
        seen.add(holder)
        found = _BY_EXEMPTION.get(code.text.upper())
        if found is not None and _element(holder) == "cac:TaxCategory" and norm(ids.get(holder)) != found[1]:
            out.append((found[0], holder))
    return out


register_pass([rule_id for rule_id, _code, _category in _EXEMPTIONS], _exemption_rules, ruleset=PEPPOL,
              when=ctx.site("exemption_code"))
