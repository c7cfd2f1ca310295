"""Reading JSON that comes from outside: the one function every input path uses.

API bodies (the django-ninja parser of ``openftz/api.py``), files and lines read by the CLI, uploads in pages, PINT
envelopes and OCDS streams all call ``loads`` (or ``load_path``), so bad JSON is refused the same way everywhere:
an ``InvalidJSON`` (HTTP 400 with ``{code, message_zh, message_en, details}``, or one CLI line and exit 2) — never
a ``ValueError``, ``RecursionError`` or ``UnicodeError`` further down.

What is refused, beyond JSON syntax (RFC 8259) — the I-JSON profile (RFC 7493 §2.1, §2.2) where Python's ``json``
accepts more:

- ``not_utf8``: bytes that are not UTF-8 (RFC 8259 §8.1; a UTF-8 byte order mark is ignored);
- ``invalid_json``: a syntax error (with its character position), the literals ``NaN``, ``Infinity`` and
  ``-Infinity`` (not JSON, though Python writes and reads them), and a string with a lone surrogate escape such as
  ``"\\ud800"`` (RFC 7493 §2.1; Python makes it a string that cannot be written back as UTF-8);
- ``number_too_large``: a number beyond the range of an IEEE 754 double, about ±1.8e308 (RFC 7493 §2.2) — an
  integer of more digits than that (Python would refuse one of more than 4,300 digits with a ``ValueError``
  anyway) or a float that would become ``inf``;
- ``too_deep``: arrays and objects nested more than ``MAX_DEPTH`` deep (Python's parser would raise
  ``RecursionError`` near 1,000, and code walking the value recursively even earlier).

These are technical limits of the software, not legal numbers, so they live here and not in ``data/parameters``.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

from .errors import InvalidInput

MAX_DEPTH = 128
# the largest integer literal that always fits a double: 308 digits (1e308 < 1.797e308); longer ones are compared
MAX_SAFE_DIGITS = 308
_MAX_FLOAT_INT = int(sys.float_info.max)


class InvalidJSON(InvalidInput, ValueError):
    """Also a ``ValueError``, as ``json.JSONDecodeError`` is: code that caught the parser's errors still does."""

    status = 400
    code = "invalid_json"


class _Refused(Exception):
    """Raised inside the parser's hooks; turned into ``InvalidJSON`` by ``loads``."""

    def __init__(self, error: InvalidJSON):
        super().__init__(error.message_en)
        self.error = error


def _number_too_large(literal: str) -> _Refused:
    shown = literal if len(literal) <= 24 else f"{literal[:12]}…({len(literal)} characters)"
    return _Refused(InvalidJSON(f"数字超出可处理的范围(约 ±1.8e308):{shown}",
                                f"a number beyond the range this service handles (about ±1.8e308): {shown}",
                                code="number_too_large", details={"number": shown}))


def _parse_int(literal: str) -> int:
    digits = len(literal) - (literal[0] == "-")
    if digits > MAX_SAFE_DIGITS:
        if digits > MAX_SAFE_DIGITS + 1:
            raise _number_too_large(literal)
        value = int(literal)
        if abs(value) > _MAX_FLOAT_INT:
            raise _number_too_large(literal)
        return value
    return int(literal)


def _parse_float(literal: str) -> float:
    value = float(literal)
    if math.isinf(value):
        raise _number_too_large(literal)
    return value


def _parse_constant(name: str) -> float:
    raise _Refused(InvalidJSON(f"{name} 不是 JSON 的值", f"{name} is not a JSON value", details={"literal": name}))


# built once: json.loads with hooks would build a decoder on every call
_DECODER = json.JSONDecoder(parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)


def _too_deep() -> InvalidJSON:
    return InvalidJSON(f"JSON 嵌套超过 {MAX_DEPTH} 层", f"the JSON is nested more than {MAX_DEPTH} levels deep",
                       code="too_deep", details={"max_depth": MAX_DEPTH})


def _lone_surrogate(text: str) -> InvalidJSON:
    shown = text.encode("utf-8", "backslashreplace").decode("ascii", "replace")[:60]
    return InvalidJSON(f"字符串含有孤立的代理码位(如 \\ud800):{shown}",
                       f"a string holds a lone surrogate (such as \\ud800): {shown}", details={"string": shown})


def _walk(value: Any, *, depth: bool, strings: bool) -> None:
    """Check the nesting depth and/or the strings of a parsed value, without recursion."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            if depth and level > MAX_DEPTH:
                raise _too_deep()
            for key, child in item.items():
                if strings:
                    _check_string(key)
                stack.append((child, level + 1))
        elif isinstance(item, list):
            if depth and level > MAX_DEPTH:
                raise _too_deep()
            stack.extend((child, level + 1) for child in item)
        elif strings and isinstance(item, str):
            _check_string(item)


def _check_string(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _lone_surrogate(text) from None


def loads(data: bytes | bytearray | memoryview | str) -> Any:
    """The value of one JSON text, or ``InvalidJSON`` (code ``not_utf8``, ``invalid_json``, ``number_too_large``
    or ``too_deep``) — never another exception."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        try:
            text = (data if isinstance(data, bytes) else bytes(data)).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidJSON(f"不是 UTF-8 文本(第 {exc.start + 1} 个字节)", f"not UTF-8 text (byte {exc.start + 1})",
                              code="not_utf8", details={"byte": exc.start + 1}) from None
    else:
        text = data
        try:  # a str may already hold a lone surrogate itself, not only as an escape
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise _lone_surrogate(text[max(exc.start - 20, 0):exc.end + 20]) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        value = _DECODER.decode(text)
    except _Refused as refused:
        raise refused.error from None
    except json.JSONDecodeError as exc:
        raise InvalidJSON(f"不是有效的 JSON:{exc.msg}(第 {exc.lineno} 行第 {exc.colno} 列)",
                          f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                          details={"line": exc.lineno, "column": exc.colno, "position": exc.pos + 1}) from None
    except RecursionError:
        raise _too_deep() from None
    except ValueError as exc:  # what a future parser may still refuse on its own (e.g. an integer conversion limit)
        raise InvalidJSON(f"无法读取 JSON:{exc}", f"cannot read the JSON: {exc}") from None
    # cheap pre-checks (C speed) so that the walk runs only when it can find something
    deep = text.count("[") + text.count("{") > MAX_DEPTH
    escaped = "\\ud" in text or "\\uD" in text
    if deep or escaped:
        _walk(value, depth=deep, strings=escaped)
    return value


def load_path(path: Path | str) -> Any:
    """The value of the JSON file at ``path``; ``InvalidJSON`` if it cannot be read (code ``unreadable``) or is bad."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidJSON(f"无法读取文件 {path}:{exc.strerror or exc}", f"cannot read {path}: {exc.strerror or exc}",
                          code="unreadable", details={"path": str(path)}) from None
    try:
        return loads(data)
    except InvalidJSON as exc:
        raise InvalidJSON(f"{path}:{exc.message_zh}", f"{path}: {exc.message_en}", code=exc.code,
                          details={"path": str(path), **(exc.details or {})}) from None
