"""The contexts rules depend on, as their ``when=`` (规则适用的上下文): cheap tests of whether some kind of element
occurs in a document at all. A rule whose context is absent cannot be broken, so :func:`~openftz.einvoice.rules.check`
skips it; each test runs at most once per document."""
from __future__ import annotations

from collections.abc import Callable
from functools import cache

from ..model import Invoice


def payee(inv: Invoice) -> bool:  # BG-10
    return inv.payee is not None


def tax_representative(inv: Invoice) -> bool:  # BG-11
    return inv.tax_representative is not None


def periods(inv: Invoice) -> bool:  # BG-14
    return bool(inv.periods)


def line_periods(inv: Invoice) -> bool:  # BG-26
    return any(line.periods for line in inv.lines)


def document_allowances_charges(inv: Invoice) -> bool:  # BG-20, BG-21
    return bool(inv.allowances_charges)


def line_allowances_charges(inv: Invoice) -> bool:  # BG-27, BG-28
    return any(line.allowances_charges for line in inv.lines)


def price_allowances(inv: Invoice) -> bool:  # BT-147, BT-148
    return any(line.price is not None and line.price.allowances for line in inv.lines)


def allowances_charges(inv: Invoice) -> bool:  # any of the three above
    return bool(inv.all_allowances_charges)


def payment_means(inv: Invoice) -> bool:  # BG-16
    return bool(inv.payment_means)


def billing_references(inv: Invoice) -> bool:  # BG-3
    return bool(inv.billing_references)


def additional_documents(inv: Invoice) -> bool:  # BG-24
    return bool(inv.additional_documents)


def document_references(inv: Invoice) -> bool:  # BG-24 and the lines' BT-128
    return bool(inv.additional_documents) or any(line.document_references for line in inv.lines)


def deliveries(inv: Invoice) -> bool:  # BG-13
    return bool(inv.deliveries)


def tax_currency(inv: Invoice) -> bool:  # BT-6
    return bool(inv.tax_currency)


def notes(inv: Invoice) -> bool:  # BG-1
    return bool(inv.notes)


def item_properties(inv: Invoice) -> bool:  # BG-32
    return any(line.item is not None and line.item.properties for line in inv.lines)


def long_decimals(inv: Invoice) -> bool:  # amounts with more than two fraction digits (UBL-DT-01)
    return bool(inv.syntax.amount_decimals)


def binary_objects(inv: Invoice) -> bool:
    return bool(inv.syntax.binary_objects)


@cache
def site(name: str) -> Callable[[Invoice], bool]:
    """A coded value of this site (see the parser's code sites) occurs somewhere in the document."""

    def occurs(inv: Invoice) -> bool:
        return name in inv.syntax.code_sites

    occurs.__name__ = f"site_{name}"
    return occurs
