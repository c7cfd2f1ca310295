"""Arithmetic and tests exactly as the EN 16931 rules define them (Decimal only, XPath rounding)."""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_FLOOR, Context, Decimal

from ..model import Value, decimal_of

HUNDRED = Decimal(100)
HALF = Decimal("0.5")
ONE = Decimal(1)
ZERO = Decimal(0)
_DATE = re.compile(r"\s*(-?\d{4,})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?\s*")

dec = decimal_of


_WIDE = Context(prec=60)  # the rules' roundings are exact for amounts of any realistic size


def xround(d: Decimal) -> Decimal:
    """XPath ``round``: the nearest integer, halves towards positive infinity."""
    return _WIDE.add(d, HALF).to_integral_value(rounding=ROUND_FLOOR, context=_WIDE)


def round2(d: Decimal) -> Decimal:
    """``round(d * 10 * 10) div 100``: two decimals as the rules round them."""
    return _WIDE.divide(xround(_WIDE.multiply(d, HUNDRED)), HUNDRED)


def filled(v: Value | None) -> bool:
    """``normalize-space(x) != ''``."""
    return v is not None and bool(v.text.split())


def two_decimals(v: Value | None) -> bool:
    """``string-length(substring-after(x, '.')) <= 2`` — at most two characters after the first full stop."""
    return v is None or len(v.text.partition(".")[2]) <= 2


def compares(v: Value | None, op: str, n: Decimal = ZERO) -> bool:
    """``(x) op n`` for an optional numeric value: false when absent or not a number."""
    d = dec(v)
    if d is None:
        return False
    if op == ">=":
        return d >= n
    if op == ">":
        return d > n
    return d == n


def decimal_sum(values) -> Decimal | None:
    """``sum(xs:decimal(x))`` of present values; None when one of them is not a decimal (the cast fails)."""
    total = ZERO
    for v in values:
        if v is None:
            continue
        d = dec(v)
        if d is None:
            return None
        total += d
    return total


def date_of(v: Value | None) -> dt.date | None:
    if v is None:
        return None
    m = _DATE.fullmatch(v.text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def in_list(v: Value | None, codes: frozenset[str], *, upper: bool = False) -> bool:
    """``not(contains(normalize-space(x), ' ')) and contains(' LIST ', concat(' ', normalize-space(x), ' '))``."""
    if v is None:
        return False
    if not upper and v.text in codes:  # a code as written (no code has whitespace): the usual case, decided at once
        return True
    text = v.norm
    if upper:
        text = text.upper()
    return bool(text) and " " not in text and text in codes


def attr_in_list(v: Value, name: str, codes: frozenset[str]) -> bool:
    raw = v.attrs.get(name)
    if raw in codes:  # as in_list: a code exactly as written
        return True
    text = " ".join((raw or "").split())
    return bool(text) and " " not in text and text in codes
