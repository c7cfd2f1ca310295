"""UBL syntax rules of EN 16931 (语法规则): cardinalities UBL-SR-*, data types UBL-DT-*, and the UBL elements and
attributes EN 16931 does not use, UBL-CR-* (warnings, from the table ``data/einvoice/ubl-cr.tsv``)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from operator import methodcaller

from .. import ubl_cr
from ..model import Invoice, Party
from . import contexts as ctx, messages, register_pass, register_table, rule


def _count_over(rule_id: str, values, limit: int = 1, when=None):
    """A cardinality rule: ``values(inv)`` yields (path, count) pairs; the rule breaks where count > limit."""

    def check(inv: Invoice):
        for path, count in values(inv):
            if count > limit:
                yield path

    check.__name__ = rule_id
    rule(rule_id, when=when)(check)


def _counts(on_lines: bool, rows: list) -> None:
    """Cardinality rules "at most one" as a table evaluated in one pass (register_pass): each row (rule id,
    counter, condition) is one call of its counter, on the document (context the root) or on each line; a
    condition is evaluated once per document."""
    table = tuple(rows)

    def run(inv: Invoice) -> list[tuple[str, str]]:
        out = []
        held = {}
        for rule_id, counter, when in table:
            if when is not None:
                holds = held.get(when)
                if holds is None:
                    holds = held[when] = when(inv)
                if not holds:
                    continue
            if on_lines:
                for line in inv.lines:
                    if counter(line) > 1:
                        out.append((rule_id, line.path))
            elif counter(inv) > 1:
                out.append((rule_id, inv.path))
        return out

    register_pass([rule_id for rule_id, _counter, _when in table], run)
    rows.clear()


_ROOT_COUNTS: list = []


def _root_count(rule_id: str, counter, when=None) -> None:
    """A cardinality rule on the document (context the root): ``counter(inv)`` may be at most one. A row of the
    table registered by ``_counts`` after the last of them."""
    _ROOT_COUNTS.append((rule_id, counter, when))


def _party_count(attr: str, counter):
    """``counter`` of the party ``attr`` (seller, buyer), 0 without one."""

    def count(inv: Invoice) -> int:
        party: Party | None = getattr(inv, attr)
        return counter(party) if party is not None else 0

    return count


def _vat(party: Party, vat: bool) -> int:
    return sum(1 for ts in party.tax_schemes if ts.company_id is not None and ts.scheme is not None
               and (ts.scheme.text.upper() == "VAT") is vat)


_root_count("UBL-SR-01", lambda inv: len(inv.contract_ids))
_root_count("UBL-SR-02", lambda inv: len(inv.receipt_ids))
_root_count("UBL-SR-03", lambda inv: len(inv.despatch_ids))
_root_count("UBL-SR-04", lambda inv: sum(1 for d in inv.additional_documents
                                         if d.type_code is not None and d.type_code.text == "130" and d.id is not None))
_root_count("UBL-SR-05", lambda inv: len(inv.payment_terms))
_root_count("UBL-SR-08", lambda inv: len(inv.periods))
_root_count("UBL-SR-09", _party_count("seller", lambda p: len(p.registration_names)))
_root_count("UBL-SR-10", _party_count("seller", lambda p: len(p.names)))
_root_count("UBL-SR-11", _party_count("seller", lambda p: len(p.legal_ids)))
_root_count("UBL-SR-12", _party_count("seller", lambda p: _vat(p, True)))
_root_count("UBL-SR-13", _party_count("seller", lambda p: _vat(p, False)))
_root_count("UBL-SR-14", _party_count("seller", lambda p: len(p.legal_forms)))
_root_count("UBL-SR-15", _party_count("buyer", lambda p: len(p.registration_names)))
_root_count("UBL-SR-16", _party_count("buyer", lambda p: len(p.identifiers)))
_root_count("UBL-SR-17", _party_count("buyer", lambda p: len(p.legal_ids)))
_root_count("UBL-SR-18", _party_count("buyer", lambda p: _vat(p, True)))
_root_count("UBL-SR-24", lambda inv: len(inv.deliveries))
_root_count("UBL-SR-29", lambda inv: sum(1 for p in inv.parties() for v in p.identifiers
                                         if (v.attr("schemeID") or "").upper() == "SEPA"))
_root_count("UBL-SR-39", lambda inv: len(inv.project_ids))
_root_count("UBL-SR-40", _party_count("buyer", lambda p: len(p.names)))
_root_count("UBL-SR-44", lambda inv: len({v.text for pm in inv.payment_means for v in pm.payment_ids}),
            when=ctx.payment_means)
_root_count("UBL-SR-45", lambda inv: sum(len(pm.due_dates) for pm in inv.payment_means), when=ctx.payment_means)
_root_count("UBL-SR-46", lambda inv: sum(1 for pm in inv.payment_means for c in pm.codes if c.attr("name") is not None),
            when=ctx.payment_means)
_root_count("UBL-SR-47", lambda inv: len({c.text for pm in inv.payment_means for c in pm.codes}), when=ctx.payment_means)
_root_count("UBL-SR-49", lambda inv: sum(len(p.description_codes) for p in inv.periods), when=ctx.periods)
_root_count("UBL-SR-54", lambda inv: sum(len(pm.cards) for pm in inv.payment_means), when=ctx.payment_means)
_root_count("UBL-SR-55", lambda inv: sum(len(pm.mandates) for pm in inv.payment_means), when=ctx.payment_means)
_root_count("UBL-SR-56", lambda inv: len(inv.originator_ids))
_counts(False, _ROOT_COUNTS)


_LINE_COUNTS: list = []


def _line_count(rule_id: str, counter, when=None) -> None:
    """A cardinality rule on each line (context the line): ``counter(line)`` may be at most one (a row, as
    ``_root_count``)."""
    _LINE_COUNTS.append((rule_id, counter, when))


_line_count("UBL-SR-34", lambda line: len(line.notes))
_line_count("UBL-SR-35", lambda line: len(line.order_line_ids))
_line_count("UBL-SR-36", lambda line: len(line.periods), when=ctx.line_periods)
_line_count("UBL-SR-37", lambda line: sum(1 for ac in (line.price.allowances if line.price else ()) if ac.amount is not None),
            when=ctx.price_allowances)
_line_count("UBL-SR-50", lambda line: len(line.item.descriptions) if line.item else 0)
_line_count("UBL-SR-52", lambda line: len(line.document_references), when=ctx.document_references)
_counts(True, _LINE_COUNTS)


@rule("UBL-SR-48")
def ubl_sr_48(inv: Invoice):
    for line in inv.lines:
        if line.item is None or len(line.item.tax_categories) != 1:
            yield line.path


def _payee_differs(inv: Invoice) -> bool:
    """``PartyName/Name != ../AccountingSupplierParty/…/RegistrationName`` (false when either is missing)."""
    seller_names = inv.seller.registration_names if inv.seller else ()
    return any(n.text != s.text for n in inv.payee.names for s in seller_names)


def _payee_rule(rule_id: str, counter) -> None:
    def check(inv: Invoice):
        if inv.payee is not None and (counter(inv.payee) > 1 or not _payee_differs(inv)):
            yield inv.payee.path

    check.__name__ = rule_id
    rule(rule_id, when=ctx.payee)(check)


_payee_rule("UBL-SR-19", lambda p: len(p.names))
_payee_rule("UBL-SR-20", lambda p: sum(1 for v in p.identifiers if (v.attr("schemeID") or "").upper() != "SEPA"))
_payee_rule("UBL-SR-21", lambda p: len(p.legal_ids))

_count_over("UBL-SR-22", lambda inv: ((inv.tax_representative.path, len(inv.tax_representative.names)),)
            if inv.tax_representative else (), when=ctx.tax_representative)
_count_over("UBL-SR-23", lambda inv: ((inv.tax_representative.path, sum(
    1 for ts in inv.tax_representative.tax_schemes if ts.company_id is not None)),) if inv.tax_representative else (), when=ctx.tax_representative)
_count_over("UBL-SR-26", lambda inv: ((pm.path, len(pm.payment_ids)) for pm in inv.payment_means), when=ctx.payment_means)
_count_over("UBL-SR-27", lambda inv: ((pm.path, len(pm.codes)) for pm in inv.payment_means), when=ctx.payment_means)
_count_over("UBL-SR-28", lambda inv: ((pm.path, sum(len(m.ids) for m in pm.mandates)) for pm in inv.payment_means), when=ctx.payment_means)
_count_over("UBL-SR-06", lambda inv: ((ref.path, len(ref.invoice_refs)) for ref in inv.billing_references), when=ctx.billing_references)
_count_over("UBL-SR-32", lambda inv: ((sub.path, sum(len(c.exemption_reasons) for c in sub.categories))
                                      for sub in inv.vat_breakdown))
_count_over("UBL-SR-33", lambda inv: ((d.path, len(d.descriptions)) for d in inv.additional_documents), when=ctx.additional_documents)
_count_over("UBL-SR-25", lambda inv: ((d.path, len(d.party_names)) for d in inv.deliveries), when=ctx.deliveries)
_count_over("UBL-SR-42", lambda inv: ((inv.seller.path, len(inv.seller.tax_schemes)),) if inv.seller else (), limit=2)


@rule("UBL-SR-07", when=ctx.billing_references)
def ubl_sr_07(inv: Invoice):
    for ref in inv.billing_references:
        if not any(rid is not None for rid, _ in ref.invoice_refs):
            yield ref.path


def _addresses(inv: Invoice):
    for p in inv.parties():
        if p.address is not None:
            yield p.address
    for d in inv.deliveries:
        if d.address is not None:
            yield d.address


_count_over("UBL-SR-51", lambda inv: ((a.path, a.address_line_count) for a in _addresses(inv)))


def _all_acs(inv: Invoice):
    yield from inv.allowances_charges
    for line in inv.lines:
        yield from line.allowances_charges
        if line.price is not None:
            yield from line.price.allowances


_count_over("UBL-SR-30", lambda inv: ((ac.path, len(ac.reasons)) for ac in _all_acs(inv) if ac.is_charge is False), when=ctx.allowances_charges)
_count_over("UBL-SR-31", lambda inv: ((ac.path, len(ac.reasons)) for ac in _all_acs(inv) if ac.is_charge is True), when=ctx.allowances_charges)


@rule("UBL-SR-43", when=ctx.additional_documents)
def ubl_sr_43(inv: Invoice):
    for d in inv.additional_documents:
        code = d.type_code.text if d.type_code is not None else None
        ok = code == "130" or (inv.is_credit_note and code == "50") or (
            code is None and (d.id is None or d.id.attr("schemeID") is None))
        if not ok:
            yield d.path


@rule("UBL-SR-53")
def ubl_sr_53(inv: Invoice):
    for p in inv.parties():
        for ts in p.tax_schemes:
            if ts.scheme is None or ts.company_id is None:
                yield ts.path


@rule("UBL-DT-01", when=ctx.long_decimals)
def ubl_dt_01(inv: Invoice):
    for v in inv.syntax.amount_decimals:
        yield v.path


@rule("UBL-DT-06", when=ctx.binary_objects)
def ubl_dt_06(inv: Invoice):
    for v in inv.syntax.binary_objects:
        if v.attr("mimeCode") is None:
            yield v.path


@rule("UBL-DT-07", when=ctx.binary_objects)
def ubl_dt_07(inv: Invoice):
    for v in inv.syntax.binary_objects:
        if v.attr("filename") is None:
            yield v.path


_ATTRIBUTE_RULES = ubl_cr.ATTRIBUTE_RULES


@dataclass(frozen=True)
class _Table:
    """The UBL-CR rows as lookups: element key → rules; "key@attribute" → rules; attribute → rules for the rows
    on any element; and the rows that match at any depth, by their last steps."""

    rows: list  # (id, severity, message)
    elements: dict[str, list[str]]
    attributes: dict[str, list[str]]
    any_element: dict[str, list[str]]
    anywhere: dict[str, list[tuple[str, str]]]  # last step → (element key suffix, or "suffix@attribute"; rule)
    anywhere_attribute_paths: tuple[str, ...]  # the paths of the attribute rows, for one str.endswith
    anywhere_names: frozenset[str]  # the last steps of the element rows
    rare_attributes: frozenset[str]  # every attribute a UBL-DT rule or an any-element row is about


@cache
def _cr_table() -> _Table:
    elements: dict[str, list[str]] = {}
    attributes: dict[str, list[str]] = {}
    anywhere: dict[str, list[tuple[str, str]]] = {}
    any_element: dict[str, list[str]] = {}
    rows = []
    for rid, severity, path, keys, attribute, message in ubl_cr.rows():
        rows.append((rid, severity, message))
        if path == "/":
            any_element.setdefault(attribute, []).append(rid)
        elif path.startswith("//"):
            suffix = path[2:] + ("@" + attribute if attribute else "")
            anywhere.setdefault(suffix.rpartition("/")[2], []).append((suffix, rid))
        else:
            for p in keys:
                if attribute:
                    attributes.setdefault(f"{p}@{attribute}", []).append(rid)
                else:
                    elements.setdefault(p, []).append(rid)
    ends = tuple(suffix for last, rows in anywhere.items() if "@" in last for suffix, _rid in rows)
    names = frozenset(last for last in anywhere if "@" not in last)
    rare = frozenset([*_ATTRIBUTE_RULES, *any_element])
    return _Table(rows, elements, attributes, any_element, anywhere, ends, names, rare)


def _syntax_table(inv: Invoice):
    """UBL-CR and the UBL-DT attribute rules against the document's element and attribute keys. A valid document
    has none of these elements, so each look-up is first a set intersection or a C-level scan of the keys, and
    only the keys it finds are then visited in document order."""
    table = _cr_table()
    syn = inv.syntax
    found = syn.elements.keys() & table.elements.keys()
    if found:
        for key, path in syn.elements.items():
            if key in found:
                for rid in table.elements[key]:
                    yield rid, path
    found = syn.attributes.keys() & table.attributes.keys()
    rare = table.rare_attributes & syn.attribute_names
    if rare:
        found.update(filter(methodcaller("endswith", tuple("@" + a for a in rare)), syn.attributes))
    if found:
        payment_means_names = 0
        names = 0
        for akey, path in syn.attributes.items():
            if akey not in found:
                continue
            key, _, attribute = akey.rpartition("@")
            for rid in table.attributes.get(akey, ()):
                yield rid, path
            for rid in table.any_element.get(attribute, ()):
                yield rid, path
            dt = _ATTRIBUTE_RULES.get(attribute)
            if dt == "UBL-DT-18":
                names += 1
                payment_means_names += key.endswith("cbc:PaymentMeansCode")
            elif dt is not None:
                yield dt, path
        if names > payment_means_names:
            yield "UBL-DT-18", inv.path
    yield from _anywhere(syn, table)


def _anywhere(syn, table: _Table):
    """Rows that match at any depth: the first element (or attribute) whose key ends with the row's path. The keys
    are scanned at C speed for the rows' paths (for element rows, only those whose last name occurs at all)."""
    seen = set()
    element_paths = tuple(suffix for name in table.anywhere_names & syn.names for suffix, _rid in table.anywhere[name])
    for source, paths in ((syn.elements, element_paths), (syn.attributes, table.anywhere_attribute_paths)):
        if not paths:
            continue
        for key in filter(methodcaller("endswith", paths), source):
            for suffix, rid in table.anywhere.get(key.rpartition("/")[2], ()):
                if rid not in seen and (key == suffix or key.endswith("/" + suffix)):
                    seen.add(rid)
                    yield rid, source[key]


