"""The validation rules (校验规则): EN 16931 (``en16931``) and Peppol BIS Billing 3.0 (``peppol`` = CEN + Peppol).

Each rule is a small function over the model (:mod:`openftz.einvoice.model`) registered with :func:`rule`: it
yields the path of every place where the rule is broken (the element its Schematron context would be), and the
registry turns each into a finding ``{"rule", "severity", "message", "path", "bt"}`` with the official message and
the business terms the message names. Rules apply only where their context exists, so a partial document is judged
on what it has.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from pathlib import Path

from openftz.core.citations import Citation, cites as _cites

from ..model import Invoice

DATA = Path(__file__).resolve().parents[3] / "data" / "einvoice"
CITES = ("SC-29", "SH-44")  # e-invoices interoperable across borders (电子发票跨境交互)
_TERMS = re.compile(r"\b(B[TG]-\d+(?:-\d+)?)\b")

# The release of the official rules each rule set implements (its Schematron, messages and code lists), named in
# the headers of the data files under ``data/einvoice``; how to move to the next one: docs/einvoice-rulesets.md.
RELEASES = {
    "en16931": "1.3.16",  # EN 16931 validation artefacts for UBL (CEN/TC 434, ConnectingEurope/eInvoicing-EN16931)
    "peppol": "3.0.19",  # Peppol BIS Billing 3.0 (OpenPEPPOL/peppol-bis-invoice-3, tag v3.0.19), on top of en16931
}

RuleCheck = Callable[[Invoice], Iterable[str]]
Condition = Callable[[Invoice], bool]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    ruleset: str  # "en16931" or "peppol"
    severity: str  # "fatal" or "warning"
    message: str
    terms: tuple[str, ...]  # the BT-/BG- the rule is about
    check: RuleCheck
    cites: tuple[Citation, ...]
    when: Condition | None = None  # the rule can only be broken where this holds (its context exists)
    release: str = ""  # the release of its rule set's official rules it follows (RELEASES)


@cache
def messages() -> dict[str, tuple[str, str]]:
    """rule id → (severity, official message), from the rule tables under ``data/einvoice``."""
    out: dict[str, tuple[str, str]] = {}
    for name in ("en16931-rules.tsv", "peppol-rules.tsv"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                rid, severity, message = line.split("\t")
                out[rid] = (severity, message)
    return out


@cache
def codelist(name: str) -> frozenset[str]:
    """A code list from ``data/einvoice/codelists/<name>.txt`` (loaded once)."""
    text = (DATA / "codelists" / f"{name}.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


REGISTRY: dict[str, Rule] = {}


def rule(rule_id: str, *, ruleset: str = "en16931", terms: tuple[str, ...] | None = None,
         cites: tuple[str, ...] = CITES, when: Condition | None = None) -> Callable[[RuleCheck], RuleCheck]:
    """Register ``fn`` as rule ``rule_id``; its severity and message come from the official tables.

    ``when`` is a cheap test of the document without which the rule cannot be broken (e.g. "a VAT category S is
    used"); :func:`check` evaluates each such test once per document and skips the rules it rules out."""

    def register(fn: RuleCheck) -> RuleCheck:
        _register(rule_id, ruleset, terms, fn, cites, when)
        return fn

    return register


def _register(rule_id: str, ruleset: str, terms: tuple[str, ...] | None, fn: RuleCheck, cites: tuple[str, ...],
              when: Condition | None) -> None:
    severity, message = messages()[rule_id]
    found = terms if terms is not None else tuple(dict.fromkeys(_TERMS.findall(message)))
    if rule_id in REGISTRY:
        raise ValueError(f"rule {rule_id} registered twice")
    REGISTRY[rule_id] = Rule(rule_id, ruleset, severity, message, found, fn, _cites(*cites), when, RELEASES[ruleset])


Pass = Callable[[Invoice], Iterable[tuple[str, str]]]
PASSES: list[tuple[str, Condition | None, tuple[str, ...], Pass]] = []
_PASS_MEMBERS: set[str] = set()


def register_pass(rule_ids: Iterable[str], run: Pass, *, ruleset: str = "en16931", cites: tuple[str, ...] = CITES,
                  when: Condition | None = None) -> None:
    """Register rules checked together by one pass: ``run(invoice)`` gives (rule id, path) for all of them (e.g. the
    identifier rules of several schemes, read in one scan of the identifiers). Each rule keeps its severity,
    message, condition and place in rule order (:func:`check` sorts its findings in among the others'), and its
    own ``check`` (the pass, filtered to it), so that a rule can still be run alone."""
    ids = tuple(rule_ids)
    for rule_id in ids:
        def own(invoice: Invoice, rule_id: str = rule_id) -> Iterable[str]:
            return [path for rid, path in run(invoice) if rid == rule_id]

        own.__name__ = rule_id
        _register(rule_id, ruleset, None, own, cites, when)
        _PASS_MEMBERS.add(rule_id)
    PASSES.append((ruleset, when, ids, run))


Row = Callable[[Invoice], "list[str] | tuple[str, ...]"]


def register_rows(rows: Iterable[tuple[str, Row]], *, ruleset: str = "en16931", cites: tuple[str, ...] = CITES,
                  when: Condition | None = None) -> None:
    """A table of one-line rules evaluated in one pass: each row is (rule id, test) where ``test(invoice)`` returns
    the paths where that rule is broken (an empty tuple almost always) — a plain call, where a rule of its own would
    cost a generator and a turn of :func:`check`'s loop. The rows keep their order as rules."""
    table = tuple(rows)

    def run(invoice: Invoice) -> list[tuple[str, str]]:
        out = []
        for rule_id, test in table:
            paths = test(invoice)
            if paths:
                out.extend((rule_id, path) for path in paths)
        return out

    register_pass([rule_id for rule_id, _test in table], run, ruleset=ruleset, cites=cites, when=when)


GROUPS: list[tuple[str, Callable[[Invoice], Iterable[tuple[str, str]]]]] = []


def register_table(rows: Iterable[tuple[str, str, str]], check: Callable[[Invoice], Iterable[tuple[str, str]]],
                   *, ruleset: str = "en16931") -> None:
    """Register rules that are rows of a table (id, severity, message), all checked by one pass of ``check``,
    which yields (rule id, path) pairs — e.g. the UBL elements EN 16931 does not use (UBL-CR-*)."""
    for rule_id, severity, message in rows:
        REGISTRY[rule_id] = Rule(rule_id, ruleset, severity, message, (), _table_member, _cites(*CITES), None,
                                 RELEASES[ruleset])
    GROUPS.append((ruleset, check))


def _table_member(invoice: Invoice) -> Iterable[str]:
    """Members of a table are checked by the table's own pass (see :func:`register_table`)."""
    return ()


def _load() -> None:
    from . import core, calculations, vat, codes, syntax, peppol  # noqa: F401  (registration by import)


RULESETS = ("en16931", "peppol")
PEPPOL_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"


def ruleset_for(invoice: Invoice, requested: str = "auto") -> str:
    """``auto``: Peppol BIS 3.0 when the specification identifier (BT-24) says so, else the CEN rules."""
    if requested != "auto":
        return requested
    cid = invoice.customization_id.norm if invoice.customization_id is not None else ""
    return "peppol" if cid.startswith(PEPPOL_CUSTOMIZATION) else "en16931"


@cache
def rules_of(ruleset: str) -> tuple[Rule, ...]:
    """Every rule of a rule set (``en16931``, or ``peppol`` = the CEN rules and Peppol's own)."""
    _load()
    if ruleset not in RULESETS:
        raise ValueError(f"unknown rule set {ruleset!r}")
    wanted = _members(ruleset)
    return tuple(r for r in REGISTRY.values() if r.ruleset in wanted)


def _members(ruleset: str) -> tuple[str, ...]:
    return ("en16931",) if ruleset == "en16931" else ("en16931", "peppol")


@cache
def _plan(ruleset: str):
    """The rules of a rule set grouped by their condition (each group in rule order, with each rule's position),
    the passes that check several rules at once (with their members' positions), and the table checks."""
    by_condition: dict[Condition | None, list[tuple[int, Rule]]] = {}
    positions: dict[str, tuple[int, Rule]] = {}
    for position, r in enumerate(r for r in rules_of(ruleset) if r.check is not _table_member):
        positions[r.id] = (position, r)
        if r.id not in _PASS_MEMBERS:
            by_condition.setdefault(r.when, []).append((position, r))
    groups = tuple(fn for rs, fn in GROUPS if rs in _members(ruleset))
    passes = tuple((when, run, {rule_id: positions[rule_id] for rule_id in ids})
                   for rs, when, ids, run in PASSES if rs in _members(ruleset))
    return tuple((when, tuple(rules)) for when, rules in by_condition.items()), passes, groups


def finding(r: Rule, path: str) -> dict:
    return {"rule": r.id, "severity": r.severity, "message": r.message, "path": path, "bt": list(r.terms)}


def check(invoice: Invoice, ruleset: str = "auto") -> list[dict]:
    """Every finding of the rule set on ``invoice`` (fatal ones and warnings), in rule order.

    Each condition is tested once and its rules run only if it holds; the findings are then put back in rule
    order (a stable sort, so that each rule's own findings keep the order it found them in)."""
    plan, passes, groups = _plan(ruleset_for(invoice, ruleset))
    found: list[tuple[int, Rule, str]] = []
    for when, rules in plan:
        if when is not None and not when(invoice):
            continue
        for position, r in rules:
            for path in r.check(invoice):
                found.append((position, r, path))
    for when, run, members in passes:
        if when is not None and not when(invoice):
            continue
        for rule_id, path in run(invoice):
            position, r = members[rule_id]
            found.append((position, r, path))
    if len(found) > 1:
        found.sort(key=itemgetter(0))
    out = [finding(r, path) for _position, r, path in found]
    for group in groups:
        for rule_id, path in group(invoice):
            out.append(finding(REGISTRY[rule_id], path))
    return out

