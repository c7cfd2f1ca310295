"""Checking one line of input: parse, compile, run the rules, and say what went wrong in place.

A result is ``{"line", "ocid", "findings": [{rule, severity, cites, message_zh, message_en, path}], "releases",
"upgraded", "merge_notes"?}`` per compiled release, or ``{"line", "error": {code, message_zh, message_en}}`` for what could not be
used. These keys are the stable output format (other systems read it): keys may be added, never renamed.
"""
from __future__ import annotations

from typing import Any

from openftz.core import jsonio

from .compile import Compiled, InputProblem, compiled_releases
from .rules import Context, check_release


def error(line: int, code: str, zh: str, en: str) -> dict:
    return {"line": line, "error": {"code": code, "message_zh": zh, "message_en": en}}


def parse_error(exc: jsonio.InvalidJSON, line: int) -> dict:
    """The ``{"line", "error"}`` result of a line ``jsonio.loads`` refused: its code (``not_utf8``, ``invalid_json``,
    ``number_too_large``, ``too_deep``), the line's number before its message. One line's error; the batch goes on."""
    return error(line, exc.code, f"第 {line} 行:{exc.message_zh}", f"line {line}: {exc.message_en}")


PARSE_ERRORS = (jsonio.InvalidJSON,)


def check_value(value: Any, line: int, ctx: Context) -> list[dict]:
    """The results for one parsed JSON value (one per compiled release, or its problem)."""
    out = []
    for item in compiled_releases(value):
        if isinstance(item, InputProblem):
            out.append({"line": line, "error": item.as_dict()})
            continue
        out.append(result(item, line, ctx))
    if not out:
        out.append(error(line, "no_releases", f"第 {line} 行不含任何发布(空的数组或包)", f"line {line} holds no release (an empty array or package)"))
    return out


def result(item: Compiled, line: int, ctx: Context) -> dict:
    try:
        findings = [f.as_dict() for f in check_release(item.release, ctx)]
    except RecursionError:
        return error(line, "too_deep", f"{item.ocid} 的数据嵌套过深,无法检查", f"the data of {item.ocid} is nested too deeply to check")
    out = {"line": line, "ocid": item.ocid, "findings": findings, "releases": item.releases, "upgraded": item.upgraded}
    if item.notes:
        out["merge_notes"] = list(item.notes)
    return out


def check_line(raw: bytes | str, line: int, ctx: Context) -> list[dict]:
    try:
        value = jsonio.loads(raw)
    except PARSE_ERRORS as exc:
        return [parse_error(exc, line)]
    return check_value(value, line, ctx)