register_table(_cr_table().rows + [(rid, *messages()[rid]) for rid in dict.fromkeys(_ATTRIBUTE_RULES.values())],
               _syntax_table)


@rule("UBL-CR-002", when=ctx.site("ubl_version"))
def ubl_cr_002(inv: Invoice):
    for v in inv.syntax.code_sites.get("ubl_version", ()):
        if v.text != "2.1":
            yield v.path


@rule("UBL-CR-412", when=ctx.payment_means)
def ubl_cr_412(inv: Invoice):
    if not inv.is_credit_note:
        for pm in inv.payment_means:
            for d in pm.due_dates:
                yield d.path


@rule("UBL-CR-665", when=ctx.additional_documents)
def ubl_cr_665(inv: Invoice):
    for d in inv.additional_documents:
        if (d.type_code is None or d.type_code.text != "130") and d.id is not None and d.id.attr("schemeID") is not None:
            yield d.id.path


@rule("UBL-CR-666", when=ctx.additional_documents)
def ubl_cr_666(inv: Invoice):
    for d in inv.additional_documents:
        if d.type_code is not None and d.type_code.text == "130" and d.attachment is not None:
            yield d.attachment.path


@rule("UBL-CR-673", when=ctx.additional_documents)
def ubl_cr_673(inv: Invoice):
    for d in inv.additional_documents:
        if d.type_code is not None and d.type_code.text == "130" and d.descriptions:
            yield d.path

