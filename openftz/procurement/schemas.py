"""Schemas of the procurement check API (the same shape as ``openftz procurement check --format jsonl``)."""
from __future__ import annotations

from typing import Literal

from ninja import Schema


class FindingOut(Schema):
    rule: str
    severity: Literal["violation", "warning", "info"]
    cites: list[str]
    message_zh: str
    message_en: str
    path: str


class ReleaseOut(Schema):
    line: int
    ocid: str
    findings: list[FindingOut]
    releases: int
    upgraded: bool
    merge_notes: list[str] = []


class LineError(Schema):
    code: str
    message_zh: str
    message_en: str


class LineErrorOut(Schema):
    line: int
    error: LineError


class RuleCountOut(Schema):
    rule: str
    cites: list[str]
    violation: int
    warning: int
    info: int
    releases: int


class SummaryOut(Schema):
    releases: int
    errors: int
    releases_with_violations: int
    by_rule: list[RuleCountOut]


class CheckOut(Schema):
    on: str
    summary: SummaryOut
    releases: list[ReleaseOut]
    errors: list[LineErrorOut]
