"""Findings: what a check says, with the rule, the measures behind it and where it looked."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .citations import Citation, cites as _cites


class Severity(StrEnum):
    VIOLATION = "violation"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message_zh: str
    message_en: str
    cites: tuple[Citation, ...] = field(default=())
    path: str = ""

    @classmethod
    def of(cls, rule: str, severity: Severity | str, zh: str, en: str, *, cites: tuple[str, ...] = (), path: str = "") -> "Finding":
        return cls(rule, Severity(severity), zh, en, _cites(*cites), path)

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "cites": [c.measure for c in self.cites],
            "path": self.path,
        }
