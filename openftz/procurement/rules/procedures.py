"""Which procurement method a release states, read as data (``data/procurement/methods.yaml``).

The zone's rules apply by method: SH-75 (tender period) to tendering (招标: open and selective), SH-73/SH-74 to
selective tendering, SH-72 (grounds) to single-source procurement. A publisher states the method in
``procurementMethodDetails`` (the national name), sometimes in ``procurementMethodRationale`` (Mexico writes
"ADJUDICACION DIRECTA …" there even when the code says ``open``) and in ``procurementMethod`` (the OCDS code, or a
national name or a Prozorro ``procurementMethodType`` written in its place). The most specific statement wins; a
method that is stated but recognised nowhere is ``recognised=False`` — never taken for a tender.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from . import ocds

METHODS_FILE = Path(__file__).resolve().parents[3] / "data" / "procurement" / "methods.yaml"


@dataclass(frozen=True)
class Kind:
    code: str
    tender: bool
    single_source: bool
    zh: str
    en: str
    ambiguous: bool = False


@dataclass(frozen=True)
class Name:
    kind: str
    source: str
    code: str | None
    pattern: re.Pattern | None
    rationale: bool

    def matches(self, raw: str, plain: str) -> bool:
        if self.code is not None:
            return raw.strip().lower() == self.code.lower()
        return bool(self.pattern.search(plain))


@dataclass(frozen=True)
class Method:
    """The method a release states. ``kind`` is None when nothing was stated or nothing recognised."""

    kind: Kind | None
    stated: str | None       # the words the kind was read from (or the unrecognised words)
    path: str                # where they were read
    source: str | None = None  # the law or codelist that names the method
    coded: str | None = None   # procurementMethod as written, when a more specific statement overrode it
    ambiguous: bool = False    # the details and the rationale name different procedures

    @property
    def recognised(self) -> bool:
        return self.kind is not None

    @property
    def is_tender(self) -> bool:
        return self.kind is not None and self.kind.tender

    @property
    def is_single_source(self) -> bool:
        return self.kind is not None and self.kind.single_source

    @property
    def code(self) -> str | None:
        return self.kind.code if self.kind else None


@cache
def table() -> tuple[dict[str, Kind], tuple[Name, ...]]:
    raw = yaml.safe_load(METHODS_FILE.read_text(encoding="utf-8"))
    kinds = {code: Kind(code, bool(k["tender"]), bool(k["single_source"]), k["zh"], k["en"], bool(k.get("ambiguous")))
             for code, k in raw["kinds"].items()}
    names = []
    for entry in raw["names"]:
        if entry["kind"] not in kinds:
            raise ValueError(f"methods.yaml: unknown kind {entry['kind']!r}")
        names.append(Name(entry["kind"], entry["source"], entry.get("code"),
                          re.compile(entry["pattern"], re.IGNORECASE) if "pattern" in entry else None, bool(entry.get("rationale"))))
    return kinds, tuple(names)


def recognise(raw: str, *, in_rationale: bool = False) -> tuple[Kind, str] | None:
    """The kind a method name (or, with ``in_rationale``, a rationale naming a procedure) states, with its source."""
    kinds, names = table()
    plain = ocds.simplified(raw)
    for name in names:
        if in_rationale and not name.rationale:
            continue
        if name.matches(raw, plain):
            return kinds[name.kind], name.source
    return None


def resolve(tender: dict) -> Method:
    code = ocds.text(tender.get("procurementMethod"))
    named = []
    for field, in_rationale in (("procurementMethodDetails", False), ("procurementMethodRationale", True)):
        words = ocds.text(tender.get(field))
        found = recognise(words, in_rationale=in_rationale) if words else None
        if found is not None:
            named.append(Method(found[0], words, f"tender.{field}", found[1], coded=code))
    if len(named) == 2 and named[0].kind.code != named[1].kind.code:
        # The details and the rationale name different procedures ("Invitación a cuando menos tres" and
        # "Adjudicación directa"): which one was followed cannot be told from the data.
        return Method(None, f"{named[0].stated} / {named[1].stated}", named[0].path, ambiguous=True)
    if named and named[0].kind.ambiguous:
        return Method(None, named[0].stated, named[0].path, named[0].source, coded=code, ambiguous=True)
    if named:
        return named[0]
    if code is not None:
        found = recognise(code)
        if found is not None:
            return Method(found[0], code, "tender.procurementMethod", found[1])
        return Method(None, code, "tender.procurementMethod")
    details = ocds.text(tender.get("procurementMethodDetails"))
    if details is not None:
        return Method(None, details, "tender.procurementMethodDetails")
    return Method(None, None, "tender.procurementMethod")


def overridden(method: Method) -> tuple[str, str] | None:
    """(zh, en) words saying that a more specific statement overrode the OCDS code, when it did and they differ."""
    if method.coded is None or method.kind is None:
        return None
    coded = recognise(method.coded)
    if coded is not None and coded[0].code == method.kind.code:
        return None
    excerpt = method.stated if len(method.stated) <= 60 else method.stated[:57] + "…"
    return (f"(procurementMethod 为“{method.coded}”,但 {method.path.split('.')[-1]} 载明“{excerpt}”,按{method.kind.zh}处理)",
            f" (procurementMethod says {method.coded!r}, but {method.path.split('.')[-1]} says {excerpt!r}: treated as {method.kind.en})")
