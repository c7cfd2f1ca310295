"""The official EN 16931 unit tests for UBL (VEFA format): each <test> holds a (often partial) document and the
rules that must fire (<error>) or must not (<success>) on it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

DATA = Path(__file__).resolve().parents[1] / "data" / "einvoice"
SUITES = ("en16931-Invoice-unit-UBL", "en16931-CreditNote-unit-UBL")
VEFA = "{http://difi.no/xsd/vefa/validator/1.0}"


@dataclass(frozen=True)
class Case:
    id: str
    description: str
    success: tuple[str, ...]
    error: tuple[str, ...]
    document: bytes


def cases() -> list[Case]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    out = []
    for suite in SUITES:
        for path in sorted((DATA / suite).glob("*.xml")):
            root = etree.parse(str(path), parser).getroot()
            for n, test in enumerate(root.iter(f"{VEFA}test"), 1):
                asserts = test.find(f"{VEFA}assert")
                doc = next(el for el in test if isinstance(el.tag, str) and not el.tag.startswith(VEFA))
                out.append(Case(
                    id=f"{suite.split('-')[1]}/{path.stem}#{n}",
                    description=" ".join((asserts.findtext(f"{VEFA}description") or "").split()),
                    success=tuple(e.text.strip() for e in asserts.iter(f"{VEFA}success")),
                    error=tuple(e.text.strip() for e in asserts.iter(f"{VEFA}error")),
                    document=etree.tostring(doc),
                ))
    return out
