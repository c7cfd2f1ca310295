"""Effective-dated legal parameters (法定参数) read from ``data/parameters/<app>.yaml``.

Each parameter is a mapping::

    tender_period_days:
      values: {2024-02-03: 40}     # effective from that date; a null value ends it
      unit: day
      cites: [SH-75, SC-51]
      source: "…the sentence of the plan or law that sets it…"

Unknown keys are rejected so that a typo cannot silently drop a legal number.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .citations import Citation, cites as _cites
from .errors import OpenFTZError

PARAMETERS_DIR = Path(__file__).resolve().parents[2] / "data" / "parameters"
ALLOWED_KEYS = {"values", "unit", "cites", "source", "description_zh", "description_en"}
REQUIRED_KEYS = {"values", "unit", "cites", "source"}


class ParameterError(OpenFTZError):
    code = "parameter_error"


@dataclass(frozen=True)
class Parameter:
    name: str
    values: tuple[tuple[dt.date, Any], ...]  # sorted by date; value None = not in force from then
    unit: str
    cites: tuple[Citation, ...]
    source: str
    description_zh: str = ""
    description_en: str = ""

    def at(self, on: dt.date) -> Any:
        """The value in force on ``on``; ParameterError if none is."""
        current = None
        started = False
        for since, value in self.values:
            if since <= on:
                current, started = value, True
        if not started or current is None:
            raise ParameterError(
                f"参数 {self.name} 在 {on.isoformat()} 未生效",
                f"parameter {self.name} is not in force on {on.isoformat()}",
                details={"parameter": self.name, "date": on.isoformat()},
            )
        return current


def _as_date(key: Any, name: str) -> dt.date:
    if isinstance(key, dt.datetime):
        return key.date()
    if isinstance(key, dt.date):
        return key
    try:
        return dt.date.fromisoformat(str(key))
    except ValueError:
        raise ParameterError(f"参数 {name} 的日期无效: {key!r}", f"parameter {name}: invalid date {key!r}") from None


def parse_parameters(raw: Any, *, origin: str = "<memory>") -> dict[str, Parameter]:
    if not isinstance(raw, dict):
        raise ParameterError(f"{origin}: 参数文件必须是映射", f"{origin}: a parameter file must be a mapping")
    out: dict[str, Parameter] = {}
    for name, spec in raw.items():
        if not isinstance(spec, dict):
            raise ParameterError(f"{origin}: 参数 {name} 必须是映射", f"{origin}: parameter {name} must be a mapping")
        unknown = set(spec) - ALLOWED_KEYS
        if unknown:
            raise ParameterError(
                f"{origin}: 参数 {name} 含未知字段 {sorted(unknown)}",
                f"{origin}: parameter {name} has unknown keys {sorted(unknown)}",
            )
        missing = REQUIRED_KEYS - set(spec)
        if missing:
            raise ParameterError(
                f"{origin}: 参数 {name} 缺少字段 {sorted(missing)}",
                f"{origin}: parameter {name} lacks keys {sorted(missing)}",
            )
        values = spec["values"]
        if not isinstance(values, dict) or not values:
            raise ParameterError(f"{origin}: 参数 {name} 的 values 必须是非空映射", f"{origin}: parameter {name}: values must be a non-empty mapping")
        try:
            citations = _cites(*spec["cites"])
        except (TypeError, ValueError) as exc:
            raise ParameterError(f"{origin}: 参数 {name} 的引用无效", f"{origin}: parameter {name}: {exc}") from None
        if not citations:
            raise ParameterError(f"{origin}: 参数 {name} 必须引用措施", f"{origin}: parameter {name} must cite a measure")
        out[name] = Parameter(
            name=name,
            values=tuple(sorted((_as_date(k, name), v) for k, v in values.items())),
            unit=str(spec["unit"]),
            cites=citations,
            source=str(spec["source"]),
            description_zh=str(spec.get("description_zh", "")),
            description_en=str(spec.get("description_en", "")),
        )
    return out


@cache
def load_parameters(app: str, directory: Path = PARAMETERS_DIR) -> dict[str, Parameter]:
    """All parameters of one app, from ``data/parameters/<app>.yaml``."""
    path = directory / f"{app}.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"找不到参数文件 {path.name}", f"parameter file {path.name} not found") from None
    return parse_parameters(raw, origin=path.name)


def parameter(app: str, name: str) -> Parameter:
    params = load_parameters(app)
    try:
        return params[name]
    except KeyError:
        raise ParameterError(f"{app} 没有参数 {name}", f"{app} has no parameter {name}") from None
