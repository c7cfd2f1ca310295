"""A findings report: counts by rule and by release, plain-text rows, and the Excel workbook (openpyxl, write-only)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Iterable, Iterator

from openpyxl import Workbook

from openftz.core.xlsx import Column, add_table

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


FINDING_COLUMNS = (
    Column("line", "行号", "Line", "int"), Column("ocid", "OCID", "OCID", width=30), Column("rule", "规则", "Rule", width=22),
    Column("severity", "严重程度", "Severity", width=12), Column("cites", "依据措施", "Measures cited", width=18),
    Column("path", "字段路径", "Path", width=30), Column("message_zh", "说明(中文)", "Message (Chinese)", width=60),
    Column("message_en", "说明(英文)", "Message (English)", width=60),
)
ERROR_COLUMNS = (
    Column("line", "行号", "Line", "int"), Column("code", "错误代码", "Code", width=18),
    Column("message_zh", "说明(中文)", "Message (Chinese)", width=60), Column("message_en", "说明(英文)", "Message (English)", width=60),
)
RULE_COLUMNS = (
    Column("rule", "规则", "Rule", width=22), Column("cites", "依据措施", "Measures cited", width=18),
    Column("violations", "违规", "Violations", "int"), Column("warnings", "警告", "Warnings", "int"),
    Column("infos", "提示", "Notes", "int"), Column("releases", "涉及发布", "Releases", "int"),
)


def write_xlsx(results: Iterable[dict], out: IO[bytes] | str) -> Summary:
    """Sheets: findings (one row each), errors (per line), by rule (counts), each a typed bilingual table
    (``openftz.core.xlsx``), streamed. Returns the summary."""
    book = Workbook(write_only=True)
    summary = Summary()
    errors: list[list] = []

    def findings():
        for result in results:
            summary.add(result)
            if "error" in result:
                e = result["error"]
                errors.append([result["line"], e["code"], e["message_zh"], e["message_en"]])
                continue
            for f in result["findings"]:
                yield [result["line"], result["ocid"], f["rule"], f["severity"], ", ".join(f["cites"]), f["path"],
                       f["message_zh"], f["message_en"]]

    add_table(book, "findings", FINDING_COLUMNS, findings())
    add_table(book, "errors", ERROR_COLUMNS, errors)
    add_table(book, "by rule", RULE_COLUMNS, ([c.rule, ", ".join(c.cites), c.violation, c.warning, c.info, c.releases]
                                              for c in summary.by_rule.values()))
    book.save(out)
    return summary
