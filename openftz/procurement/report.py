"""A findings report: counts by rule and by release, plain-text rows, and the Excel workbook (openpyxl, write-only)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .rules import RULES

SEVERITIES = ("violation", "warning", "info")


@dataclass
class RuleCount:
    rule: str
    cites: tuple[str, ...]
    violation: int = 0
    warning: int = 0
    info: int = 0
    releases: int = 0


@dataclass
class Summary:
    releases: int = 0
    errors: int = 0
    releases_with_violations: int = 0
    by_rule: dict[str, RuleCount] = field(default_factory=lambda: {rule: RuleCount(rule, spec.cites) for rule, spec in RULES.items()})

    def add(self, result: dict) -> None:
        if "error" in result:
            self.errors += 1
            return
        self.releases += 1
        seen: set[str] = set()
        for finding in result["findings"]:
            count = self.by_rule.setdefault(finding["rule"], RuleCount(finding["rule"], tuple(finding["cites"])))
            setattr(count, finding["severity"], getattr(count, finding["severity"]) + 1)
            if finding["rule"] not in seen:
                count.releases += 1
                seen.add(finding["rule"])
        if any(f["severity"] == "violation" for f in result["findings"]):
            self.releases_with_violations += 1

    def as_dict(self) -> dict:
        return {"releases": self.releases, "errors": self.errors, "releases_with_violations": self.releases_with_violations,
                "by_rule": [vars(c) | {"cites": list(c.cites)} for c in self.by_rule.values()]}


def table_rows(results: Iterable[dict], lang: str = "zh") -> Iterator[str]:
    """One tab-separated line per finding or error: line, ocid, rule, severity, cites, path, message."""
    key = "message_en" if lang == "en" else "message_zh"
    yield "\t".join(("line", "ocid", "rule", "severity", "cites", "path", "message"))
    for result in results:
        if "error" in result:
            yield "\t".join((str(result["line"]), "", "ERROR", result["error"]["code"], "", "", result["error"][key]))
            continue
        for f in result["findings"]:
            yield "\t".join((str(result["line"]), result["ocid"], f["rule"], f["severity"], ",".join(f["cites"]), f["path"], f[key]))


def _header(sheet, names: tuple[str, ...]) -> None:
    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)


def _clean(text: str) -> str:
    """Excel refuses control characters in cells."""
    return "".join(ch for ch in text if ch >= " " or ch in "\t\n") if isinstance(text, str) else text


def write_xlsx(results: Iterable[dict], out: IO[bytes] | str) -> Summary:
    """Sheets: findings (one row each), errors (per line), by rule (counts). Returns the summary."""
    book = Workbook(write_only=True)
    findings = book.create_sheet("findings")
    errors = book.create_sheet("errors")
    by_rule = book.create_sheet("by rule")
    _header(findings, ("line", "ocid", "rule", "severity", "cites", "path", "message_zh", "message_en"))
    _header(errors, ("line", "code", "message_zh", "message_en"))
    summary = Summary()
    for result in results:
        summary.add(result)
        if "error" in result:
            e = result["error"]
            errors.append([result["line"], e["code"], _clean(e["message_zh"]), _clean(e["message_en"])])
            continue
        for f in result["findings"]:
            findings.append([result["line"], _clean(result["ocid"]), f["rule"], f["severity"], ", ".join(f["cites"]), _clean(f["path"]),
                             _clean(f["message_zh"]), _clean(f["message_en"])])
    _header(by_rule, ("rule", "cites", "violations", "warnings", "infos", "releases"))
    for c in summary.by_rule.values():
        by_rule.append([c.rule, ", ".join(c.cites), c.violation, c.warning, c.info, c.releases])
    book.save(out)
    return summary
